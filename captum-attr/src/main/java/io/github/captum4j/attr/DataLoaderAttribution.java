package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Scope;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Attribution of a metric aggregated over a whole data set (Captum 0.7's {@code
 * DataLoaderAttribution} around {@code FeatureAblation}): every feature group is ablated in every
 * row of every batch, the model's outputs are reduced over the data set into one metric tensor
 * \( M \), and the attribution of feature \( f \) is the drop of the metric:
 *
 * <p>\( A_f = M(D) - M(D_{\setminus f}) \), where \( D_{\setminus f} \) is the data set with the
 * elements of group \( f \) set to the baseline in every row.
 *
 * <p>Feature masks and baselines have batch size 1 and are shared by all rows; ids are global
 * across the inputs that need attribution (default: one id per element, consecutive across inputs).
 * Each pass over the data evaluates {@code perturbationsPerPass} ablations per batch (plus one
 * first pass for the unperturbed metric), so the data set is traversed \( 1 + \lceil F /
 * \text{perturbationsPerPass} \rceil \) times and each ablation keeps its own reduce state. With the
 * default metric ({@link Metric#concat()}: the outputs of all batches concatenated) the result
 * equals {@link FeatureAblation} of the concatenated data set with the same mask.
 *
 * <p>No paper: Captum's {@code captum.attr.DataLoaderAttribution} (0.7), which wraps a {@code
 * FeatureAblation} instance, the only method it supports; here the model is given directly.
 *
 * <pre>{@code
 * DataLoaderAttribution dl = new DataLoaderAttribution(model);
 * List<NDList> batches = ...; // each NDList: features (B, 7), labels (B, 1)
 * try (Attribution a = dl.attribute(batches, Metric.concat(),
 *         DataLoaderAttribution.Options.builder()
 *                 .inputRoles(InputRole.NEED_ATTR, InputRole.NO_FORWARD)
 *                 .perturbationsPerPass(4).build())) {
 *     NDArray perRow = a.attribution(0);   // (total rows, 7)
 * }
 * }</pre>
 */
@Value.Enclosing
public final class DataLoaderAttribution {

    private final ForwardFunction forwardFunction;

    /**
     * Data-loader feature ablation of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public DataLoaderAttribution(ForwardFunction forwardFunction) {
        this.forwardFunction = Checks.notNull(forwardFunction, "forwardFunction");
    }

    /** What an element of a batch is for (Captum's {@code InputRole}, as its code reads them). */
    public enum InputRole {
        /** Passed to the model and attributed ({@code need_attr}, 0). */
        NEED_ATTR,
        /** Passed to the model, not attributed ({@code need_forward}, 1). */
        NEED_FORWARD,
        /** Not passed to the model, e.g. the label ({@code no_forward}, 2). */
        NO_FORWARD
    }

    /**
     * How the outputs of all batches become the metric attributed: {@code reduce} folds each batch's
     * output into a state (Captum's {@code reduce(accum, current_output, current_inputs)}), {@code
     * toMetric} turns the final state into a tensor (Captum's {@code to_metric}).
     *
     * @param <S> the state
     */
    public interface Metric<S> {
        /**
         * Folds one batch's output into the state.
         *
         * @param accum the state so far, {@code null} before the first batch
         * @param output the model's output on the (perturbed) batch; it lives until the end of the
         *     traversal, so it may be kept in the state
         * @param inputs the (perturbed) batch, every element; freed after this call
         * @return the new state
         */
        S reduce(S accum, NDArray output, NDList inputs);

        /**
         * The metric of the final state.
         *
         * @param accum the state after the last batch
         * @return the metric tensor
         */
        NDArray toMetric(S accum);

        /**
         * Captum's default: the outputs of all batches concatenated along dimension 0.
         *
         * @return the metric
         */
        static Metric<NDArray> concat() {
            return new Metric<>() {
                @Override
                public NDArray reduce(NDArray accum, NDArray output, NDList inputs) {
                    if (accum == null) {
                        return output;
                    }
                    NDArray all = accum.concat(output, 0);
                    accum.close();
                    return all;
                }

                @Override
                public NDArray toMetric(NDArray accum) {
                    return accum;
                }
            };
        }
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param inputRoles the role of each element of a batch, or {@code null} for all {@link
     *     InputRole#NEED_ATTR} (default)
     * @param baselines per attributed input: an {@link NDArray} of batch size 1, or a {@link
     *     Number}; {@code null} for zeros (default)
     * @param featureMask per attributed input: integer ids of batch size 1, global across inputs;
     *     {@code null} for one id per element (default)
     * @param perturbationsPerPass ablations evaluated per traversal of the data, {@code >= 1}
     *     (default 1)
     * @param returnInputShape whether to return one tensor per attributed input, {@code (metric
     *     shape, input element shape)} (default), or one tensor {@code (metric shape, features)}
     * @param progress receives the passes done (Captum's {@code show_progress})
     */
    @Value.Builder
    public record Options(
            List<InputRole> inputRoles,
            List<Object> baselines,
            List<NDArray> featureMask,
            int perturbationsPerPass,
            boolean returnInputShape,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, null, null, 1, true, null);

        /**
         * Validates every component.
         *
         * @param inputRoles the role of each element of a batch, or {@code null} for all {@link
         *     InputRole#NEED_ATTR} (default)
         * @param baselines per attributed input: an {@link NDArray} of batch size 1, or a {@link
         *     Number}; {@code null} for zeros (default)
         * @param featureMask per attributed input: integer ids of batch size 1, global across
         *     inputs; {@code null} for one id per element (default)
         * @param perturbationsPerPass ablations evaluated per traversal of the data, {@code >= 1}
         *     (default 1)
         * @param returnInputShape whether to return one tensor per attributed input, {@code (metric
         *     shape, input element shape)} (default), or one tensor {@code (metric shape,
         *     features)}
         * @param progress receives the passes done (Captum's {@code show_progress})
         */
        public Options {
            inputRoles = inputRoles == null ? null : List.copyOf(inputRoles);
            if (inputRoles != null) {
                Checks.argument(
                        inputRoles.contains(InputRole.NEED_ATTR),
                        "inputRoles must contain NEED_ATTR at least once, got %s",
                        inputRoles);
            }
            baselines = baselines == null ? null : List.copyOf(baselines);
            featureMask = featureMask == null ? null : List.copyOf(featureMask);
            Checks.atLeast(perturbationsPerPass, 1, "perturbationsPerPass");
            progress = progress == null ? ProgressListener.NONE : progress;
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
         * Fluent builder of {@link Options}: a setter per component, named after it (lists also
         * from arrays); a component not set keeps its default; {@code build()} validates. Generated
         * at compile time (Immutables).
         */
        public static final class Builder extends DataLoaderAttributionBuilders.OptionsBuilder
                implements PerturbationOptionsBuilder<Builder> {
            Builder() {}

            /**
             * Sets the roles.
             *
             * @param value one per element of a batch
             * @return this
             */
            public Builder inputRoles(InputRole... value) {
                return inputRoles(Arrays.asList(value));
            }

            /**
             * Sets the baselines.
             *
             * @param value per attributed input, an NDArray (batch 1) or a Number
             * @return this
             */
            public Builder baselines(Object... value) {
                return baselines(Arrays.asList(value));
            }
        }
    }

    /**
     * Attributes the concatenated outputs ({@link Metric#concat()}) with the default options.
     *
     * @param dataLoader the batches; iterated once per pass, each time in the same order
     * @return the attributions
     */
    public Attribution attribute(Iterable<NDList> dataLoader) {
        return attribute(dataLoader, Metric.concat(), Options.DEFAULTS);
    }

    /**
     * Attributes a metric of the whole data set to the features.
     *
     * @param dataLoader the batches (each an NDList of the same arity); iterated once per pass, each
     *     time in the same order
     * @param metric how outputs are reduced into the metric
     * @param options how the call runs
     * @param <S> the metric's state
     * @return the attributions: per attributed input {@code (metric shape, input element shape)}, or
     *     one {@code (metric shape, features)} tensor; attached to the manager of the first batch's
     *     first attributed input
     */
    public <S> Attribution attribute(Iterable<NDList> dataLoader, Metric<S> metric, Options options) {
        Checks.notNull(dataLoader, "dataLoader");
        Checks.notNull(metric, "metric");
        Checks.notNull(options, "options");
        Iterator<NDList> it = dataLoader.iterator();
        Checks.argument(it.hasNext(), "dataLoader must yield at least one batch, got none");
        NDList first = it.next();
        List<InputRole> roles = options.inputRoles();
        if (roles == null) {
            roles = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                roles.add(InputRole.NEED_ATTR);
            }
        }
        Checks.argument(
                roles.size() == first.size(),
                "inputRoles must have one role per batch element (%s), got %s",
                first.size(),
                roles.size());
        NDManager caller = first.get(roles.indexOf(InputRole.NEED_ATTR)).getManager();
        try (NDManager scratch = caller.newSubManager()) {
            DataLoaderPlan plan = DataLoaderPlan.of(first, roles, options, scratch);
            int features = plan.features();
            long passes = 1 + (features + options.perturbationsPerPass() - 1) / options.perturbationsPerPass();
            options.progress().onProgress("DataLoader Attribution", 0, passes);
            NDArray unperturbed = traverse(dataLoader, metric, plan, new int[] {-1}, scratch).get(0);
            List<NDArray> drops = new ArrayList<>(features);
            long done = 1;
            options.progress().onProgress("DataLoader Attribution", done, passes);
            for (int f = 0; f < features; f += options.perturbationsPerPass()) {
                int[] chunk = new int[Math.min(options.perturbationsPerPass(), features - f)];
                for (int k = 0; k < chunk.length; k++) {
                    chunk[k] = f + k;
                }
                for (NDArray m : traverse(dataLoader, metric, plan, chunk, scratch)) {
                    drops.add(unperturbed.sub(m));
                }
                options.progress().onProgress("DataLoader Attribution", ++done, passes);
            }
            NDArray unique = NDArrays.stack(new NDList(drops), unperturbed.getShape().dimension());
            NDList out = options.returnInputShape() ? plan.toInputShapes(unique) : new NDList(unique);
            for (NDArray a : out) {
                a.attach(caller);
            }
            return new Attribution("DataLoader Attribution", options, out, null);
        }
    }

    /** One traversal of the data: the metric of each ablation (-1 = none) in {@code ablated}. */
    private <S> List<NDArray> traverse(
            Iterable<NDList> dataLoader,
            Metric<S> metric,
            DataLoaderPlan plan,
            int[] ablated,
            NDManager scratch) {
        List<S> states = new ArrayList<>(ablated.length);
        for (int k = 0; k < ablated.length; k++) {
            states.add(null);
        }
        List<NDArray> metrics = new ArrayList<>(ablated.length);
        // perturbed copies die with their batch; outputs and states with the traversal
        try (NDManager pass = scratch.newSubManager()) {
            for (NDList batch : dataLoader) {
                for (int k = 0; k < ablated.length; k++) {
                    try (NDManager step = pass.newSubManager()) {
                        Scope.borrow(step, batch); // the model's intermediates land in step
                        NDList perturbed = plan.perturb(batch, ablated[k], step);
                        NDArray output =
                                Gradients.forward(
                                        forwardFunction, plan.forwardInputs(perturbed), List.of());
                        output.attach(pass);
                        states.set(k, metric.reduce(states.get(k), output, perturbed));
                    }
                }
            }
            for (S state : states) {
                NDArray m = metric.toMetric(state);
                Checks.argument(m != null, "metric.toMetric must return a tensor, got null");
                m = m.getDataType().isFloating() ? m : m.toType(DataType.FLOAT32, false);
                m.attach(scratch);
                metrics.add(m);
            }
        }
        return metrics;
    }
}
