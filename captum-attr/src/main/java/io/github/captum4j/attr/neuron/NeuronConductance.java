package io.github.captum4j.attr.neuron;

import static io.github.captum4j.attr.internal.MethodFamilies.fromBaselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;
import io.github.captum4j.attr.internal.PathRun;

import org.immutables.value.Value;

import java.util.List;

/**
 * Neuron Conductance: how much of the target's change from the baseline to the input flows through
 * one hidden neuron \( y_n \), per input feature — the chain rule through the neuron, integrated
 * along the straight input path:
 *
 * <p>\( \mathrm{NC}_i(x) = (x_i - x'_i) \int_0^1 \frac{\partial F}{\partial y_n}(x_\alpha)\,
 * \frac{\partial y_n}{\partial x_i}(x_\alpha)\, d\alpha \approx (x_i - x'_i) \sum_k w_k\,
 * \frac{\partial F}{\partial y_n}(x_{\alpha_k}) \frac{\partial y_n}{\partial x_i}(x_{\alpha_k}),\
 * x_\alpha = x' + \alpha (x - x') \)
 *
 * <p>with the points and weights of {@link Options#method()} (Captum's default here: {@link
 * ApproximationMethod#RIEMANN_TRAPEZOID}). Both gradients come from one forward pass per batch of
 * steps. Dhamdhere, Sundararajan and Yan, "How Important Is a Neuron?", 2018, <a
 * href="https://arxiv.org/abs/1805.12233">arXiv:1805.12233</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)} with {@link Baselines} of their shapes
 * (default zeros); a target selects the output. Output: one tensor per input, of its shape.
 *
 * <pre>{@code
 * NeuronConductance nc = new NeuronConductance(model, LayerPath.of("lin1"));
 * try (Attribution a = nc.attribute(Inputs.of(x), NeuronSelector.index(1), Target.index(0),
 *         NeuronConductance.Options.DEFAULTS)) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class NeuronConductance extends NeuronMethod<NeuronConductance.Options> {

    /**
     * Conductance through a layer's neurons, multiplied by inputs (Captum's default).
     *
     * @param model the model
     * @param layer the layer
     */
    public NeuronConductance(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * Conductance through a layer's neurons.
     *
     * @param model the model
     * @param layer the layer
     * @param multiplyByInputs whether to multiply by {@code inputs - baselines}
     */
    public NeuronConductance(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(fromBaselines("Neuron Conductance", Options.DEFAULTS, multiplyByInputs), model, layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSteps number of quadrature points, {@code >= 1} (default 50)
     * @param method the quadrature (default {@link ApproximationMethod#RIEMANN_TRAPEZOID}, as in
     *     Captum's {@code NeuronConductance})
     * @param internalBatchSize at most this many rows per forward pass, or {@code null} (default)
     * @param attributeToNeuronInput select the neuron from the layer's input (default false)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSteps,
            ApproximationMethod method,
            Integer internalBatchSize,
            boolean attributeToNeuronInput,
            ProgressListener progress)
            implements PathOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(50, ApproximationMethod.RIEMANN_TRAPEZOID, null, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSteps number of quadrature points, {@code >= 1} (default 50)
         * @param method the quadrature (default {@link ApproximationMethod#RIEMANN_TRAPEZOID}, as
         *     in Captum's {@code NeuronConductance})
         * @param internalBatchSize at most this many rows per forward pass, or {@code null}
         *     (default)
         * @param attributeToNeuronInput select the neuron from the layer's input (default false)
         * @param progress told after every forward + backward pass (default {@link
         *     ProgressListener#NONE})
         */
        public Options {
            progress = PathOptions.progress(progress);
            PathOptions.check(nSteps, method, internalBatchSize);
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

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends NeuronConductanceBuilders.OptionsBuilder
                implements PathOptions.Builder<Builder> {
            Builder() {}
        }
    }

    /** Neuron conductance explains a model output: any target valid for the batch. */
    @Override
    void checkTarget(Target target) {}

    @Override
    Result compute(
            Inputs inputs,
            NeuronSelector neuron,
            Target target,
            Options options,
            NDManager scratch) {
        PathRun run = PathRun.of(inputs, target, name(), options, scratch);
        try (LayerTap tap =
                model.tap(
                        List.of(layer()),
                        options.attributeToNeuronInput() ? TapSite.INPUT : TapSite.OUTPUT)) {
            NDList totals =
                    run.integrate(
                            (scaled, args, t, steps) ->
                                    throughNeuron(tap, scaled, args, t, neuron));
            NDList attributions = new NDList(totals.size());
            for (int i = 0; i < totals.size(); i++) {
                attributions.add(
                        multipliesByInputs()
                                ? totals.get(i).mul(run.inputs().get(i).sub(run.baselines().get(i)))
                                : totals.get(i));
            }
            return Result.of(attributions);
        }
    }

    /** \( \partial F / \partial y_n \cdot \partial y_n / \partial x \) per row, from one pass. */
    private static NDList throughNeuron(
            LayerTap tap, NDList scaled, List<Object> args, Target target, NeuronSelector neuron) {
        Gradients.LayerResult r =
                Gradients.computeAtLayers(tap, scaled, args, target, neuron::select);
        // Captum applies the selector to the layer gradients too: the gradient at the neuron
        NDArray mid = neuron.select(r.layerGradients());
        NDList out = new NDList(r.inputGradients().size());
        for (NDArray g : r.inputGradients()) {
            long[] dims = new long[g.getShape().dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = g.getShape().get(0);
            out.add(g.mul(mid.reshape(new Shape(dims))));
        }
        return out;
    }
}
