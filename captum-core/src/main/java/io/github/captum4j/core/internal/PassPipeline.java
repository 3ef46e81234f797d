package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.AttributionException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The forward passes of one perturbation chunk, with up to {@code inFlight} of them running at once
 * (an asynchronous model, {@link io.github.captum4j.core.ForwardFunction#async}); a synchronous
 * model runs them one after the other. Each pass's rows and whatever the model makes from them live
 * in the pass's own sub-manager, closed once its output is attached to the chunk's manager. When a
 * pass fails, the passes still running are awaited and their managers closed before the failure is
 * thrown, so nothing outlives the call and no model thread reads a closed array.
 *
 * <p>Not API: may change without notice.
 */
public final class PassPipeline {

    /** The rows of pass {@code p}. */
    @FunctionalInterface
    interface Pieces {
        NDList piece(int p);
    }

    /** Starts pass {@code p}. */
    @FunctionalInterface
    interface Submit {
        CompletableFuture<NDArray> submit(int p, NDList rows);
    }

    /** Receives the output of pass {@code p}, in order. */
    @FunctionalInterface
    interface Done {
        void accept(int p, NDArray out);
    }

    private record Pending(int pass, NDManager manager, CompletableFuture<NDArray> future) {}

    private PassPipeline() {}

    /**
     * Runs the passes in order, at most {@code inFlight} at once.
     *
     * @param passes number of passes
     * @param inFlight passes running at once, {@code >= 1}
     * @param m the chunk's manager, where the outputs go
     * @param pieces the rows of each pass
     * @param submit starts a pass
     * @param done receives each output, in pass order
     * @return the outputs, in pass order, in {@code m}
     */
    static List<NDArray> run(
            int passes, int inFlight, NDManager m, Pieces pieces, Submit submit, Done done) {
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        List<NDArray> outs = new ArrayList<>(passes);
        try {
            for (int p = 0; p < passes; p++) {
                if (pending.size() >= inFlight) {
                    outs.add(finish(pending.poll(), m, done));
                }
                NDManager pass = m.newSubManager();
                try {
                    NDList rows = pieces.piece(p);
                    Scope.borrow(pass, rows);
                    pending.add(new Pending(p, pass, submit.submit(p, rows)));
                } catch (RuntimeException | Error e) {
                    pass.close();
                    throw e;
                }
            }
            while (!pending.isEmpty()) {
                outs.add(finish(pending.poll(), m, done));
            }
            return outs;
        } finally {
            for (Pending q : pending) {
                try {
                    NDArray out = q.future().join();
                    if (out != null) {
                        out.attach(q.manager());
                    }
                } catch (CompletionException | CancellationException ignored) {
                    // The first failure is the one reported.
                }
                q.manager().close();
            }
        }
    }

    private static NDArray finish(Pending q, NDManager m, Done done) {
        NDArray out;
        try {
            out = join(q.future());
            if (out != null) {
                out.attach(m);
            }
        } finally {
            q.manager().close();
        }
        done.accept(q.pass(), out);
        return out;
    }

    /**
     * Waits for a pass.
     *
     * @param future the pass
     * @return its output
     * @throws io.github.captum4j.core.AttributionException naming the cause when it failed
     */
    public static NDArray join(CompletableFuture<NDArray> future) {
        if (future == null) {
            throw new AttributionException(
                    "the asynchronous forward function returned null instead of a future");
        }
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new AttributionException(
                    "the asynchronous forward function failed: " + cause, cause);
        }
    }
}
