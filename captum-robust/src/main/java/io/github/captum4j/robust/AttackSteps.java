package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Targets;
import io.github.captum4j.core.internal.TensorChecks;

import java.util.List;

/** The pieces FGSM and PGD share: loss gradient, signed step, bounds, argument checks. Not API. */
final class AttackSteps {

    /** Captum's {@code zero_thresh}: gradients at most this large in magnitude leave x unchanged. */
    static final double ZERO_THRESHOLD = 1e-6;

    private AttackSteps() {}

    /** Checks what every attack call needs: floating inputs, a target of the batch, masks. */
    static void checkCall(
            ForwardFunction f, Inputs inputs, Target target, NDList mask, String method) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(target, "target");
        Checks.argument(
                f.isDifferentiable(),
                "forwardFunction must be differentiable for %s (a gradient attack), got a black"
                        + " box",
                method);
        TensorChecks.requireFloatingPoint(inputs.tensors(), method);
        Targets.validate(target, inputs.batchSize());
        if (mask == null) {
            return;
        }
        Checks.onePerInput(mask.size(), inputs.size(), "mask");
        for (int i = 0; i < mask.size(); i++) {
            Shape m = mask.get(i).getShape();
            Shape x = inputs.get(i).getShape();
            Checks.argument(
                    Checks.fitsWithBroadcast(m, x),
                    "mask[%s] must have the shape of inputs[%s] %s (or 1 in broadcast dimensions),"
                            + " got %s",
                    i,
                    i,
                    Checks.shape(x),
                    Checks.shape(m));
        }
    }

    /** d(sum over the batch of the per-example loss)/d(inputs), Captum's {@code compute_gradients}. */
    static NDList lossGradients(
            ForwardFunction f, Loss loss, NDList x, List<Object> args, Target target) {
        long batch = x.get(0).getShape().get(0);
        ForwardFunction withLoss =
                (in, a) -> {
                    NDArray l = loss.apply(f.forward(in, a), target);
                    Checks.argument(
                            l != null && l.getShape().dimension() == 1 && l.size() == batch,
                            "loss must return one value per example, shape (%s), got %s; Captum"
                                    + " differentiates the sum of the per-example losses (a"
                                    + " mean or sum over the batch is rejected)",
                            batch,
                            l == null ? "null" : Checks.shape(l.getShape()));
                    return l;
                };
        return Gradients.compute(withLoss, x, args, Target.none()).gradients();
    }

    /**
     * One FGSM step without bounds: {@code where(|g| > 1e-6, x + s * eps * sign(g) * mask, x)},
     * {@code s = -1} for a targeted attack.
     */
    static NDList step(NDList x, NDList grads, double epsilon, boolean targeted, NDList mask) {
        double s = targeted ? -epsilon : epsilon;
        NDList out = new NDList(x.size());
        for (int i = 0; i < x.size(); i++) {
            NDArray g = grads.get(i);
            NDArray delta = g.sign().mul(s);
            if (mask != null) {
                delta = delta.mul(mask.get(i));
            }
            NDArray moved = x.get(i).add(delta);
            out.add(NDArrays.where(g.abs().gt(ZERO_THRESHOLD), moved, x.get(i)));
        }
        return out;
    }

    /** {@code clamp(x, lower, upper)}; a copy when both bounds are infinite. */
    static NDArray bound(NDArray x, double lower, double upper) {
        if (lower == Double.NEGATIVE_INFINITY && upper == Double.POSITIVE_INFINITY) {
            return x.duplicate();
        }
        NDArray out = x;
        if (lower != Double.NEGATIVE_INFINITY) {
            out = out.maximum((float) lower);
        }
        if (upper != Double.POSITIVE_INFINITY) {
            out = out.minimum((float) upper);
        }
        return out;
    }
}
