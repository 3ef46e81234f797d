package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.relevance;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.internal.LrpModel;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.internal.LrpPass;

import java.util.List;

/**
 * Layer LRP: the relevance that layer-wise relevance propagation assigns to a hidden layer's output
 * (or input), \( R_j \) with \( \sum_j R_j \approx F_c(x) \) under conservative rules.
 *
 * <p>Bach et al., "On Pixel-Wise Explanations for Non-Linear Classifier Decisions by Layer-Wise
 * Relevance Propagation", 2015, <a href="https://doi.org/10.1371/journal.pone.0130140">PLoS ONE
 * 10(7)</a>. Rules and Captum's behaviours as {@link io.github.captum4j.attr.LRP}; the model must
 * be a Block model.
 *
 * <p>Inputs: floating-point {@code (N, ...)}; no baselines. Output: one tensor of the layer value's
 * shape; delta \( F_c(x) - \sum_j R_j \), {@code (N)}.
 *
 * <pre>{@code
 * LayerLRP l = new LayerLRP(model, LayerPath.of("conv2"));
 * try (Attribution a = l.attribute(Inputs.of(x), Target.index(2))) { ... }
 * }</pre>
 */
public final class LayerLRP extends LayerMethod<LayerLRP.Options> {

    private final LrpModel rules;

    /**
     * Layer LRP with Captum's default rules.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     */
    public LayerLRP(LayerAccess model, LayerPath layer) {
        this(model, layer, Composite.lrp());
    }

    /**
     * Layer LRP with given rules.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     * @param composite the rules per module
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public LayerLRP(LayerAccess model, LayerPath layer, Composite composite) {
        super(relevance("Layer LRP", Options.DEFAULTS), model, layer);
        this.rules = LrpModel.of(model.forwardFunction(), "LayerLRP", composite);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param returnConvergenceDelta also return \( F_c(x) - \sum_j R_j \) (default false)
     * @param attributeToLayerInput the relevance of the layer's input instead of its output
     *     (default false)
     */
    public record Options(boolean returnConvergenceDelta, boolean attributeToLayerInput) {
        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(false, false);
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        LrpPass.Result r =
                rules.run(inputs, target, List.of(layer().name()), options.attributeToLayerInput());
        return new Result(
                r.layerRelevances(),
                options.returnConvergenceDelta() ? r.delta(r.layerRelevances()) : null);
    }
}
