package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Scope;

import java.util.ArrayList;
import java.util.List;

/**
 * Fast Gradient Sign Method: one step of size \( \epsilon \) along the sign of the loss gradient,
 * \[ x' = \mathrm{clamp}\big(x + s\,\epsilon\,\mathrm{sign}(\nabla_x L(f(x), t)) \odot m,\;
 * \ell, u\big), \] with \( s = +1 \) for an untargeted attack (t = the true labels, the loss goes
 * up) and \( s = -1 \) for a targeted one (t = the wanted labels, the loss goes down); elements
 * whose gradient is at most \( 10^{-6} \) in magnitude are left unchanged, \( m \) is the optional
 * mask of perturbable elements, \( [\ell, u] \) the bounds.
 *
 * <p>Goodfellow, Shlens and Szegedy, <i>Explaining and Harnessing Adversarial Examples</i>, ICLR
 * 2015 (arXiv:1412.6572). Captum's {@code FGSM}: any differentiable forward function, the gradient
 * of the sum of a per-example {@link Loss} (default {@link Loss#negativeLog()}, Captum's {@code
 * -log} of the raw output; use {@link Loss#crossEntropy()} on logits).
 *
 * <pre>{@code
 * FGSM fgsm = new FGSM(model, Loss.crossEntropy(), 0, 1);
 * NDList adversarial = fgsm.perturb(Inputs.of(images), Target.perExample(labels),
 *         new FGSM.Options(0.05, false, null));
 * }</pre>
 */
public final class FGSM {

    private final AttackedModel model;

    /**
     * FGSM with Captum's defaults: loss {@link Loss#negativeLog()}, no bounds.
     *
     * @param forwardFunction the model (differentiable)
     */
    public FGSM(ForwardFunction forwardFunction) {
        this(forwardFunction, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * FGSM with a loss and bounds.
     *
     * @param forwardFunction the model (differentiable)
     * @param loss the per-example loss, or {@code null} for {@link Loss#negativeLog()}
     * @param lowerBound the smallest input value ({@code Double.NEGATIVE_INFINITY} for none)
     * @param upperBound the largest input value ({@code Double.POSITIVE_INFINITY} for none)
     */
    public FGSM(ForwardFunction forwardFunction, Loss loss, double lowerBound, double upperBound) {
        this.model = new AttackedModel(forwardFunction, loss, lowerBound, upperBound);
    }

    /**
     * The arguments of one call (Captum's {@code perturb} keywords).
     *
     * @param epsilon the step size, finite and {@code >= 0}
     * @param targeted whether {@code target} is the label to reach (default false: the true label
     *     to move away from)
     * @param mask one 0/1 tensor per input marking the elements that may change (each of its
     *     input's shape, or 1 in broadcast dimensions), or {@code null} for all
     */
    public record Options(double epsilon, boolean targeted, NDList mask) {
        /**
         * Validates the arguments.
         *
         * @param epsilon the step size, finite and {@code >= 0}
         * @param targeted whether {@code target} is the label to reach (default false: the true
         *     label to move away from)
         * @param mask one 0/1 tensor per input marking the elements that may change (each of its
         *     input's shape, or 1 in broadcast dimensions), or {@code null} for all
         */
        public Options {
            Checks.argument(
                    Double.isFinite(epsilon) && epsilon >= 0,
                    "epsilon must be finite and >= 0, got %s",
                    epsilon);
        }

        /**
         * Untargeted, every element perturbable (Captum's defaults).
         *
         * @param epsilon the step size
         * @return the options
         */
        public static Options of(double epsilon) {
            return new Options(epsilon, false, null);
        }
    }

    /**
     * Perturbs the inputs.
     *
     * @param inputs the inputs (floating point) with any additional forward arguments
     * @param target the true labels (untargeted) or the labels to reach (targeted)
     * @param options epsilon, targeted, mask
     * @return one perturbed tensor per input, in the inputs' manager
     */
    public NDList perturb(Inputs inputs, Target target, Options options) {
        Checks.notNull(options, "options");
        AttackSteps.checkCall(model.forwardFunction(), inputs, target, options.mask(), "FGSM");
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            if (options.mask() != null) {
                Scope.borrow(scratch, new ArrayList<>(options.mask()));
            }
            NDList x = inputs.tensors();
            List<Object> args = inputs.additionalArgs();
            NDList grads = model.lossGradients(x, args, target);
            NDList moved =
                    AttackSteps.step(x, grads, options.epsilon(), options.targeted(), options.mask());
            NDList out = new NDList(moved.size());
            for (NDArray m : moved) {
                out.add(model.bound(m));
            }
            return Scope.handOver(caller, out);
        }
    }
}
