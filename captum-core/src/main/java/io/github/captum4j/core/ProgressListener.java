package io.github.captum4j.core;

import java.io.PrintStream;

/**
 * Receives the progress of a long attribution call, as Captum's {@code show_progress}: called after
 * every forward pass with the number of passes done and the total the call will make.
 *
 * <p>Perturbation methods take a listener in their options ({@code progress}); {@link #NONE} (the
 * default) ignores everything and {@link #console(PrintStream)} draws a text progress bar. The
 * listener is called on the thread that runs {@code attribute}; it must be quick and must not
 * throw.
 *
 * <pre>{@code
 * FeatureAblation.Options o = FeatureAblation.Options.builder()
 *         .progress(ProgressListener.console(System.err)).build();
 * ProgressListener counting = (task, done, total) -> log.debug("{}: {}/{}", task, done, total);
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress (the default). */
    ProgressListener NONE = (task, done, total) -> {};

    /**
     * Called after each forward pass.
     *
     * @param task what runs, e.g. {@code "Feature Ablation attribution"}
     * @param done forward passes done so far, {@code 1..total}
     * @param total forward passes the call makes
     */
    void onProgress(String task, long done, long total);

    /**
     * A text progress bar redrawn in place ({@code \r}) on a console, ending its line when the task
     * is done: {@code Occlusion attribution [##########..........] 33/65 (50%)}.
     *
     * @param out where the bar is drawn, usually {@code System.err}
     * @return the listener
     */
    static ProgressListener console(PrintStream out) {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        return new ConsoleProgressBar(out);
    }
}
