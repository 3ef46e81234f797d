package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;

import java.util.List;

/**
 * What a gradient attack (FGSM, PGD) is built on: the differentiable model, the per-example loss
 * whose gradient it follows and the bounds every perturbed input is clamped to. Not API.
 *
 * @param forwardFunction the model
 * @param loss the per-example loss ({@link Loss#negativeLog()} when given {@code null})
 * @param lowerBound the smallest input value ({@code Double.NEGATIVE_INFINITY} for none)
 * @param upperBound the largest input value ({@code Double.POSITIVE_INFINITY} for none)
 */
record AttackedModel(
        ForwardFunction forwardFunction, Loss loss, double lowerBound, double upperBound) {

    /**
     * Checks the model and the bounds; a null loss is Captum's default.
     *
     * @param forwardFunction the model
     * @param loss the per-example loss, or {@code null}
     * @param lowerBound the smallest input value
     * @param upperBound the largest input value
     */
    AttackedModel {
        Checks.notNull(forwardFunction, "forwardFunction");
        loss = loss == null ? Loss.negativeLog() : loss;
        Checks.argument(
                !Double.isNaN(lowerBound) && !Double.isNaN(upperBound) && lowerBound <= upperBound,
                "lowerBound must be <= upperBound (both not NaN), got lowerBound=%s upperBound=%s",
                lowerBound,
                upperBound);
    }

    /**
     * The gradient of the summed per-example loss at {@code x} ({@link AttackSteps#lossGradients}).
     */
    NDList lossGradients(NDList x, List<Object> args, Target target) {
        return AttackSteps.lossGradients(forwardFunction, loss, x, args, target);
    }

    /** {@code x} clamped to the bounds, see {@link AttackSteps#bound}. */
    NDArray bound(NDArray x) {
        return AttackSteps.bound(x, lowerBound, upperBound);
    }
}
