package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The data of one attribution call: one or more input tensors whose dimension 0 is the batch, the
 * {@link Baselines} they are compared with (methods that use none reject non-default baselines),
 * and additional forward arguments passed to the model unchanged (Captum's {@code
 * additional_forward_args}).
 *
 * <p>Every tensor must have the same batch size. Attributions are computed for the tensors only,
 * one attribution tensor per input tensor, in order. Additional arguments may be {@link NDArray}s
 * (then their dimension 0 must be the batch: methods that evaluate several copies of the batch
 * expand them alongside the inputs), {@link Integer}, {@link Long}, {@link Double}, {@link Boolean}
 * or {@code null}.
 *
 * <pre>{@code
 * Inputs one = Inputs.of(image);
 * Inputs several = Inputs.of(x1, x2, x3).withBaselines(Baselines.scalar(0.5f)).withAdditionalArgs(2);
 * }</pre>
 *
 * <p>Instances are immutable; the tensors are the caller's and are never closed by the library.
 */
public final class Inputs {

    private final NDList tensors;
    private final Baselines baselines;
    private final List<Object> additionalArgs;

    private Inputs(NDList tensors, Baselines baselines, List<Object> additionalArgs) {
        this.tensors = tensors;
        this.baselines = baselines;
        this.additionalArgs = additionalArgs;
    }

    /**
     * Inputs made of the given tensors.
     *
     * @param tensors one or more tensors, batch in dimension 0
     * @return the inputs
     */
    public static Inputs of(NDArray... tensors) {
        Checks.argument(
                tensors != null && tensors.length > 0,
                "inputs must hold at least one tensor, got none");
        return of(new NDList(tensors));
    }

    /**
     * Inputs made of the tensors of a list.
     *
     * @param tensors one or more tensors, batch in dimension 0
     * @return the inputs
     */
    public static Inputs of(NDList tensors) {
        Checks.argument(
                tensors != null && !tensors.isEmpty(),
                "inputs must hold at least one tensor, got none");
        long batch = -1;
        for (int i = 0; i < tensors.size(); i++) {
            NDArray t = tensors.get(i);
            Checks.argument(t != null, "inputs[%s] must not be null", i);
            Checks.argument(
                    !t.isReleased(), "inputs[%s] is closed: its native memory was released", i);
            Checks.argument(
                    t.getShape().dimension() >= 1,
                    "inputs[%s] must have a batch dimension (dimension 0), got a scalar",
                    i);
            long b = t.getShape().get(0);
            Checks.argument(
                    b >= 1, "inputs[%s] must hold at least one example, got shape %s", i, t);
            if (batch < 0) {
                batch = b;
            }
            Checks.argument(
                    b == batch,
                    "inputs[%s] batch size (dimension 0) must equal inputs[0]'s %s, got shape %s",
                    i,
                    batch,
                    t);
        }
        return new Inputs(new NDList(tensors), Baselines.zeros(), List.of());
    }

    /**
     * A copy of these inputs with the given additional forward arguments.
     *
     * @param args the arguments (NDArray, Integer, Long, Double, Boolean or null each)
     * @return the new inputs
     */
    public Inputs withAdditionalArgs(Object... args) {
        return withAdditionalArgs(
                args == null ? Arrays.asList((Object) null) : Arrays.asList(args));
    }

    /**
     * A copy of these inputs with the given additional forward arguments.
     *
     * @param args the arguments (NDArray, Integer, Long, Double, Boolean or null each)
     * @return the new inputs
     */
    public Inputs withAdditionalArgs(List<?> args) {
        Checks.notNull(args, "additionalArgs");
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            Checks.argument(
                    a == null
                            || a instanceof NDArray
                            || a instanceof Integer
                            || a instanceof Long
                            || a instanceof Double
                            || a instanceof Float
                            || a instanceof Boolean,
                    "additionalArgs[%s] must be an NDArray, Integer, Long, Double, Float, Boolean"
                            + " or null, got %s",
                    i,
                    a == null ? "null" : a.getClass().getName());
        }
        return new Inputs(tensors, baselines, Collections.unmodifiableList(new ArrayList<>(args)));
    }

    /**
     * A copy of these inputs with the given baselines.
     *
     * @param baselines the baselines (shapes are checked by the method that uses them)
     * @return the new inputs
     */
    public Inputs withBaselines(Baselines baselines) {
        return new Inputs(tensors, Checks.notNull(baselines, "baselines"), additionalArgs);
    }

    /**
     * The baselines, {@link Baselines#zeros()} unless set.
     *
     * @return the baselines
     */
    public Baselines baselines() {
        return baselines;
    }

    /**
     * The input tensors, in order (a new list over the same arrays).
     *
     * @return the tensors
     */
    public NDList tensors() {
        return new NDList(tensors);
    }

    /**
     * One input tensor.
     *
     * @param i its index
     * @return the tensor
     */
    public NDArray get(int i) {
        return tensors.get(i);
    }

    /**
     * Number of input tensors.
     *
     * @return the count
     */
    public int size() {
        return tensors.size();
    }

    /**
     * The additional forward arguments (unmodifiable, empty if none).
     *
     * @return the arguments
     */
    public List<Object> additionalArgs() {
        return additionalArgs;
    }

    /**
     * The batch size, dimension 0 of every tensor.
     *
     * @return the batch size
     */
    public int batchSize() {
        return Math.toIntExact(tensors.get(0).getShape().get(0));
    }

    /**
     * The manager of the first tensor: results of an attribution call are attached to it.
     *
     * @return the caller's manager
     */
    public NDManager manager() {
        return tensors.get(0).getManager();
    }
}
