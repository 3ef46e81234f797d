package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.replacement;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Perturbations;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Occlusion: a window slides over each input with the given strides; each position is replaced by
 * the baseline and the drop of the target output is credited to every element under the window,
 * averaged over the windows covering the element:
 *
 * <p>\( \mathrm{Occ}_e(x) = \frac{1}{|W_e|} \sum_{w \in W_e} \big( F(x) - F(x_{\setminus w}) \big)
 * \), where \( W_e \) is the set of window positions covering element \( e \).
 *
 * <p>Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", 2013, <a
 * href="https://arxiv.org/abs/1311.2901">arXiv:1311.2901</a>; Captum's {@code Occlusion}.
 *
 * <p>Inputs: tensors {@code (N, ...)}; per input a window shape and strides over the dimensions
 * after the batch (Captum's rule: along dimension \( d \) there are \( \lceil (D_d - w_d) / s_d
 * \rceil + 1 \) positions, the last one cut at the border; a stride may exceed the window only
 * where the window spans the whole dimension). Baselines as {@link FeatureAblation}. Output: one
 * tensor per input, of its shape. Forward passes: 1 + per input {@code ceil(positions /
 * perturbationsPerEval)}.
 *
 * <pre>{@code
 * Occlusion occlusion = new Occlusion(model);
 * Occlusion.Options o = Occlusion.Options.builder()
 *         .slidingWindowShapes(3, 15, 15).strides(3, 8, 8).perturbationsPerEval(16).build();
 * try (Attribution a = occlusion.attribute(Inputs.of(image), Target.index(3), o)) { ... }
 * }</pre>
 *
 * <p>Options that change the maths: {@code slidingWindowShapes} and {@code strides}.
 */
@Value.Enclosing
public final class Occlusion extends PerturbationAttribution<Occlusion.Options> {

