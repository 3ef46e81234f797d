package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.relevance;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.internal.LrpModel;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.internal.LrpPass;
import io.github.captum4j.core.rules.RuleModel;

import java.util.List;

/**
 * Layer-wise relevance propagation: the target score redistributed layer by layer down to the
 * inputs by per-layer rules, e.g. epsilon \( R_i = a_i \sum_j w_{ij} R_j / (z_j + \epsilon\,
 * \mathrm{sign}(z_j)) \), so that \( \sum_i R_i \approx F_c(x) \).
 *
 * <p>Bach et al., "On Pixel-Wise Explanations for Non-Linear Classifier Decisions by Layer-Wise
 * Relevance Propagation", 2015, <a href="https://doi.org/10.1371/journal.pone.0130140">PLoS ONE
 * 10(7)</a>; Montavon et al., "Layer-Wise Relevance Propagation: An Overview", 2019; rules as
 * composites after Anders et al., "Software for Dataset-wide XAI" (Zennit), 2021, <a
 * href="https://arxiv.org/abs/2106.13200">arXiv:2106.13200</a>.
 *
 * <p>As Captum: by default {@link Composite#lrp()} (epsilon {@code 1e-9} on Linear, Conv2d, pooling
 * and BatchNorm; ReLU, Dropout, Tanh pass relevance through); relevances are computed normalised
 * (target relevance 1) and multiplied by the target score; the delta is \( F_c(x) - \sum_i R_i \).
 * Any {@link Composite} may be given instead ({@link io.github.captum4j.core.rules.LrpRules}:
 * epsilon, gamma, alpha1-beta0, z-box, pass; {@link Composite#epsilonGammaBox}). The model must be
 * a Block model. Inputs: floating-point {@code (N, ...)}; no baselines. Output: one tensor per
 * input, of its shape; delta {@code (N)}.
 *
 * <pre>{@code
 * LRP lrp = new LRP(model.forwardFunction(),
 *         Composite.lrp().withLayer("fc1", LrpRules.gamma(0.25f)));
 * try (Attribution a = lrp.attribute(Inputs.of(x), Target.index(2))) { ... }
 * }</pre>
 */
public final class LRP extends GradientAttribution<LRP.Options> {

    private final LrpModel rules;

    /**
     * LRP with Captum's default rules.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     */
    public LRP(ForwardFunction forwardFunction) {
        this(forwardFunction, Composite.lrp());
    }

    /**
     * LRP with given rules.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @param composite the rules per module
     * @throws IllegalArgumentException if the model is not a Block model or composite is null
     */
    public LRP(ForwardFunction forwardFunction, Composite composite) {
        super(relevance("LRP", Options.DEFAULTS), forwardFunction);
        this.rules = LrpModel.of(forwardFunction, "LRP", composite);
    }

    /**
     * How one call runs.
     *
     * @param returnConvergenceDelta Captum's {@code return_convergence_delta}: also return \(
     *     F_c(x) - \sum_i R_i \) per example
     */
    public record Options(boolean returnConvergenceDelta) {
        /** Captum's defaults: no delta. */
        public static final Options DEFAULTS = new Options(false);
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        LrpPass.Result r = rules.run(inputs, target, List.of(), false);
        return new Result(
                r.inputRelevances(),
                options.returnConvergenceDelta() ? r.delta(r.inputRelevances()) : null);
    }
}
