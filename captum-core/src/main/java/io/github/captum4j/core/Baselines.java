package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The reference point(s) an attribution is measured from (Captum's {@code baselines}).
 *
 * <ul>
 *   <li>{@link #zeros()}: zero for every input (Captum's default, {@code baselines=None}).
 *   <li>{@link #scalar(float)}: one number for every element of every input.
 *   <li>{@link #tensors(NDArray...)}: one tensor per input, of the input's shape, with batch size
 *       1, or of one example's shape without the batch dimension (both broadcast over the batch).
 *       Perturbation methods (feature ablation, occlusion, Shapley values, Lime, KernelShap) accept
 *       any shape PyTorch broadcasts to the input's, e.g. one value per channel {@code (C, 1, 1)}.
 *   <li>{@link #perInput(Object...)}: per input, a number ({@link Number}) or a tensor.
 *   <li>{@link #distribution(NDArray...)}: per input, a set of reference samples (dimension 0 =
 *       samples, the other dimensions those of the input; one example's shape is one sample) that
 *       methods such as {@code GradientShap} draw from.
 * </ul>
 *
 * <p>Baselines are checked against the inputs once per call, with a message naming the input index
 * and both shapes. Tensors are the caller's and are never closed by the library.
 *
 * <pre>{@code
 * Baselines b = Baselines.tensors(blurred);
 * Baselines d = Baselines.distribution(trainingSample);
 * }</pre>
 */
public sealed interface Baselines {

    /**
     * Zero baselines for every input.
     *
     * @return the baselines
     */
    static Baselines zeros() {
        return Zeros.INSTANCE;
    }

    /**
     * The same number for every element of every input.
     *
     * @param value the value
     * @return the baselines
     */
    static Baselines scalar(float value) {
        return new Scalar(value);
    }

    /**
     * One tensor per input, of the input's shape, with batch size 1, or of one example's shape.
     *
     * @param tensors the tensors, in input order
     * @return the baselines
     */
    static Baselines tensors(NDArray... tensors) {
        Checks.argument(
                tensors != null && tensors.length > 0,
                "baselines must hold at least one tensor, got none");
        return new PerInput(Arrays.asList((Object[]) tensors));
    }

    /**
     * One tensor per input, of the input's shape, with batch size 1, or of one example's shape.
     *
     * @param tensors the tensors, in input order
     * @return the baselines
     */
    static Baselines tensors(NDList tensors) {
        Checks.argument(
                tensors != null && !tensors.isEmpty(),
                "baselines must hold at least one tensor, got none");
        return new PerInput(new ArrayList<>(tensors));
    }

    /**
     * Per input, either a {@link Number} or an {@link NDArray}.
     *
     * @param values one value per input
     * @return the baselines
     */
    static Baselines perInput(Object... values) {
        Checks.argument(
                values != null && values.length > 0,
                "baselines must hold one value per input, got none");
        return new PerInput(Arrays.asList(values));
    }

    /**
     * Per input, reference samples to draw baselines from (dimension 0 = samples).
     *
     * @param samples one tensor per input
     * @return the baselines
     */
    static Baselines distribution(NDArray... samples) {
        Checks.argument(
                samples != null && samples.length > 0,
                "baselines distribution must hold at least one tensor, got none");
        return new Distribution(new NDList(samples));
    }

    /**
     * Per input, reference samples to draw baselines from (dimension 0 = samples).
     *
     * @param samples one tensor per input
     * @return the baselines
     */
    static Baselines distribution(NDList samples) {
        Checks.argument(
                samples != null && !samples.isEmpty(),
                "baselines distribution must hold at least one tensor, got none");
        return new Distribution(new NDList(samples));
    }

    /** Zero for every input. */
    enum Zeros implements Baselines {
        /** The only instance. */
        INSTANCE
    }

    /**
     * One number for every element of every input.
     *
     * @param value the number
     */
    record Scalar(float value) implements Baselines {
        /**
         * Validates the value.
         *
         * @param value the number
         */
        public Scalar {
            Checks.argument(
                    Float.isFinite(value), "baselines scalar must be finite, got %s", value);
        }
    }

    /**
     * Per input, a {@link Number} or an {@link NDArray}.
     *
     * @param values one per input
     */
    record PerInput(List<Object> values) implements Baselines {
        /**
         * Validates the values.
         *
         * @param values one per input
         */
        public PerInput {
            Checks.notNull(values, "baselines");
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                Checks.argument(
                        v instanceof Number || v instanceof NDArray,
                        "baselines[%s] must be a Number or an NDArray, got %s",
                        i,
                        v == null ? "null" : v.getClass().getName());
            }
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        /** Numbers as they are, arrays by shape (never their values, which can be huge). */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("PerInput[");
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                sb.append(i == 0 ? "" : ", ")
                        .append(
                                v instanceof NDArray a
                                        ? "array of shape " + Checks.shape(a.getShape())
                                        : String.valueOf(v));
            }
            return sb.append(']').toString();
        }
    }

    /**
     * Per input, reference samples (dimension 0 = samples).
     *
     * @param samples one tensor per input
     */
    record Distribution(NDList samples) implements Baselines {
        /**
         * Validates the samples.
         *
         * @param samples one tensor per input
         */
        public Distribution {
            for (int i = 0; i < samples.size(); i++) {
                NDArray s = samples.get(i);
                Checks.argument(s != null, "baselines[%s] must not be null", i);
                Checks.argument(
                        s.getShape().dimension() >= 1 && s.getShape().get(0) >= 1,
                        "baselines[%s] distribution must hold at least one sample in dimension 0,"
                                + " got shape %s",
                        i,
                        s);
            }
        }

        @Override
        public NDList samples() {
            return new NDList(samples);
        }

        /** The samples by shape (never their values). */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Distribution[");
            for (int i = 0; i < samples.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(Checks.shape(samples.get(i).getShape()));
            }
            return sb.append(']').toString();
        }
    }
}
