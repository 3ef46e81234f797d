package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.AsyncForward;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one perturbation engine: evaluates the target output on perturbed copies of a batch, {@code
 * perturbationsPerEval} perturbations per forward pass, for every perturbation method (and, with a
 * {@link BatchForward} that patches a layer, for the layer and neuron variants).
 *
 * <p>A perturbation {@code k} of tensors \( x_i \) (shape {@code (N, ...)}) with replacements \(
 * r_i \) (the baselines, unless a chunk brings its own) is, element-wise, \( \tilde x_{k,i} =
 * \mathrm{keep}_{k,i}\ ?\ x_i : r_i \) — an exact selection, as Captum's {@code x * (1 - m) + b *
 * m}. Perturbations are built chunk by chunk (as many as fit a memory budget, at least one pass),
 * each chunk with one vectorised selection, then split into passes of {@code perturbationsPerEval ·
 * N} rows laid out perturbation-major ({@code [x̃_0 rows, x̃_1 rows, ...]}, Captum's layout). The
 * raw outputs of a chunk are concatenated and the target selected once; forward passes run without
 * gradients. Every chunk lives in its own sub-manager. With an asynchronous model ({@link
 * io.github.captum4j.core.ForwardFunction#async}) up to its {@code batchesInFlight} passes of a
 * chunk run at once ({@link PassPipeline}).
 *
 * <p>{@link #ablate} evaluates the unperturbed batch as perturbation 0 (keep everything) of the
 * first chunk, so it shares a forward pass with the first ablations instead of taking one of its
 * own; passes still hold at most {@code perturbationsPerEval · N} rows. Several targets (Captum's
 * missing multi-target call) share every forward pass: the target values of each are selected from
 * the same raw outputs.
 *
 * <p>Not API: may change without notice.
 */
public final class Perturbations {

    /** Perturbed elements per chunk to aim for (at least one pass is always built). */
    static final long CHUNK_ELEMENTS = 1L << 22;

    /** Runs the model on perturbed rows. */
    @FunctionalInterface
    public interface BatchForward {
        /**
         * Runs the model.
         *
         * @param rows per perturbed tensor, {@code (copies·N, ...)}, perturbation-major
         * @param copies number of perturbations in the rows
         * @return the raw model output, {@code (copies·N, ...)}
         */
        NDArray forward(NDList rows, int copies);

        /**
         * Starts the model on perturbed rows (the synchronous forward, unless the model is
         * asynchronous).
         *
         * @param rows per perturbed tensor, {@code (copies·N, ...)}
         * @param copies number of perturbations in the rows
         * @return the future raw output
         */
        default CompletableFuture<NDArray> submit(NDList rows, int copies) {
            return CompletableFuture.completedFuture(forward(rows, copies));
        }

        /**
         * Passes kept running at once.
         *
         * @return at least 1
         */
        default int batchesInFlight() {
            return 1;
        }
    }

    /**
     * A chunk of perturbations.
     *
     * @param keep per tensor, {@code (K, 1 or N, rest...)} boolean (true = keep the input's
     *     element; a {@code rest} dimension may be 1, broadcast over the tensor's), or {@code null}
     *     where the tensor is not perturbed
     * @param replacements per tensor, {@code (K, N, rest...)} values used where {@code keep} is
     *     false, or {@code null} (the list or an entry) for the baselines
     */
    public record Chunk(NDList keep, NDList replacements) {
        /**
         * A chunk that replaces by the baselines.
         *
         * @param keep per tensor, keep masks or {@code null}
         */
        public Chunk(NDList keep) {
            this(keep, null);
        }
    }

    /** Builds the perturbations {@code first .. first + count - 1}. */
    @FunctionalInterface
    public interface ChunkSource {
        /**
         * Builds a chunk.
         *
         * @param first index of the first perturbation
         * @param count number of perturbations
         * @param manager where the chunk's arrays go (closed after the chunk is consumed)
         * @return the chunk
         */
        Chunk chunk(long first, int count, NDManager manager);
    }

    /** Receives each evaluated chunk. */
    @FunctionalInterface
    public interface ChunkSink {
        /**
         * Consumes a chunk. Results to keep must be attached to a longer-lived manager.
         *
         * @param first index of the first perturbation
         * @param chunk the chunk's masks
         * @param perturbed per tensor, the perturbed rows {@code (K·N, rest...)}
         * @param outputs the target value per perturbation and example, {@code (K, N)}
         * @param manager the chunk's manager
         */
        void accept(long first, Chunk chunk, NDList perturbed, NDArray outputs, NDManager manager);
    }

    private final NDList tensors;
    private final NDList baselines;
    private final BatchForward forward;
    private final List<Target> targets;
    private final int perturbationsPerEval;
    private final NDManager scratch;
    private final long batch;
    private final long elementsPerRow;
    private ProgressListener progress = ProgressListener.NONE;
    private String task = "";
    private long passesTotal;
    private long passesDone;

    /** The unperturbed target values {@code (T, N)} once {@link #ablate} evaluated them. */
    private NDArray initial;

    /**
     * An engine for one call.
     *
     * @param tensors the perturbed tensors {@code (N, ...)}, in {@code scratch}
     * @param baselines their baselines, of their shapes (or {@code null} entries where unused)
     * @param forward runs the model on perturbed rows
     * @param target the target (expanded here with the rows)
     * @param perturbationsPerEval perturbations per forward pass, {@code >= 1}
     * @param scratch the call's manager
     */
    public Perturbations(
            NDList tensors,
            NDList baselines,
            BatchForward forward,
            Target target,
            int perturbationsPerEval,
            NDManager scratch) {
        this(tensors, baselines, forward, List.of(target), perturbationsPerEval, scratch);
    }

    /**
     * An engine for one call with several targets ({@link #ablate} returns one result per target;
     * {@link #run} and {@link #evaluate} serve the first).
     *
     * @param tensors the perturbed tensors {@code (N, ...)}, in {@code scratch}
     * @param baselines their baselines, of their shapes (or {@code null} entries where unused)
     * @param forward runs the model on perturbed rows
     * @param targets the targets, at least one
     * @param perturbationsPerEval perturbations per forward pass, {@code >= 1}
     * @param scratch the call's manager
     */
    public Perturbations(
            NDList tensors,
            NDList baselines,
            BatchForward forward,
            List<Target> targets,
            int perturbationsPerEval,
            NDManager scratch) {
        this.tensors = tensors;
        this.baselines = baselines;
        this.forward = forward;
        Checks.argument(!targets.isEmpty(), "targets must not be empty");
        this.targets = List.copyOf(targets);
        this.perturbationsPerEval = Checks.atLeast(perturbationsPerEval, 1, "perturbationsPerEval");
        this.scratch = scratch;
        this.batch = tensors.get(0).getShape().get(0);
        long e = 0;
        for (NDArray t : tensors) {
            e += t.getShape().size() / batch;
        }
        this.elementsPerRow = Math.max(1, e);
    }

    /**
     * The standard forward: the model on the rows, its NDArray additional arguments tiled with them
     * (Captum's {@code _expand_additional_forward_args}), without gradients.
     *
     * @param f the model
     * @param args additional forward arguments for a batch of {@code batchSize}
     * @param batchSize the batch size N
     * @return the forward
     */
    public static BatchForward modelForward(ForwardFunction f, List<Object> args, int batchSize) {
        Map<Integer, List<Object>> expanded = new HashMap<>();
        java.util.function.IntFunction<List<Object>> argsFor =
                copies ->
                        expanded.computeIfAbsent(
                                copies,
                                c -> Expansion.expandArgs(args, batchSize, c, Expansion.Layout.TILE));
        if (!(f instanceof AsyncForward)) {
            return (rows, copies) -> Gradients.forward(f, rows, argsFor.apply(copies));
        }
        AsyncForward async = (AsyncForward) f;
        return new BatchForward() {
            @Override
            public NDArray forward(NDList rows, int copies) {
                return async.forward(rows, argsFor.apply(copies));
            }

            @Override
            public CompletableFuture<NDArray> submit(NDList rows, int copies) {
                CompletableFuture<NDArray> future =
                        async.function().forwardAsync(rows, argsFor.apply(copies));
                return future;
            }

            @Override
            public int batchesInFlight() {
                return async.batchesInFlight();
            }
        };
    }

    /**
     * Number of forward passes for a number of perturbations.
     *
     * @param perturbations the perturbations
     * @param perturbationsPerEval perturbations per pass
     * @return {@code ceil(perturbations / perturbationsPerEval)}
     */
    public static long passes(long perturbations, int perturbationsPerEval) {
        return (perturbations + perturbationsPerEval - 1) / perturbationsPerEval;
    }

    /**
     * Reports progress to a listener.
     *
     * @param listener the listener
     * @param taskName the task, e.g. {@code "Occlusion attribution"}
     * @param totalPasses the forward passes the whole call makes
     */
    public void reportTo(ProgressListener listener, String taskName, long totalPasses) {
        this.progress = listener == null ? ProgressListener.NONE : listener;
        this.task = taskName;
        this.passesTotal = totalPasses;
    }

    /**
     * Number of forward passes for a number of perturbations with this engine's {@code
     * perturbationsPerEval}.
     *
     * @param perturbations the perturbations
     * @return the passes
     */
    public long passes(long perturbations) {
        return passes(perturbations, perturbationsPerEval);
    }

    /**
     * The target values of rows made of whole copies of the batch, in one forward pass (e.g. the
     * unperturbed inputs, or the baselines).
     *
     * @param rows per tensor, {@code (copies·N, ...)}
     * @param copies number of copies of the batch
     * @return {@code (copies·N)}
     */
    public NDArray evaluate(NDList rows, int copies) {
        return Gradients.withGradMode(
                false,
                () -> {
                    NDArray out = select(run(rows, copies), targets.get(0), copies);
                    step();
                    return out;
                });
    }

    /**
     * Evaluates perturbations {@code 0 .. total - 1} chunk by chunk.
     *
     * @param total number of perturbations
     * @param source builds each chunk
     * @param sink consumes each evaluated chunk
     */
    public void run(long total, ChunkSource source, ChunkSink sink) {
        chunks(
                total,
                false,
                source,
                (first, chunk, perturbed, raw, count, m) ->
                        sink.accept(
                                first,
                                chunk,
                                perturbed,
                                select(raw, targets.get(0), count).reshape(count, batch),
                                m));
    }

    /**
     * Evaluates perturbations {@code 0 .. total - 1} and returns every target value.
     *
     * @param total number of perturbations
     * @param source builds each chunk
     * @return {@code (total, N)}, in the call's manager
     */
    public NDArray evaluateAll(long total, ChunkSource source) {
        List<NDArray> parts = new ArrayList<>();
        run(
                total,
                source,
                (first, chunk, perturbed, outputs, m) -> {
                    outputs.attach(scratch);
                    parts.add(outputs);
                });
        return parts.size() == 1
                ? parts.get(0)
                : ai.djl.ndarray.NDArrays.concat(new NDList(parts), 0);
    }

    /**
     * Forward passes {@link #ablate} makes for a number of ablations: one more perturbation (the
     * unperturbed batch) on the first call.
     *
     * @param perturbations the ablations
     * @param first whether it is the call's first {@code ablate}
     * @return the passes
     */
    public long ablationPasses(long perturbations, boolean first) {
        return passes(perturbations + (first ? 1 : 0));
    }

    /**
     * Ablation attributions (FeatureAblation's accumulation): per target and tensor, \( \sum_k
     * (F(x) - F(\tilde x_k)) \cdot \mathrm{ablated}_k \). On the first call the unperturbed
     * batch rides along as perturbation 0 of the first chunk; later calls reuse its values.
     *
     * @param total number of perturbations
     * @param source builds each chunk (replacements optional)
     * @return per target, per tensor {@code (N, rest...)} in the output's type, or {@code null}
     *     where no chunk perturbed the tensor
     */
    public List<NDList> ablate(long total, ChunkSource source) {
        int n = tensors.size();
        int t = targets.size();
        // One running sum per tensor holds every target's attribution, (T, N, rest...): the
        // targets' sums are one batched product per chunk, not one per target.
        RunningSum[] sums = new RunningSum[n];
        for (int i = 0; i < n; i++) {
            sums[i] = new RunningSum(scratch);
        }
        boolean identity = initial == null;
        chunks(
                total,
                identity,
                source,
                (first, chunk, perturbed, raw, count, m) -> {
                    NDArray outputs = selectAll(raw, count);
                    if (identity && first == 0) {
                        initial = outputs.get(new NDIndex(":, 0"));
                        initial.attach(scratch);
                    }
                    Scope.borrow(m, List.of(initial));
                    NDArray diff = initial.expandDims(1).sub(outputs);
                    for (int i = 0; i < n; i++) {
                        NDArray keep = chunk.keep().get(i);
                        if (keep == null) {
                            continue;
                        }
                        NDArray ablated = keep.logicalNot().toType(diff.getDataType(), false);
                        sums[i].add(
                                new NDList(AblationChunks.weightedSum(diff, ablated, tensors.get(i))));
                    }
                });
        List<NDList> out = new ArrayList<>(t);
        // Each tensor's (T, N, rest...) sum split into its T targets by one split, not T indexings.
        List<NDList> perTarget = new ArrayList<>(n);
        for (RunningSum sum : sums) {
            NDList s = sum.total();
            perTarget.add(s == null ? null : t == 1 ? s : s.get(0).split(t, 0));
        }
        for (int k = 0; k < t; k++) {
            NDList perTensor = new NDList(n);
            for (NDList parts : perTarget) {
                perTensor.add(parts == null ? null : parts.get(k).squeeze(0));
            }
            out.add(perTensor);
        }
        return out;
    }

    private long chunkSize() {
        long perPass = (long) perturbationsPerEval * batch * elementsPerRow;
        long passes = Math.max(1, CHUNK_ELEMENTS / Math.max(1, perPass));
        return passes * perturbationsPerEval;
    }

    private NDList perturb(Chunk chunk, int count, NDManager m) {
        NDList rows = new NDList(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            NDArray x = tensors.get(i);
            NDArray keep = chunk.keep().get(i);
            Shape rest = x.getShape().slice(1);
            if (keep == null) {
                rows.add(Expansion.expand(x, count, Expansion.Layout.TILE));
                continue;
            }
            NDArray replacement =
                    chunk.replacements() != null && chunk.replacements().get(i) != null
                            ? chunk.replacements().get(i)
                            : baselines.get(i);
            Checks.state(replacement != null, "no baseline for perturbed tensor %s", i);
            // torch.where broadcasts (x and the baselines over K, masks over N); DJL's where
            // does not, hence the JNI call.
            NDArray selected =
                    Torch.where(keep.toType(DataType.BOOLEAN, false), x, replacement);
            rows.add(selected.reshape(new Shape((long) count * batch).addAll(rest)));
        }
        return rows;
    }

    /** Receives each chunk's raw outputs. */
    @FunctionalInterface
    private interface RawSink {
        void accept(
                long first, Chunk chunk, NDList perturbed, NDArray raw, int count, NDManager m);
    }

    /**
     * The chunk loop: perturbations {@code 0 .. total - 1}, or with {@code identityFirst} the
     * unperturbed batch followed by them ({@code total + 1}, the sink's indices counting it).
     */
    private void chunks(long total, boolean identityFirst, ChunkSource source, RawSink sink) {
        long all = total + (identityFirst ? 1 : 0);
        long perChunk = chunkSize();
        List<NDArray> borrowed = new ArrayList<>(tensors);
        if (baselines != null) {
            borrowed.addAll(baselines);
        }
        Gradients.withGradMode(
                false,
                () -> {
                    for (long first = 0; first < all; first += perChunk) {
                        int count = (int) Math.min(perChunk, all - first);
                        try (NDManager m = scratch.newSubManager()) {
                            Scope.borrow(m, borrowed);
                            Chunk chunk;
                            if (!identityFirst) {
                                chunk = source.chunk(first, count, m);
                            } else if (first == 0) {
                                chunk =
                                        AblationChunks.withIdentity(
                                                count > 1 ? source.chunk(0, count - 1, m) : null,
                                                tensors,
                                                m);
                            } else {
                                chunk = source.chunk(first - 1, count, m);
                            }
                            NDList perturbed = perturb(chunk, count, m);
                            NDArray raw = evaluateChunk(perturbed, count, m);
                            sink.accept(first, chunk, perturbed, raw, count, m);
                        }
                    }
                    return null;
                });
    }

    /** The raw outputs of a chunk's perturbed rows, {@code perturbationsPerEval} per pass. */
    private NDArray evaluateChunk(NDList rows, int count, NDManager m) {
        int ppe = perturbationsPerEval;
        if (count <= ppe) {
            NDArray out = run(rows, count);
            step();
            return out;
        }
        int pieces = (int) passes(count, ppe);
        long[] cuts = new long[pieces - 1];
        for (int p = 1; p < pieces; p++) {
            cuts[p - 1] = (long) p * ppe * batch;
        }
        List<NDList> split = new ArrayList<>(tensors.size());
        for (NDArray r : rows) {
            split.add(r.split(cuts, 0));
        }
        List<NDArray> outs =
                PassPipeline.run(
                        pieces,
                        forward.batchesInFlight(),
                        m,
                        p -> {
                            NDList piece = new NDList(rows.size());
                            for (NDList s : split) {
                                piece.add(s.get(p));
                            }
                            return piece;
                        },
                        (p, piece) -> forward.submit(piece, Math.min(ppe, count - p * ppe)),
                        (p, out) -> {
                            check(out, Math.min(ppe, count - p * ppe));
                            step();
                        });
        return ai.djl.ndarray.NDArrays.concat(new NDList(outs), 0);
    }

    private NDArray run(NDList rows, int copies) {
        NDArray out =
                forward.batchesInFlight() > 1
                        ? PassPipeline.join(forward.submit(rows, copies))
                        : forward.forward(rows, copies);
        if (out != null) {
            Gradients.adopt(out, rows);
        }
        check(out, copies);
        return out;
    }

    private void check(NDArray out, int copies) {
        if (out == null) {
            throw new AttributionException("the forward function returned null");
        }
        CallShapes.requireRowPerInputRow(out.getShape(), (long) copies * batch);
    }

    /** Every target's values, {@code (T, count, N)}. */
    private NDArray selectAll(NDArray raw, int copies) {
        NDArray columns = Targets.columns(raw, targets);
        if (columns != null) {
            return checkFinite(columns.transpose().reshape(targets.size(), copies, batch));
        }
        NDList per = new NDList(targets.size());
        for (Target t : targets) {
            per.add(Targets.select(raw, Expansion.expand(t, copies, Expansion.Layout.TILE))
                    .reshape(copies, batch));
        }
        // One finiteness check for all targets (each is a reduction and a synchronising read).
        return checkFinite(
                per.size() == 1 ? per.get(0).expandDims(0) : ai.djl.ndarray.NDArrays.stack(per, 0));
    }

    private NDArray select(NDArray raw, Target target, int copies) {
        return checkFinite(
                Targets.select(raw, Expansion.expand(target, copies, Expansion.Layout.TILE)));
    }

    private static NDArray checkFinite(NDArray selected) {
        if (selected.getDataType().isFloating()) {
            double s = selected.sum().toType(DataType.FLOAT64, false).getDouble();
            if (!Double.isFinite(s)) {
                throw nonFiniteTargets();
            }
        }
        return selected;
    }

    /** The error of a target value that is NaN or infinite on perturbed inputs. */
    static AttributionException nonFiniteTargets() {
        return new AttributionException(
                "the forward function returned NaN or infinite values for the target on perturbed"
                        + " inputs");
    }

    private void step() {
        passesDone++;
        progress.onProgress(task, passesDone, Math.max(passesTotal, passesDone));
    }
}