    /**
     * Occlusion of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public Occlusion(ForwardFunction forwardFunction) {
        super(replacement("Occlusion", Options.DEFAULTS), forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param slidingWindowShapes per input, the window's extent along each dimension after the
     *     batch (required: the defaults hold none)
     * @param strides per input, the step along each dimension (one value = the same step along
     *     every dimension, Captum's integer form), or {@code null} for 1 everywhere (default)
     * @param perturbationsPerEval window positions per forward pass, {@code >= 1} (default 1)
     * @param progress receives progress after every forward pass (default none; Captum's {@code
     *     show_progress})
     */
    @Value.Builder
    public record Options(
            List<long[]> slidingWindowShapes,
            List<long[]> strides,
            int perturbationsPerEval,
            ProgressListener progress) {

        /** Captum's defaults (no window: {@code slidingWindowShapes} must be set). */
        public static final Options DEFAULTS = new Options(List.of(), null, 1, null);

        /**
         * Validates every component.
         *
         * @param slidingWindowShapes per input, the window's extent along each dimension after the
         *     batch (required: the defaults hold none)
         * @param strides per input, the step along each dimension (one value = the same step along
         *     every dimension, Captum's integer form), or {@code null} for 1 everywhere (default)
         * @param perturbationsPerEval window positions per forward pass, {@code >= 1} (default 1)
         * @param progress receives progress after every forward pass (default none; Captum's {@code
         *     show_progress})
         */
        public Options {
            slidingWindowShapes = copy(slidingWindowShapes, "slidingWindowShapes", 1);
            strides = strides == null ? null : copy(strides, "strides", 1);
            checkPerturbationsPerEval(perturbationsPerEval);
            progress = orNone(progress);
        }

        @Override
        public List<long[]> slidingWindowShapes() {
            return copy(slidingWindowShapes, "slidingWindowShapes", 1);
        }

        @Override
        public List<long[]> strides() {
            return strides == null ? null : copy(strides, "strides", 1);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        private static List<long[]> copy(List<long[]> shapes, String name, long min) {
            Checks.notNull(shapes, name);
            List<long[]> out = new ArrayList<>(shapes.size());
            for (int i = 0; i < shapes.size(); i++) {
                long[] s = shapes.get(i);
                Checks.argument(
                        s != null && s.length > 0, "%s[%s] must hold at least one value", name, i);
                for (long v : s) {
                    Checks.argument(v >= min, "%s[%s] must be >= %s, got %s", name, i, min, s);
                }
                out.add(s.clone());
            }
            return Collections.unmodifiableList(out);
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends OcclusionBuilders.OptionsBuilder {
            Builder() {}

            /**
             * Sets the window of a single input.
             *
             * @param shape extent along each dimension after the batch
             * @return this
             */
            public Builder slidingWindowShapes(long... shape) {
                return slidingWindowShapes(List.of(shape.clone()));
            }

            /**
             * Sets one window per input.
             *
             * @param shapes the windows
             * @return this
             */
            public Builder slidingWindowShapesPerInput(List<long[]> shapes) {
                return slidingWindowShapes(shapes);
            }

            /**
             * Sets the strides of a single input (one value: the same along every dimension).
             *
             * @param values steps
             * @return this
             */
            public Builder strides(long... values) {
                return strides(List.of(values.clone()));
            }

            /**
             * Sets the strides per input, or {@code null} for 1 everywhere.
             *
             * @param values per input, steps
             * @return this
             */
            public Builder stridesPerInput(List<long[]> values) {
                return strides(values);
            }
        }
    }

    @Override
    NDList compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        List<OcclusionWindows> windows = new ArrayList<>(x.size());
        Checks.argument(
                options.slidingWindowShapes.size() == x.size(),
                "slidingWindowShapes must hold one window per input (%s), got %s",
                x.size(),
                options.slidingWindowShapes.size());
        Checks.argument(
                options.strides == null || options.strides.size() == x.size(),
                "strides must hold one entry per input (%s), got %s",
                x.size(),
                options.strides == null ? 0 : options.strides.size());
        for (int i = 0; i < x.size(); i++) {
            windows.add(
                    OcclusionWindows.of(
                            i,
                            x.get(i).getShape(),
                            options.slidingWindowShapes.get(i),
                            options.strides == null ? new long[] {1} : options.strides.get(i)));
        }
        NDList baselines = BaselineExpansion.expandBroadcast(inputs.baselines(), x, scratch);
        Perturbations engine =
                engine(inputs, baselines, target, options.perturbationsPerEval(), scratch);
        long passes = 1;
        for (OcclusionWindows w : windows) {
            passes += engine.passes(w.count());
        }
        report(engine, options.progress(), passes);
        NDArray initial = engine.evaluate(x, 1);
        double[] initialValues = initial.toType(DataType.FLOAT64, false).toDoubleArray();
        DataType type =
                initial.getDataType().isFloating() ? initial.getDataType() : DataType.FLOAT32;
        NDList out = new NDList(x.size());
        for (int i = 0; i < x.size(); i++) {
            OcclusionWindows w = windows.get(i);
            int input = i;
            // Windows are the same for every example: masks and sums are built in Java, one
            // keep-mask array per chunk, and only the target values cross back per chunk.
            double[] sums = new double[Math.toIntExact(x.get(i).getShape().size())];
            engine.run(
                    w.count(),
                    (first, count, m) -> {
                        NDList keep = new NDList(x.size());
                        for (int j = 0; j < x.size(); j++) {
                            keep.add(j == input ? w.keep(first, count, m) : null);
                        }
                        return new Perturbations.Chunk(keep);
                    },
                    (first, chunk, perturbed, outputs, m) ->
                            w.accumulate(
                                    first,
                                    outputs.toType(DataType.FLOAT64, false).toDoubleArray(),
                                    initialValues,
                                    sums));
            out.add(w.average(sums, scratch, type).reshape(x.get(i).getShape()));
        }
        return out;
    }
}
