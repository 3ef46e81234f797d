package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Scope;
import io.github.captum4j.core.internal.Targets;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The smallest value of an attack's parameter that makes the model fail: \[ p^* = \min\{p \in
 * \{p_{\min}, p_{\min} + \Delta, \dots\},\ p &lt; p_{\max} : \neg\,\mathrm{correct}(f(A(x, p)))\}, \]
 * searched linearly in steps of \( \Delta \) or by binary search on the same grid (which assumes
 * failure is monotone in \( p \)). The default correctness check is "the prediction is unchanged":
 * \( \arg\max f(x')_n = t_n \) for every example, so a single misclassified example is a failure.
 *
 * <p>Captum's {@code MinParamPerturbation}, with its floating-point stepping: the linear grid
 * accumulates \( p \mathrel{+}= \Delta \) in double precision, the binary search halves the number
 * of whole steps between its bounds with Python's floor division of doubles and stops when the
 * midpoint is {@code math.isclose} to the lower bound. With {@code numAttempts > 1} every value is
 * tried that many times (for a random attack); {@code perturbationsPerEval} attacked batches share
 * one forward pass; the first failure in order wins. Not from a paper.
 *
 * <pre>{@code
 * MinParamPerturbation search = new MinParamPerturbation(model,
 *         (x, std) -> new NDList(x.get(0).add(noise.mul(std))),
 *         MinParamPerturbation.Options.builder("std", 0, 3, 0.1).build());
 * Optional<MinParamPerturbation.Result> r =
 *         search.evaluate(Inputs.of(x), Target.perExample(labels), 1);
 * }</pre>
 */
@Value.Enclosing
public final class MinParamPerturbation {

    private final ForwardFunction forwardFunction;
    private final Attack attack;
    private final Options options;

    /**
     * An attack with one numeric parameter, e.g. the standard deviation of added noise or the
     * number of dropped features.
     */
    @FunctionalInterface
    public interface Attack {
        /**
         * Perturbs the inputs.
         *
         * @param inputs the inputs (or the preprocessed inputs, see {@link
         *     Options#applyBeforePreproc()})
         * @param value the parameter's value (an integer-valued double for integer grids)
         * @return the perturbed inputs, one tensor per input, of the same batch size
         */
        NDList apply(NDList inputs, double value);
    }

    /** Whether the model is still right on an attacked batch (Captum's {@code correct_fn}). */
    @FunctionalInterface
    public interface CorrectFunction {
        /**
         * Judges one batch.
         *
         * @param output the model output for the attacked batch
         * @param target the call's target
         * @return {@code true} if the model is still correct (the attack failed)
         */
        boolean correct(NDArray output, Target target);

        /**
         * Captum's default: \( \arg\max_c f(x')_{n,c} = t_n \) for every example n (a 2-D
         * output and a class-index target).
         *
         * @return the function
         */
        static CorrectFunction predictionUnchanged() {
            return (output, target) -> {
                Checks.argument(
                        output.getShape().dimension() == 2,
                        "the default correctFunction needs a 2-D model output (N, classes), got"
                                + " shape %s; pass a correctFunction",
                        Checks.shape(output.getShape()));
                long[] predicted = output.argMax(1).toLongArray();
                for (int n = 0; n < predicted.length; n++) {
                    if (predicted[n] != classOf(target, n)) {
                        return false;
                    }
                }
                return true;
            };
        }
    }

    /** Captum's {@code mode}. */
    public enum Mode {
        /** Try \( p_{\min}, p_{\min} + \Delta, \dots \) in order. */
        LINEAR,
        /** Binary search on the same grid. */
        BINARY
    }

    /**
     * The search space and checks, with Captum's names and defaults.
     *
     * @param argName the parameter's name (for messages and reports)
     * @param argMin the first value tried
     * @param argMax the (exclusive) upper end of the grid; must exceed {@code argMin + argStep}
     * @param argStep the grid step, {@code > 0}
     * @param mode linear or binary search (default linear)
     * @param numAttempts tries per value, {@code >= 1} (default 1)
     * @param preproc preprocessing applied before the model, or {@code null} (default)
     * @param applyBeforePreproc attack the raw inputs and then preprocess (true), or attack the
     *     preprocessed inputs (false, default)
     * @param correctFunction the check, default {@link CorrectFunction#predictionUnchanged()}
     */
    @Value.Builder
    public record Options(
            String argName,
            double argMin,
            double argMax,
            double argStep,
            Mode mode,
            int numAttempts,
            UnaryOperator<NDList> preproc,
            boolean applyBeforePreproc,
            CorrectFunction correctFunction) {
        /**
         * Validates the search space.
         *
         * @param argName the parameter's name (for messages and reports)
         * @param argMin the first value tried
         * @param argMax the (exclusive) upper end of the grid; must exceed {@code argMin + argStep}
         * @param argStep the grid step, {@code > 0}
         * @param mode linear or binary search (default linear)
         * @param numAttempts tries per value, {@code >= 1} (default 1)
         * @param preproc preprocessing applied before the model, or {@code null} (default)
         * @param applyBeforePreproc attack the raw inputs and then preprocess (true), or attack the
         *     preprocessed inputs (false, default)
         * @param correctFunction the check, default {@link CorrectFunction#predictionUnchanged()}
         */
        public Options {
            Checks.notNull(argName, "argName");
            Checks.argument(
                    Double.isFinite(argMin) && Double.isFinite(argMax) && Double.isFinite(argStep),
                    "argMin, argMax and argStep must be finite, got %s, %s, %s",
                    argMin,
                    argMax,
                    argStep);
            Checks.argument(argStep > 0, "argStep must be > 0, got %s", argStep);
            Checks.argument(
                    argMax > argMin + argStep,
                    "argMax must exceed argMin + argStep (%s + %s), got %s",
                    argMin,
                    argStep,
                    argMax);
            Checks.notNull(mode, "mode");
            Checks.argument(numAttempts >= 1, "numAttempts must be >= 1, got %s", numAttempts);
            Checks.notNull(correctFunction, "correctFunction");
        }

        /**
         * A builder with Captum's defaults for everything but the grid.
         *
         * @param argName the parameter's name
         * @param argMin the first value
         * @param argMax the exclusive end
         * @param argStep the step
         * @return the builder
         */
        public static Builder builder(String argName, double argMin, double argMax, double argStep) {
            return new Builder()
                    .from(
                            new Options(
                                    argName,
                                    argMin,
                                    argMax,
                                    argStep,
                                    Mode.LINEAR,
                                    1,
                                    null,
                                    false,
                                    CorrectFunction.predictionUnchanged()));
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
        public static final class Builder extends MinParamPerturbationBuilders.OptionsBuilder {
            Builder() {}

            /**
             * Sets {@code preproc} and {@code applyBeforePreproc}.
             *
             * @param value the preprocessing, or null
             * @param before whether the attack sees the raw inputs
             * @return this
             */
            public Builder preproc(UnaryOperator<NDList> value, boolean before) {
                return preproc(value).applyBeforePreproc(before);
            }
        }
    }

    /**
     * The answer of a successful search.
     *
     * @param perturbed the attacked inputs at the smallest failing value (before preprocessing),
     *     in the inputs' manager
     * @param value the smallest failing value
     */
    public record Result(NDList perturbed, double value) {}

    /**
     * A search.
     *
     * @param forwardFunction the model (may be a black box)
     * @param attack the attack
     * @param options the grid and checks
     */
    public MinParamPerturbation(ForwardFunction forwardFunction, Attack attack, Options options) {
        this.forwardFunction = Checks.notNull(forwardFunction, "forwardFunction");
        this.attack = Checks.notNull(attack, "attack");
        this.options = Checks.notNull(options, "options");
    }

    /**
     * Searches the smallest failing value.
     *
     * @param inputs the inputs and any additional forward arguments
     * @param target passed to the correctness function (the true labels for the default one)
     * @param perturbationsPerEval attacked batches evaluated per forward pass, {@code >= 1}
     * @return the smallest failing value and its attacked inputs, or empty if none fails
     */
    public Optional<Result> evaluate(Inputs inputs, Target target, int perturbationsPerEval) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(target, "target");
        Checks.atLeast(perturbationsPerEval, 1, "perturbationsPerEval");
        Targets.validate(target, inputs.batchSize());
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            Search search = new Search(inputs, target, perturbationsPerEval, scratch);
            Optional<Found> found =
                    options.mode() == Mode.LINEAR ? search.linear() : search.binary();
            return found.map(
                    f -> {
                        return new Result(Scope.handOver(caller, f.perturbed), f.value);
                    });
        }
    }

    private record Found(NDList perturbed, double value) {}

    /** One call's search state. */
    private final class Search {
        private final Inputs inputs;
        private final Target target;
        private final int perEval;
        private final NDManager scratch;
        private final NDList preprocessed;

        Search(Inputs inputs, Target target, int perEval, NDManager scratch) {
            this.inputs = inputs;
            this.target = target;
            this.perEval = perEval;
            this.scratch = scratch;
            this.preprocessed =
                    options.preproc() == null
                            ? inputs.tensors()
                            : options.preproc().apply(inputs.tensors());
        }

        Optional<Found> linear() {
            List<Double> values = new ArrayList<>();
            for (double p = options.argMin(); p < options.argMax(); p += options.argStep()) {
                for (int a = 0; a < options.numAttempts(); a++) {
                    values.add(p);
                    if (values.size() == perEval) {
                        Optional<Found> f = tryValues(values);
                        if (f.isPresent()) {
                            return f;
                        }
                        values.clear();
                    }
                }
            }
            return values.isEmpty() ? Optional.empty() : tryValues(values);
        }

        Optional<Found> binary() {
            double lo = options.argMin();
            double hi = options.argMax();
            double step = options.argStep();
            Found best = null;
            while (hi > lo) {
                double midSteps = PythonFloats.floorDiv(PythonFloats.floorDiv(hi - lo, step), 2);
                if (midSteps == 0 && lo + step < hi) {
                    midSteps = 1;
                }
                double mid = lo + midSteps * step;
                boolean success = false;
                List<Double> values = new ArrayList<>();
                for (int a = 0; a < options.numAttempts() && !success; a++) {
                    values.add(mid);
                    if (values.size() == perEval || a == options.numAttempts() - 1) {
                        Optional<Found> f = tryValues(values);
                        if (f.isPresent()) {
                            success = true;
                            hi = mid;
                            if (best == null || best.value > mid) {
                                best = f.get();
                            }
                        }
                        values.clear();
                    }
                }
                if (PythonFloats.isClose(lo, mid)) {
                    break;
                }
                if (!success) {
                    lo = mid;
                }
            }
            return Optional.ofNullable(best);
        }

        /** Attacks once per value, evaluates them in one pass; the first failure in order. */
        private Optional<Found> tryValues(List<Double> values) {
            try (NDManager batch = scratch.newSubManager()) {
                List<NDArray> callers = new ArrayList<>(inputs.tensors());
                callers.addAll(preprocessed);
                Scope.borrow(batch, callers);
                List<NDList> attacked = new ArrayList<>(values.size());
                List<NDList> evaluated = new ArrayList<>(values.size());
                for (double v : values) {
                    NDList a;
                    NDList e;
                    if (options.applyBeforePreproc()) {
                        a = attack.apply(inputs.tensors(), v);
                        e = options.preproc() == null ? a : options.preproc().apply(a);
                    } else {
                        a = attack.apply(preprocessed, v);
                        e = a;
                    }
                    attacked.add(a);
                    evaluated.add(e);
                }
                int failed =
                        RobustBatches.firstFailure(
                                forwardFunction,
                                evaluated,
                                inputs,
                                target,
                                options.correctFunction());
                if (failed < 0) {
                    return Optional.empty();
                }
                NDList kept = new NDList();
                for (NDArray w : attacked.get(failed)) {
                    NDArray k = callers.contains(w) || w.getManager() != batch ? w.duplicate() : w;
                    k.attach(scratch);
                    kept.add(k);
                }
                return Optional.of(new Found(kept, values.get(failed)));
            }
        }
    }

    static long classOf(Target target, int n) {
        if (target instanceof Target.Position) {
            int[] idx = ((Target.Position) target).indices();
            Checks.argument(idx.length == 1, "target must be one class index per example, got %s", target);
            return idx[0];
        }
        Checks.argument(
                target instanceof Target.PerExample,
                "target must be a class index or one per example, got %s",
                target);
        int[] t = ((Target.PerExample) target).tuples().get(n);
        Checks.argument(t.length == 1, "target must be one class index per example, got %s", target);
        return t[0];
    }
}
