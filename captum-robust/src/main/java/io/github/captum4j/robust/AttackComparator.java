package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Scope;
import io.github.captum4j.core.internal.Targets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A model's metric on the original inputs and under each of several attacks or perturbations:
 * \( M(f(x), t) \) and, per attack \( A \) tried \( k \) times, the element-wise mean, minimum and
 * maximum over attempts of \( M(f(A(x)), t) \); running summaries keep the mean over calls of each
 * call's batch mean.
 *
 * <p>Captum's {@code AttackComparator}, with its summary keys: {@code "Original"}, {@code "<name>"}
 * for an attack with one attempt, and {@code "<name> Mean Attempt"}, {@code "<name> Min Attempt"},
 * {@code "<name> Max Attempt"} for an attack with several. An attack receives the call's target
 * (Captum's {@code additional_attack_arg_names=["target"]}); fixed arguments are captured by the
 * attack itself. {@code perturbationsPerEval} attacked batches share one forward pass (same
 * numbers). Not from a paper.
 *
 * <pre>{@code
 * AttackComparator cmp = new AttackComparator(model, AttackComparator.Metric.accuracyAndTargetProbability());
 * FGSM fgsm = new FGSM(model, Loss.crossEntropy(), 0, 1);
 * cmp.addAttack(AttackComparator.AttackSpec.of("FGSM", (x, t) -> fgsm.perturb(Inputs.of(x), t, FGSM.Options.of(0.1))));
 * cmp.addAttack(new AttackComparator.AttackSpec("noise", (x, t) -> new NDList(x.get(0).add(x.get(0).randomNormalLike())), 5, true));
 * AttackComparator.Evaluation e = cmp.evaluate(Inputs.of(images), Target.perExample(labels), 1);
 * System.out.println(cmp.summaryTable());
 * }</pre>
 */
public final class AttackComparator {

    /** The key of the unattacked inputs' metric. */
    public static final String ORIGINAL = "Original";

    private final ForwardFunction forwardFunction;
    private final Metric metric;
    private final UnaryOperator<NDList> preproc;
    private final Map<String, AttackSpec> attacks = new LinkedHashMap<>();
    private final Map<String, RunningMean> summaries = new LinkedHashMap<>();

    /** An attack or perturbation; it receives the call's target. */
    @FunctionalInterface
    public interface Attack {
        /**
         * Perturbs the inputs.
         *
         * @param inputs the inputs (raw or preprocessed, see {@link AttackSpec#applyBeforePreproc})
         * @param target the call's target
         * @return one perturbed tensor per input, same batch size
         */
        NDList apply(NDList inputs, Target target);
    }

    /** What is compared: one or more per-example tensors computed from the model's output. */
    @FunctionalInterface
    public interface Metric {
        /**
         * Computes the metric.
         *
         * @param output the model output for one (attacked) batch
         * @param target the call's target
         * @return one or more tensors, each with the batch in dimension 0 (or scalars)
         */
        NDList apply(NDArray output, Target target);

        /**
         * The target's logit, {@code out[n, t_n]}.
         *
         * @return the metric
         */
        static Metric targetLogit() {
            return (out, t) -> new NDList(Targets.select(out, t));
        }

        /**
         * Two tensors: whether the prediction is the target (1/0) and the target's softmax
         * probability.
         *
         * @return the metric
         */
        static Metric accuracyAndTargetProbability() {
            return (out, t) -> {
                long[] predicted = out.argMax(1).toLongArray();
                float[] hit = new float[predicted.length];
                for (int n = 0; n < hit.length; n++) {
                    hit[n] = predicted[n] == MinParamPerturbation.classOf(t, n) ? 1f : 0f;
                }
                return new NDList(
                        out.getManager().create(hit), Targets.select(out.softmax(1), t));
            };
        }
    }

    /**
     * An attack with its name and settings (Captum's {@code add_attack}).
     *
     * @param name the name (the summary keys are derived from it); unique per comparator
     * @param attack the attack
     * @param numAttempts tries per call, {@code >= 1} (default 1; more for a random attack)
     * @param applyBeforePreproc attack the raw inputs then preprocess (default true), or attack the
     *     preprocessed inputs
     */
    public record AttackSpec(
            String name, Attack attack, int numAttempts, boolean applyBeforePreproc) {
        /**
         * Validates the settings.
         *
         * @param name the name (the summary keys are derived from it); unique per comparator
         * @param attack the attack
         * @param numAttempts tries per call, {@code >= 1} (default 1; more for a random attack)
         * @param applyBeforePreproc attack the raw inputs then preprocess (default true), or attack
         *     the preprocessed inputs
         */
        public AttackSpec {
            Checks.notNull(name, "name");
            Checks.argument(
                    !name.equals(ORIGINAL), "name must not be '%s' (reserved), got it", ORIGINAL);
            Checks.notNull(attack, "attack");
            Checks.argument(numAttempts >= 1, "numAttempts must be >= 1, got %s", numAttempts);
        }

        /**
         * One attempt, applied before preprocessing (Captum's defaults).
         *
         * @param name the name
         * @param attack the attack
         * @return the spec
         */
        public static AttackSpec of(String name, Attack attack) {
            return new AttackSpec(name, attack, 1, true);
        }
    }

    /**
     * One tensor of a metric, read back to the JVM.
     *
     * @param shape its shape
     * @param values its values, row-major
     */
    public record MetricValue(long[] shape, float[] values) {
        /**
         * The mean over dimension 0 (the batch); a scalar stays itself.
         *
         * @return the batch mean
         */
        public MetricValue batchMean() {
            if (shape.length == 0) {
                return this;
            }
            int n = (int) shape[0];
            int per = n == 0 ? 0 : values.length / n;
            double[] sum = new double[per];
            for (int i = 0; i < values.length; i++) {
                sum[i % per] += values[i];
            }
            float[] mean = new float[per];
            for (int j = 0; j < per; j++) {
                mean[j] = (float) (sum[j] / n);
            }
            long[] rest = java.util.Arrays.copyOfRange(shape, 1, shape.length);
            return new MetricValue(rest, mean);
        }

        @Override
        public String toString() {
            if (values.length == 1) {
                return String.format(java.util.Locale.ROOT, "%.4f", values[0]);
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < values.length; i++) {
                sb.append(i == 0 ? "" : ", ")
                        .append(String.format(java.util.Locale.ROOT, "%.4f", values[i]));
            }
            return sb.append(']').toString();
        }
    }

    /**
     * An attack's metric over its attempts in one call, element-wise; {@code min} and {@code max}
     * are {@code null} for one attempt.
     *
     * @param mean the mean over attempts, one value per metric tensor
     * @param min the minimum over attempts, or null
     * @param max the maximum over attempts, or null
     */
    public record AttackResult(List<MetricValue> mean, List<MetricValue> min, List<MetricValue> max) {}

    /**
     * The result of one {@link #evaluate} call.
     *
     * @param original the metric on the unattacked inputs
     * @param attacks each attack's result, in the order added
     */
    public record Evaluation(List<MetricValue> original, Map<String, AttackResult> attacks) {}

    /**
     * A comparator without preprocessing.
     *
     * @param forwardFunction the model (may be a black box; gradient attacks need their own
     *     differentiable model)
     * @param metric the metric
     */
    public AttackComparator(ForwardFunction forwardFunction, Metric metric) {
        this(forwardFunction, metric, null);
    }

    /**
     * A comparator.
     *
     * @param forwardFunction the model
     * @param metric the metric
     * @param preproc preprocessing applied before the model, or {@code null}
     */
    public AttackComparator(
            ForwardFunction forwardFunction, Metric metric, UnaryOperator<NDList> preproc) {
        this.forwardFunction = Checks.notNull(forwardFunction, "forwardFunction");
        this.metric = Checks.notNull(metric, "metric");
        this.preproc = preproc;
    }

    /**
     * Adds an attack.
     *
     * @param spec the attack and its settings
     * @throws IllegalArgumentException if an attack of that name exists
     */
    public void addAttack(AttackSpec spec) {
        Checks.notNull(spec, "spec");
        Checks.argument(
                !attacks.containsKey(spec.name()),
                "name must be unique: an attack named '%s' was already added",
                spec.name());
        attacks.put(spec.name(), spec);
    }

    /**
     * Evaluates the metric on the inputs and under every attack, and updates the summaries.
     *
     * @param inputs the inputs and any additional forward arguments
     * @param target passed to the attacks and the metric
     * @param perturbationsPerEval batches per forward pass, {@code >= 1}
     * @return this call's metrics
     */
    public Evaluation evaluate(Inputs inputs, Target target, int perturbationsPerEval) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(target, "target");
        Checks.atLeast(perturbationsPerEval, 1, "perturbationsPerEval");
        Targets.validate(target, inputs.batchSize());
        Map<String, List<List<MetricValue>>> perKey = new LinkedHashMap<>();
        try (NDManager scratch = inputs.manager().newSubManager()) {
            Scope.borrow(scratch, inputs);
            NDList raw = inputs.tensors();
            NDList pre = preproc == null ? raw : preproc.apply(raw);
            Pending pending =
                    new Pending(inputs, target, perturbationsPerEval, perKey, scratch, pre);
            try {
                pending.add(ORIGINAL, pre);
                for (AttackSpec spec : attacks.values()) {
                perKey.put(spec.name(), new ArrayList<>());
                for (int a = 0; a < spec.numAttempts(); a++) {
                    NDList attacked;
                    if (spec.applyBeforePreproc()) {
                        NDList x = spec.attack().apply(raw, target);
                        attacked = preproc == null ? x : preproc.apply(x);
                    } else {
                        attacked = spec.attack().apply(pre, target);
                    }
                    pending.add(spec.name(), attacked);
                }
                }
                pending.flush();
            } finally {
                pending.close();
            }
        }
        return record(perKey);
    }

    /**
     * The running summaries: per key, the mean over calls of each call's batch mean, one value per
     * metric tensor.
     *
     * @return the summaries, in Captum's key order
     */
    public Map<String, List<MetricValue>> summary() {
        Map<String, List<MetricValue>> out = new LinkedHashMap<>();
        summaries.forEach((k, v) -> out.put(k, v.mean()));
        return Collections.unmodifiableMap(out);
    }

    /** Forgets the summaries (the attacks stay). */
    public void reset() {
        summaries.clear();
    }

    /**
     * The summaries as a text table: one row per key, one column per metric tensor.
     *
     * @return the table
     */
    public String summaryTable() {
        Map<String, List<MetricValue>> s = summary();
        int width = ORIGINAL.length();
        for (String k : s.keySet()) {
            width = Math.max(width, k.length());
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + width + "s";
        sb.append(String.format(fmt, "attack"));
        int columns = s.isEmpty() ? 0 : s.values().iterator().next().size();
        for (int c = 0; c < columns; c++) {
            sb.append(" | metric[").append(c).append(']');
        }
        sb.append(System.lineSeparator());
        for (Map.Entry<String, List<MetricValue>> e : s.entrySet()) {
            sb.append(String.format(fmt, e.getKey()));
            for (MetricValue v : e.getValue()) {
                sb.append(" | ").append(String.format("%9s", v));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private Evaluation record(Map<String, List<List<MetricValue>>> perKey) {
        List<MetricValue> original = perKey.get(ORIGINAL).get(0);
        update(ORIGINAL, original);
        Map<String, AttackResult> results = new LinkedHashMap<>();
        for (AttackSpec spec : attacks.values()) {
            List<List<MetricValue>> tries = perKey.get(spec.name());
            if (tries.size() == 1) {
                results.put(spec.name(), new AttackResult(tries.get(0), null, null));
                update(spec.name(), tries.get(0));
            } else {
                AttackResult r =
                        new AttackResult(
                                AttemptStats.reduce(tries, AttemptStats.Kind.MEAN),
                                AttemptStats.reduce(tries, AttemptStats.Kind.MIN),
                                AttemptStats.reduce(tries, AttemptStats.Kind.MAX));
                results.put(spec.name(), r);
                update(spec.name() + " Mean Attempt", r.mean());
                update(spec.name() + " Max Attempt", r.max());
                update(spec.name() + " Min Attempt", r.min());
            }
        }
        return new Evaluation(original, Collections.unmodifiableMap(results));
    }

    private void update(String key, List<MetricValue> values) {
        List<MetricValue> means = new ArrayList<>(values.size());
        for (MetricValue v : values) {
            means.add(v.batchMean());
        }
        summaries.computeIfAbsent(key, k -> new RunningMean()).add(means);
    }

    /**
     * Attacked batches waiting for a forward pass, in Captum's order. Each group of batches lives
     * in its own sub-manager (the inputs are borrowed into it, so attacks allocate there), closed
     * after its forward pass.
     */
    private final class Pending {
        private final Inputs inputs;
        private final Target target;
        private final int perEval;
        private final Map<String, List<List<MetricValue>>> perKey;
        private final NDManager scratch;
        private final List<NDArray> callers;
        private final List<String> keys = new ArrayList<>();
        private final List<NDList> batches = new ArrayList<>();
        private NDManager group;

        Pending(
                Inputs inputs,
                Target target,
                int perEval,
                Map<String, List<List<MetricValue>>> perKey,
                NDManager scratch,
                NDList pre) {
            this.inputs = inputs;
            this.target = target;
            this.perEval = perEval;
            this.perKey = perKey;
            this.scratch = scratch;
            this.callers = new ArrayList<>(inputs.tensors());
            callers.addAll(pre);
            perKey.put(ORIGINAL, new ArrayList<>());
            open();
        }

        private void open() {
            group = scratch.newSubManager();
            Scope.borrow(group, callers);
        }

        void add(String key, NDList batch) {
            keys.add(key);
            batches.add(batch);
            if (batches.size() == perEval) {
                flush();
            }
        }

        void flush() {
            try {
                if (batches.isEmpty()) {
                    return;
                }
                List<NDArray> outs = RobustBatches.outputs(forwardFunction, batches, inputs);
                for (int b = 0; b < outs.size(); b++) {
                    NDList m = metric.apply(outs.get(b), target);
                    Checks.argument(
                            m != null && !m.isEmpty(),
                            "metric must return at least one tensor, got %s",
                            m == null ? "null" : "none");
                    List<MetricValue> values = new ArrayList<>(m.size());
                    for (NDArray v : m) {
                        float[] data = v.toType(DataType.FLOAT32, false).toFloatArray();
                        values.add(new MetricValue(v.getShape().getShape(), data));
                    }
                    perKey.get(keys.get(b)).add(values);
                }
            } finally {
                keys.clear();
                batches.clear();
                group.close();
                open();
            }
        }

        void close() {
            group.close();
        }
    }
}
