package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;

/**
 * The rules of Captum's gradient-modifying methods, as {@link Rule}s.
 *
 * <p>DeepLift's rules assume the batch holds the {@code n} inputs followed by their {@code n}
 * baselines (Captum concatenates them the same way), so every module sees \( x \) and \( x' \) in
 * one call.
 */
public final class Rules {

    private Rules() {}

    /**
     * Autograd's own gradient (useful to exempt a layer from a type binding).
     *
     * @return the rule
     */
    public static Rule identity() {
        return RuleContext::gradient;
    }

    /**
     * Guided backpropagation's ReLU (Springenberg et al.): \( \max(0, \partial_x) \), autograd's
     * gradient with negative values cut.
     *
     * @return the rule
     */
    public static Rule guided() {
        return new Rule() {
            @Override
            public NDArray backward(RuleContext ctx) {
                return isRelu(ctx.call())
                        ? ctx.gradOutput().maximum(0f).mul(ctx.output().gt(0f))
                        : ctx.gradient().maximum(0f);
            }

            @Override
            public boolean usesAutograd(ModuleCall call) {
                return !isRelu(call);
            }
        };
    }

    /**
     * Deconvolution's ReLU (Zeiler and Fergus): \( \max(0, g) \) of the gradient at the output,
     * whatever the input's sign.
     *
     * @return the rule
     */
    public static Rule deconvolution() {
        return new Rule() {
            @Override
            public NDArray backward(RuleContext ctx) {
                return ctx.gradOutput().maximum(0f);
            }

            @Override
            public boolean usesAutograd(ModuleCall call) {
                return false;
            }
        };
    }

    /**
     * DeepLift's Rescale rule on an element-wise activation: \( g \cdot (f(x) - f(x')) / (x - x')
     * \), or autograd's gradient where \( |x - x'| &lt; \varepsilon \). Both halves of the batch get
     * the multiplier of their example.
     *
     * @param eps the threshold
     * @return the rule
     */
    public static Rule rescale(float eps) {
        return new Rule() {
            @Override
            public NDArray backward(RuleContext ctx) {
                return rescaled(ctx, eps);
            }

            @Override
            public boolean usesAutograd(ModuleCall call) {
                return !isRelu(call);
            }
        };
    }

    /**
     * Captum's DeepLift rule on {@code nn.Softmax}: the Rescale multiplier \( g \cdot (y - y') / (x
     * - x') \) (autograd's gradient where \( |x - x'| &lt; \varepsilon \)), minus its mean over
     * <em>every</em> element of the gradient tensor, i.e. over the whole batch of inputs and
     * baselines together (Captum 0.8, deep_lift.py {@code softmax}: {@code grad - grad.sum() / n}
     * with {@code n = grad.numel()}). So the attributions of one example depend on the others in the
     * batch, as in Captum.
     *
     * @param eps the threshold
     * @return the rule
     */
    public static Rule rescaleSoftmax(float eps) {
        return ctx -> {
            NDArray g = rescaled(ctx, eps);
            return g.sub(g.mean());
        };
    }

    private static NDArray rescaled(RuleContext ctx, float eps) {
        NDArray x = ctx.input();
        half(x);
        NDList xs = x.split(2);
        NDList ys = ctx.output().split(2);
        NDArray deltaIn = xs.get(0).sub(xs.get(1));
        NDArray ratio = ys.get(0).sub(ys.get(1)).div(deltaIn);
        NDArray gy = ctx.gradOutput();
        // toFloatArray on the 0-d minimum: getFloat() would index it first (one more native op)
        if (deltaIn.abs().min().toFloatArray()[0] >= eps) {
            // the usual case: no |x - x'| under eps, both halves take the ratio (broadcast over
            // the two halves instead of concatenating it)
            Shape halves = new Shape(2).addAll(ratio.getShape());
            return gy.reshape(halves).mul(ratio).reshape(gy.getShape());
        }
        NDArray small = deltaIn.abs().lt(eps);
        if (isRelu(ctx.call())) {
            // ReLU's own multiplier is known: no autograd on the module
            DataType t = x.getDataType();
            NDArray m0 = NDArrays.where(small, xs.get(0).gt(0f).toType(t, false), ratio);
            NDArray m1 = NDArrays.where(small, xs.get(1).gt(0f).toType(t, false), ratio);
            return gy.mul(m0.concat(m1, 0));
        }
        small = small.concat(small, 0);
        return NDArrays.where(small, ctx.gradient(), gy.mul(ratio.concat(ratio, 0)));
    }

    /**
     * DeepLift's rule on max pooling (Captum's {@code maxpool}): the output differences \( \max(y,
     * y') - y' \) and \( y - \max(y, y') \), weighted by the gradient, are routed back to the
     * maximal inputs, summed over the two halves and divided by \( x - x' \) (autograd's gradient
     * where \( |x - x'| &lt; \varepsilon \); like Captum 0.8, that of the batch's first example).
     *
     * @param eps the threshold
     * @return the rule
     */
    public static Rule rescaleMaxPool(float eps) {
        return ctx -> {
            NDArray deltaIn = halfDifference(ctx.input());
            NDArray y = ctx.output();
            long n = y.getShape().get(0) / 2;
            NDArray out = y.get(new NDIndex().addSliceDim(0, n));
            NDArray ref = y.get(new NDIndex().addSliceDim(n, 2 * n));
            NDArray max = out.maximum(ref);
            NDArray deltaOut = max.sub(ref).concat(out.sub(max), 0);
            NDArray routed = ctx.vjp(ctx.gradOutput().mul(deltaOut));
            NDArray sum =
                    routed.get(new NDIndex().addSliceDim(0, n))
                            .add(routed.get(new NDIndex().addSliceDim(n, 2 * n)));
            NDArray ratio = sum.concat(sum, 0).div(deltaIn);
            // Captum 0.8 indexes the gradient tensor with [0]: where |x - x'| < eps every example
            // gets the module gradient of the batch's first example, broadcast. Mirrored to match.
            NDArray first = ctx.gradient().get(new NDIndex().addSliceDim(0, 1));
            return NDArrays.where(
                    deltaIn.abs().lt(eps), first.broadcast(deltaIn.getShape()), ratio);
        };
    }

    /** \( [a - b; a - b] \) for a batch \( [a; b] \). */
    private static NDArray halfDifference(NDArray x) {
        long n = half(x);
        NDArray d =
                x.get(new NDIndex().addSliceDim(0, n))
                        .sub(x.get(new NDIndex().addSliceDim(n, 2 * n)));
        return d.concat(d, 0);
    }

    /** Half the batch, which holds inputs then as many baselines. */
    private static long half(NDArray x) {
        long n = x.getShape().get(0);
        if (n % 2 != 0) {
            throw new IllegalArgumentException(
                    "DeepLift rules need a batch of inputs followed by as many baselines, got "
                            + n
                            + " rows");
        }
        return n / 2;
    }

    /** Whether the module is a PyTorch ReLU (whose derivative the rules write directly). */
    private static boolean isRelu(ModuleCall call) {
        return "ReLU".equals(call.type());
    }
}
