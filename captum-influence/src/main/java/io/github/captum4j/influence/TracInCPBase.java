package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The frame shared by the TracIn methods (Captum's {@code TracInCPBase}): for every checkpoint \( c
 * \), loaded one at a time, the per-example gradients of the test batch and of every training batch
 * (read again per checkpoint, so it may stream) give \( \sum_c \eta_c \langle g_c(z_{test}),
 * g_c(z_j) \rangle \). Subclasses say how one batch's per-example gradients are formed at one
 * checkpoint. Every intermediate array lives in per-call managers; results belong to the manager of
 * the test batch (or of the first data batch). Not API.
 */
abstract class TracInCPBase implements TrainingInfluence {

    final List<Checkpoint> checkpoints;
    final Iterable<Batch> trainingData;
    final Loss loss;

    TracInCPBase(List<Checkpoint> checkpoints, Iterable<Batch> trainingData, Loss loss) {
        Checks.notNull(checkpoints, "checkpoints");
        Checks.argument(
                !checkpoints.isEmpty(), "checkpoints must hold at least one checkpoint, got none");
        for (int i = 0; i < checkpoints.size(); i++) {
            Checks.argument(checkpoints.get(i) != null, "checkpoints[%s] must not be null", i);
        }
        this.checkpoints = List.copyOf(checkpoints);
        this.trainingData = Checks.notNull(trainingData, "trainingData");
        this.loss = Checks.notNull(loss, "loss");
    }

    /**
     * The per-example gradients of one batch at one checkpoint, in the manager of the batch's
     * arrays.
     */
    abstract GradientFactors factors(LoadedModel model, Batch batch);

    @Override
    public NDArray influence(Batch test) {
        Checks.notNull(test, "test");
        NDManager caller = test.inputs().get(0).getManager();
        try (NDManager scratch = caller.newSubManager()) {
            NDArray total = null;
            for (Checkpoint c : checkpoints) {
                try (NDManager cm = scratch.newSubManager();
                        LoadedModel model = LoadedModel.open(c, cm)) {
                    Scope.borrow(cm, test.arrays());
                    GradientFactors t = factors(model, test);
                    NDArray scores = overTrainingData(model, cm, (f, b) -> t.dot(f), 1);
                    total = accumulate(total, scores.mul(c.learningRate()), scratch, 1);
                }
            }
            return Scope.handOver(caller, total);
        }
    }

    @Override
    public TopK proponents(Batch test, int k) {
        return top(test, k, true);
    }

    @Override
    public TopK opponents(Batch test, int k) {
        return top(test, k, false);
    }

    private TopK top(Batch test, int k, boolean largest) {
        Checks.notNull(test, "test");
        Checks.atLeast(k, 1, "k");
        NDArray scores = influence(test);
        try {
            return TopK.of(scores, k, largest);
        } finally {
            scores.close();
        }
    }

    @Override
    public NDArray selfInfluence() {
        return selfInfluence(trainingData);
    }

    @Override
    public NDArray selfInfluence(Iterable<Batch> data) {
        Checks.notNull(data, "data");
        try (NDManager scratch = NDManager.newBaseManager()) {
            NDArray total = null;
            for (Checkpoint c : checkpoints) {
                try (NDManager cm = scratch.newSubManager();
                        LoadedModel model = LoadedModel.open(c, cm)) {
                    NDArray norms =
                            over(data, model, cm, (f, b) -> f.squaredNorms().reshape(-1), 0);
                    total = accumulate(total, norms.mul(c.learningRate()), scratch, 0);
                }
            }
            return Scope.handOver(data.iterator().next().labels().getManager(), total);
        }
    }

    /** {@code f(factors of the batch, batch)} for every training batch, concatenated. */
    NDArray overTrainingData(
            LoadedModel model,
            NDManager cm,
            BiFunction<GradientFactors, Batch, NDArray> f,
            int axis) {
        return over(trainingData, model, cm, f, axis);
    }

    private NDArray over(
            Iterable<Batch> data,
            LoadedModel model,
            NDManager cm,
            BiFunction<GradientFactors, Batch, NDArray> f,
            int axis) {
        List<NDArray> parts = new ArrayList<>();
        int index = 0;
        for (Batch b : data) {
            Checks.argument(b != null, "data: batch %s is null", index);
            try (NDManager bm = cm.newSubManager()) {
                Scope.borrow(bm, b.arrays());
                NDArray part = f.apply(factors(model, b), b);
                part.attach(cm);
                parts.add(part);
            }
            index++;
        }
        Checks.argument(!parts.isEmpty(), "training data must hold at least one batch, got none");
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), axis);
    }

    private static NDArray accumulate(NDArray total, NDArray term, NDManager scratch, int axis) {
        if (total == null) {
            term.attach(scratch);
            return term;
        }
        Checks.argument(
                total.getShape().get(axis) == term.getShape().get(axis),
                "training data must give the same rows for every checkpoint, got %s then %s",
                total.getShape().get(axis),
                term.getShape().get(axis));
        NDArray sum = total.add(term);
        sum.attach(scratch);
        return sum;
    }
}
