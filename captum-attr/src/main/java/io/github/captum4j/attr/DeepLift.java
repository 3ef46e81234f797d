package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

/**
 * DeepLift with the Rescale rule: the gradient with each activation's derivative replaced by the
 * ratio of its output and input differences between input and baseline, multiplied by the input
 * difference, \( A_i = (x_i - x'_i)\, m_i \) with \( m \) back-propagated through \( \Delta y /
 * \Delta x \) at every nonlinearity, so that \( \sum_i A_i = F(x) - F(x') \) on ReLU networks.
 *
 * <p>Shrikumar, Greenside and Kundaje, "Learning Important Features Through Propagating Activation
 * Differences", 2017, <a href="https://arxiv.org/abs/1704.02685">arXiv:1704.02685</a>; Ancona et
 * al., "Towards better understanding of gradient-based attribution methods", 2018, <a
 * href="https://arxiv.org/abs/1711.06104">arXiv:1711.06104</a>.
 *
 * <p>As Captum ({@code SUPPORTED_NON_LINEAR}): the Rescale rule on {@code ReLU}, {@code ELU},
 * {@code LeakyReLU}, {@code Sigmoid}, {@code Tanh}, {@code Softplus} modules; the max-pool rule on
 * {@code MaxPool1d/2d/3d}; on {@code nn.Softmax} modules the Rescale multiplier minus its mean over
 * every element of the whole batch of inputs and baselines (Captum's softmax rule, so an example's
 * attributions depend on the rest of the batch); every other module or function (GELU, LayerNorm,
 * matmul, mean, add) by its plain gradient, so completeness does not hold on transformers. Inputs
 * and baselines run as one batch; where \( |x - x'| &lt; \) {@code eps} the plain gradient is used. Unlike Captum's
 * hooks, the rules apply per call, so a ReLU module used twice or used inside a residual unit is
 * handled exactly. The model must be a Block model ({@link RuleModel}, e.g. {@link
 * io.github.captum4j.core.model.ImportedModel#forwardFunction()}).
 *
 * <p>Inputs: floating-point {@code (N, ...)}; baselines per {@link
 * io.github.captum4j.core.Baselines} (one per example or broadcast). Output: one tensor per input,
 * of its shape; delta {@code (N)}. One forward and one backward pass on a batch of {@code 2N}.
 *
 * <pre>{@code
 * DeepLift dl = new DeepLift(model.forwardFunction());
 * try (Attribution a = dl.attribute(Inputs.of(x), Target.index(3), new DeepLift.Options(true))) {
 *     ...
 * }
 * }</pre>
 */
public final class DeepLift extends GradientAttribution<DeepLift.Options> {

    /** Captum's default threshold on \( |x - x'| \). */
    public static final float DEFAULT_EPS = 1e-10f;

    private final DeepLiftRules rules;

    /**
     * DeepLift of a Block model, multiplied by inputs, with Captum's {@code eps}.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     */
    public DeepLift(ForwardFunction forwardFunction) {
        this(forwardFunction, true, DEFAULT_EPS);
    }

    /**
     * DeepLift of a Block model.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}: multiply the multipliers by
     *     {@code x - x'} (global attribution) or return them (local)
     * @param eps Captum's {@code eps}: threshold on \( |x - x'| \) below which the gradient is used
     * @throws IllegalArgumentException if the model is not a Block model or eps is not positive
     */
    public DeepLift(ForwardFunction forwardFunction, boolean multiplyByInputs, float eps) {
        this(forwardFunction, multiplyByInputs, eps, true);
    }

    /**
     * DeepLift of a Block model, choosing how consecutive nonlinearities chain.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @param eps Captum's {@code eps}
     * @param captumHookOrder {@code true} for Captum's numbers: a ReLU feeding a max pooling
     *     directly rescales the pooling's plain gradient ({@link Composite#captumHookOrder()});
     *     {@code false} for the chain rule of the DeepLift multipliers, which keeps \( \sum_i A_i =
     *     F(x) - F(x') \) exact on ReLU/max-pool networks
     * @throws IllegalArgumentException if the model is not a Block model or eps is not positive
     */
    public DeepLift(
            ForwardFunction forwardFunction,
            boolean multiplyByInputs,
            float eps,
            boolean captumHookOrder) {
        super(completeness("DeepLift", Options.DEFAULTS, multiplyByInputs), forwardFunction);
        this.rules =
                DeepLiftRules.of(forwardFunction, name(), multiplyByInputs, eps, captumHookOrder);
    }

    /** DeepLift's rules; checks {@code eps}. */
    static Composite composite(float eps, boolean captumHookOrder) {
        Checks.argument(eps > 0 && Float.isFinite(eps), "eps must be > 0, got %s", eps);
        return Composite.deepLift(eps).withCaptumHookOrder(captumHookOrder);
    }

    /**
     * How one call runs.
     *
     * @param returnConvergenceDelta Captum's {@code return_convergence_delta}: also return \(
     *     \sum_i A_i - (F(x) - F(x')) \) per example
     * @param customAttributionFunc Captum's {@code custom_attribution_func}: attributions from the
     *     multipliers, inputs and baselines ({@link CustomAttributionFunction}), or {@code null}
     *     (Captum's default) for \( (x - x')\, m \) or \( m \)
     */
    public record Options(
            boolean returnConvergenceDelta, CustomAttributionFunction customAttributionFunc) {
        /** Captum's defaults: no delta, no custom attribution function. */
        public static final Options DEFAULTS = new Options(false);

        /**
         * Options without a custom attribution function.
         *
         * @param returnConvergenceDelta also return the convergence delta
         */
        public Options(boolean returnConvergenceDelta) {
            this(returnConvergenceDelta, null);
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList baselines = BaselineExpansion.expand(inputs.baselines(), x, scratch);
        RuleGradients.DeepLiftResult r =
                rules.attribute(options, x, baselines, inputs.additionalArgs(), target);
        return new Result(r.attributions(), r.delta());
    }
}
