package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

import io.github.captum4j.core.internal.Checks;

import java.util.function.UnaryOperator;

/**
 * Layer-wise relevance propagation rules (Bach et al. 2015; Montavon et al. 2019) as {@link Rule}s.
 * In the backward pass the "gradient" is the relevance: a rule receives the relevance \( R_j \) of
 * a module's outputs and returns that of its inputs, \( R_i = a_i \sum_j w'_{ij} R_j / (z'_j +
 * \epsilon\, \mathrm{sign}(z'_j)) \), where \( w' \) are the weights as the rule modifies them and
 * \( z'_j = \sum_i a_i w'_{ij} + b_j \) (Captum's sign convention: \( \mathrm{sign}(0) = 1 \)).
 *
 * <p>Rules that modify weights (gamma, alpha1-beta0, z-box) apply to {@code Linear} and {@code
 * Conv2d} modules; the epsilon rule applies to any module (pooling, BatchNorm: autograd of the
 * module is the \( w \)).
 */
public final class LrpRules {

    /** Captum's default stabiliser of the epsilon and gamma rules. */
    public static final float DEFAULT_EPSILON = 1e-9f;

    /** Captum's default gamma. */
    public static final float DEFAULT_GAMMA = 0.25f;

    private LrpRules() {}

    /**
     * The epsilon rule, \( w' = w \).
     *
     * @param epsilon the stabiliser (Captum's {@code EpsilonRule(epsilon)})
     * @return the rule
     */
    public static Rule epsilon(float epsilon) {
        checkPositive(epsilon, "epsilon");
        return ctx -> {
            NDArray s = ctx.gradOutput().div(stabilised(ctx.output(), epsilon));
            return ctx.input().mul(ctx.vjp(s));
        };
    }

    /**
     * The gamma rule, \( w' = w + \gamma w^+ \) (bias kept), with Captum's stabiliser.
     *
     * @param gamma how much positive contributions are favoured (Captum's {@code GammaRule(gamma)})
     * @return the rule
     */
    public static Rule gamma(float gamma) {
        Checks.argument(gamma >= 0 && Float.isFinite(gamma), "gamma must be >= 0, got %s", gamma);
        return modified(w -> w.add(w.maximum(0f).mul(gamma)));
    }

    /**
     * The alpha1-beta0 rule (deep Taylor), \( w' = w^+ \) (bias kept).
     *
     * @return the rule
     */
    public static Rule alpha1Beta0() {
        return modified(w -> w.maximum(0f));
    }

    /**
     * The identity rule: relevance passes through unchanged (Captum's treatment of ReLU, Dropout
     * and Tanh).
     *
     * @return the rule
     */
    public static Rule pass() {
        return RuleContext::gradOutput;
    }

    /**
     * The z-box rule for a first layer whose inputs lie in \( [l, h] \): \( R_i = (a_i w_{ij} - l
     * w^+_{ij} - h w^-_{ij}) R_j / z_j \) with \( z_j = \sum_i a_i w_{ij} - l w^+_{ij} - h w^-_{ij}
     * + b_j \) (Montavon et al. 2017).
     *
     * @param low the lowest input value
     * @param high the highest input value
     * @return the rule
     */
    public static Rule zBox(float low, float high) {
        Checks.argument(low < high, "low must be < high, got low %s, high %s", low, high);
        return ctx -> {
            Block block = ctx.call().block();
            NDArray a = ctx.input();
            NDArray l = a.zerosLike().add(low);
            NDArray h = a.zerosLike().add(high);
            UnaryOperator<NDArray> plus = w -> w.maximum(0f);
            UnaryOperator<NDArray> minus = w -> w.minimum(0f);
            NDArray z =
                    ctx.output()
                            .sub(forward(block, l, plus, true))
                            .sub(forward(block, h, minus, true));
            NDArray s = ctx.gradOutput().div(stabilised(z, DEFAULT_EPSILON));
            NDArray c = ctx.vjp(s);
            NDArray cPlus = ctx.vjpOf(x -> forward(block, x, plus, true), l, s, null).gradient();
            NDArray cMinus = ctx.vjpOf(x -> forward(block, x, minus, true), h, s, null).gradient();
            return a.mul(c).sub(l.mul(cPlus)).sub(h.mul(cMinus));
        };
    }

    /** A rule running the module with modified weights (bias kept), Captum's stabiliser. */
    private static Rule modified(UnaryOperator<NDArray> weights) {
        return ctx -> {
            Block block = ctx.call().block();
            RuleContext.Vjp zc =
                    ctx.vjpOf(
                            x -> forward(block, x, weights, false),
                            ctx.input(),
                            null,
                            z -> ctx.gradOutput().div(stabilised(z, DEFAULT_EPSILON)));
            return ctx.input().mul(zc.gradient());
        };
    }

    /** \( z + \epsilon\, \mathrm{sign}(z) \) with \( \mathrm{sign}(0) = 1 \). */
    private static NDArray stabilised(NDArray z, float epsilon) {
        NDArray sign = NDArrays.where(z.gte(0f), z.onesLike(), z.onesLike().neg());
        return z.add(sign.mul(epsilon));
    }

    /**
     * A {@code Linear} or {@code Conv2d} module applied with modified weights; every op starts from
     * a per-call array so nothing lands in the parameters' manager.
     */
    static NDArray forward(
            Block block, NDArray x, UnaryOperator<NDArray> weights, boolean zeroBias) {
        NDArray w = weights.apply(copy(x, block.getParameters().get("weight")));
        Parameter b =
                block.getParameters().contains("bias") ? block.getParameters().get("bias") : null;
        NDArray bias = b == null || b.getArray() == null ? null : copy(x, b);
        if (bias != null && zeroBias) {
            bias = bias.zerosLike();
        }
        if (block instanceof Linear) {
            return Linear.linear(x, w, bias).singletonOrThrow();
        }
        if (block instanceof Convolution c && c.getKernelShape().dimension() == 2) {
            return ai.djl.nn.convolutional.Conv2d.conv2d(
                            x,
                            w,
                            bias,
                            c.getStride(),
                            c.getPadding(),
                            c.getDilation(),
                            c.getGroups())
                    .singletonOrThrow();
        }
        throw new IllegalArgumentException(
                "a weight-modifying LRP rule needs a Linear or Conv2d module, got "
                        + block.getClass().getSimpleName());
    }

    /** A copy of a parameter in the manager of a per-call array. */
    private static NDArray copy(NDArray perCall, Parameter p) {
        NDArray value = p.getArray();
        return perCall.getManager().zeros(value.getShape(), value.getDataType()).add(value);
    }

    private static void checkPositive(float value, String name) {
        Checks.argument(value > 0 && Float.isFinite(value), "%s must be > 0, got %s", name, value);
    }
}
