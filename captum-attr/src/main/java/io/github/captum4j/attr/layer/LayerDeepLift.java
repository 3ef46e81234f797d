package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.CustomAttributionFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.internal.DeepLiftPass;
import io.github.captum4j.core.rules.RuleModel;

import java.util.List;

/**
 * Layer DeepLift: DeepLift's multipliers at a hidden layer times the layer's difference between
 * input and baseline, \( A = (a_\ell(x) - a_\ell(x'))\, m_\ell \), with \( m_\ell \) the gradient
 * of the target back-propagated to the layer through the Rescale rule at every later nonlinearity.
 *
 * <p>Shrikumar, Greenside and Kundaje, "Learning Important Features Through Propagating Activation
 * Differences", 2017, <a href="https://arxiv.org/abs/1704.02685">arXiv:1704.02685</a>. The rules
 * and Captum's behaviours are those of {@link io.github.captum4j.attr.DeepLift}; the model must be
 * a Block model ({@link RuleModel}).
 *
 * <p>Inputs: floating-point {@code (N, ...)}; baselines per {@link
 * io.github.captum4j.core.Baselines}. Output: one tensor of the layer value's shape; delta \( \sum
 * A - (F(x) - F(x')) \), {@code (N)}. One forward and one backward pass on {@code 2N} rows.
 *
 * <pre>{@code
 * LayerDeepLift ldl = new LayerDeepLift(model, LayerPath.of("layer4"));
 * try (Attribution a = ldl.attribute(Inputs.of(x), Target.index(3))) { ... }
 * }</pre>
 */
public final class LayerDeepLift extends LayerMethod<LayerDeepLift.Options> {

    /** Captum's Rescale threshold. */
    static final float DEEP_LIFT_EPS = 1e-10f;

    private final RuleModel rules;
    private final Composite composite;

    /**
     * Layer DeepLift, multiplied by the layer difference (Captum's default).
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     */
    public LayerDeepLift(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * Layer DeepLift.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}: multiply the multipliers by the
     *     layer difference (or return them)
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public LayerDeepLift(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        this("Layer DeepLift", model, layer, multiplyByInputs);
    }

    LayerDeepLift(String name, LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(
                completeness(name, Options.DEFAULTS, multiplyByInputs).withIntegerInputs(),
                model,
                layer);
        this.rules = RuleModel.of(model.forwardFunction(), name);
        this.composite = Composite.deepLift(DEEP_LIFT_EPS);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param returnConvergenceDelta also return \( \sum A - (F(x) - F(x')) \) (default false)
     * @param attributeToLayerInput attribute to the layer's input instead of its output (default
     *     false)
     * @param customAttributionFunc Captum's {@code custom_attribution_func}: attributions from the
     *     layer multipliers and the layer values for inputs and baselines ({@link
     *     CustomAttributionFunction}), or {@code null} (Captum's default)
     */
    public record Options(
            boolean returnConvergenceDelta,
            boolean attributeToLayerInput,
            CustomAttributionFunction customAttributionFunc) {
        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(false, false);

        /**
         * Options without a custom attribution function.
         *
         * @param returnConvergenceDelta also return the convergence delta
         * @param attributeToLayerInput attribute to the layer's input
         */
        public Options(boolean returnConvergenceDelta, boolean attributeToLayerInput) {
            this(returnConvergenceDelta, attributeToLayerInput, null);
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        return attribute(
                x,
                BaselineExpansion.expand(inputs.baselines(), x, scratch),
                inputs.additionalArgs(),
                target,
                options);
    }

    /** Layer DeepLift of inputs against baselines of their shapes. */
    Result attribute(
            NDList x, NDList baselines, List<Object> args, Target target, Options options) {
        DeepLiftPass.Result r =
                DeepLiftPass.run(
                        rules,
                        composite,
                        x,
                        baselines,
                        args,
                        target,
                        List.of(layer().name()),
                        options.attributeToLayerInput());
        NDList a =
                CustomAttributionFunction.attributions(
                        options.customAttributionFunc(),
                        multipliesByInputs(),
                        new NDList(r.layerMultipliers().get(0)),
                        new NDList(r.layerValues().get(0)),
                        new NDList(r.layerBaselineValues().get(0)));
        NDArray delta =
                options.returnConvergenceDelta()
                        ? Convergence.sumPerExample(a).sub(r.outputGap())
                        : null;
        return new Result(a, delta);
    }
}
