package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Scope;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Projected Gradient Descent: FGSM steps of size \( \alpha \) projected back onto the ball of
 * radius \( r \) around the original input,
 * \[ x_0 = x, \qquad x_{k+1} = \mathrm{clamp}\Big(\Pi_{B_r(x)}\big(x_k + s\,\alpha\,
 * \mathrm{sign}(\nabla_{x_k} L(f(x_k), t)) \odot m\big), \ell, u\Big), \]
 * \( s = \pm 1 \) as in {@link FGSM}; \( \Pi \) clamps each element's change to \( [-r, r] \)
 * ({@link Norm#LINF}) or rescales an example's change whose L2 norm exceeds \( r \) by \( r /
 * (\|\delta\|_2 + 10^{-7}) \) ({@link Norm#L2}, {@code torch.renorm}). As in Captum, the step is
 * the gradient's sign for both norms. With {@code randomStart}, \( x_0 \) is a uniform point of the
 * ball (times the mask), clamped to the bounds.
 *
 * <p>Madry et al., <i>Towards Deep Learning Models Resistant to Adversarial Attacks</i>, ICLR 2018
 * (arXiv:1706.06083). Captum's {@code PGD}, with one difference: Captum's L2 random start scales
 * the batch's radii along the last dimension instead of per example (pgd.py:230), which is only
 * right for a batch of one; here each example gets its own radius (the same for a batch of one).
 *
 * <pre>{@code
 * PGD pgd = new PGD(model, Loss.crossEntropy(), 0, 1);
 * NDList adversarial = pgd.perturb(Inputs.of(images), Target.perExample(labels),
 *         PGD.Options.builder(0.1, 0.02, 10).norm(Norm.L2).build());
 * }</pre>
 */
@Value.Enclosing
public final class PGD {

    private final AttackedModel model;

    /**
     * PGD with Captum's defaults: loss {@link Loss#negativeLog()}, no bounds.
     *
     * @param forwardFunction the model (differentiable)
     */
    public PGD(ForwardFunction forwardFunction) {
        this(forwardFunction, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * PGD with a loss and bounds.
     *
     * @param forwardFunction the model (differentiable)
     * @param loss the per-example loss, or {@code null} for {@link Loss#negativeLog()}
     * @param lowerBound the smallest input value ({@code Double.NEGATIVE_INFINITY} for none)
     * @param upperBound the largest input value ({@code Double.POSITIVE_INFINITY} for none)
     */
    public PGD(ForwardFunction forwardFunction, Loss loss, double lowerBound, double upperBound) {
        this.model = new AttackedModel(forwardFunction, loss, lowerBound, upperBound);
    }

    /**
     * The arguments of one call, with Captum's names and defaults.
     *
     * @param radius the radius of the ball around the input, finite and {@code >= 0}
     * @param stepSize the size of each step, finite and {@code >= 0}
     * @param stepNum the number of steps, {@code >= 0}
     * @param targeted whether {@code target} is the label to reach (default false)
     * @param randomStart start from a uniform random point of the ball (default false)
     * @param norm the ball's norm (default {@link Norm#LINF})
     * @param mask one 0/1 tensor per input marking the elements that may change, or {@code null}
     *     for all (default)
     * @param seed seed of the random start ({@code torch.manual_seed}), or {@code null} to draw
     *     from the generator's current state (default)
     */
    @Value.Builder
    public record Options(
            double radius,
            double stepSize,
            int stepNum,
            boolean targeted,
            boolean randomStart,
            Norm norm,
            NDList mask,
            Integer seed) {
        /**
         * Validates the arguments.
         *
         * @param radius the radius of the ball around the input, finite and {@code >= 0}
         * @param stepSize the size of each step, finite and {@code >= 0}
         * @param stepNum the number of steps, {@code >= 0}
         * @param targeted whether {@code target} is the label to reach (default false)
         * @param randomStart start from a uniform random point of the ball (default false)
         * @param norm the ball's norm (default {@link Norm#LINF})
         * @param mask one 0/1 tensor per input marking the elements that may change, or {@code
         *     null} for all (default)
         * @param seed seed of the random start ({@code torch.manual_seed}), or {@code null} to draw
         *     from the generator's current state (default)
         */
        public Options {
            Checks.argument(
                    Double.isFinite(radius) && radius >= 0,
                    "radius must be finite and >= 0, got %s",
                    radius);
            Checks.argument(
                    Double.isFinite(stepSize) && stepSize >= 0,
                    "stepSize must be finite and >= 0, got %s",
                    stepSize);
            Checks.argument(stepNum >= 0, "stepNum must be >= 0, got %s", stepNum);
            Checks.notNull(norm, "norm");
        }

        /**
         * A builder with Captum's defaults for everything but the three required arguments.
         *
         * @param radius the radius of the ball
         * @param stepSize the size of each step
         * @param stepNum the number of steps
         * @return the builder
         */
        public static Builder builder(double radius, double stepSize, int stepNum) {
            Options o = new Options(radius, stepSize, stepNum, false, false, Norm.LINF, null, null);
            return new Builder().from(o);
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
         * not set keeps its value (the default, or the copied options); {@code build()} validates.
         * Generated at compile time (Immutables).
         */
        public static final class Builder extends PGDBuilders.OptionsBuilder {
            Builder() {}
        }
    }

    /**
     * Perturbs the inputs.
     *
     * @param inputs the inputs (floating point) with any additional forward arguments
     * @param target the true labels (untargeted) or the labels to reach (targeted)
     * @param options radius, step size and count, norm, ...
     * @return one perturbed tensor per input, in the inputs' manager
     */
    public NDList perturb(Inputs inputs, Target target, Options options) {
        Checks.notNull(options, "options");
        AttackSteps.checkCall(model.forwardFunction(), inputs, target, options.mask(), "PGD");
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            if (options.mask() != null) {
                Scope.borrow(scratch, new ArrayList<>(options.mask()));
            }
            NDList original = inputs.tensors();
            List<Object> args = inputs.additionalArgs();
            NDList x = options.randomStart() ? randomStart(original, options) : original;
            for (int k = 0; k < options.stepNum(); k++) {
                NDList grads = model.lossGradients(x, args, target);
                NDList moved =
                        AttackSteps.step(
                                x, grads, options.stepSize(), options.targeted(), options.mask());
                NDList next = new NDList(moved.size());
                for (int i = 0; i < moved.size(); i++) {
                    NDArray projected = project(original.get(i), moved.get(i), options);
                    next.add(model.bound(projected));
                }
                x = next;
            }
            NDList out = new NDList(x.size());
            for (NDArray v : x) {
                // with no step and no random start x is the caller's array: hand back a copy
                out.add(v.getManager() == scratch ? v : v.duplicate());
            }
            return Scope.handOver(caller, out);
        }
    }

    private static NDArray project(NDArray center, NDArray moved, Options options) {
        NDArray diff = moved.sub(center);
        float r = (float) options.radius();
        if (options.norm() == Norm.LINF) {
            return center.add(diff.clip(-r, r));
        }
        long n = diff.getShape().get(0);
        NDArray norms = diff.reshape(n, -1).norm(new int[] {1}, false);
        NDArray scale = NDArrays.where(norms.gt(r), norms.add(1e-7f).pow(-1).mul(r), norms.onesLike());
        return center.add(diff.mul(scale.reshape(broadcastShape(n, diff.getShape()))));
    }

    private NDList randomStart(NDList original, Options options) {
        NDList start = new NDList(original.size());
        for (int i = 0; i < original.size(); i++) {
            NDArray c = original.get(i);
            NDArray noise = randomPoint(c, options, i);
            if (options.mask() != null) {
                noise = noise.mul(options.mask().get(i));
            }
            start.add(model.bound(c.add(noise)));
        }
        return start;
    }

    /** A uniform point of the ball of radius r around 0, one per example (Captum's _random_point). */
    private static NDArray randomPoint(NDArray center, Options options, int input) {
        NDManager m = center.getManager();
        Shape shape = center.getShape();
        float r = (float) options.radius();
        Integer seed = input == 0 ? options.seed() : Randomness.derive(options.seed(), input);
        if (options.norm() == Norm.LINF) {
            NDArray u =
                    Randomness.draw(seed, () -> Randomness.uniform(m, 0f, 1f, shape, DataType.FLOAT32));
            return u.mul(2 * r).sub(r);
        }
        long n = shape.get(0);
        long d = shape.size() / n;
        NDList draws =
                Randomness.draw(
                        seed,
                        () ->
                                new NDList(
                                        Randomness.normal(m, shape, DataType.FLOAT32),
                                        Randomness.uniform(m, 0f, 1f, new Shape(n), DataType.FLOAT32)));
        NDArray g = draws.get(0);
        NDArray unit = g.div(g.reshape(n, -1).norm(new int[] {1}, true).maximum(1e-12f).reshape(broadcastShape(n, shape)));
        NDArray radii = draws.get(1).pow(1.0f / d).mul(r);
        return unit.mul(radii.reshape(broadcastShape(n, shape)));
    }

    private static Shape broadcastShape(long n, Shape like) {
        long[] dims = new long[like.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        return new Shape(dims);
    }
}
