package io.github.captum4j.insights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The page as it opens: the first examples of the dataset explained with the default method and
 * its default arguments ({@link FilterConfig#DEFAULTS}), rendered on the server, so the first
 * response already shows predictions and heat maps (a plain headless screenshot shows a working
 * page, no script or Fetch needed). It is computed once, on the first request for the page, on a
 * compute thread of the server (so it counts against the workers and the queue), and then served
 * from memory: the default request is deterministic, the same for every client. When the queue is
 * full the page goes out without examples (the next request for it tries again); when the default
 * request fails (e.g. it exceeds the evaluation budget) the page says why and waits for Fetch. Not
 * API.
 */
final class FirstState {

    private static final Logger LOG = Logger.getLogger(FirstState.class.getName());

    /**
     * A rendered page.
     *
     * @param html the page
     * @param css the stylesheet of its results ({@code /first.css})
     */
    record Rendered(byte[] html, byte[] css) {}

    private final AttributionVisualizer visualizer;
    private final String init;
    private Future<Rendered> rendered;

    /**
     * The first state of a visualizer's page.
     *
     * @param visualizer what the page shows
     * @param init the {@code /api/init} configuration embedded in the page
     */
    FirstState(AttributionVisualizer visualizer, String init) {
        this.visualizer = visualizer;
        this.init = init;
    }

    /**
     * The request the first state shows: the default method with its default arguments, all
     * predictions, Captum's 4 examples.
     *
     * @param visualizer what the page shows
     * @return the config
     */
    static FilterConfig config(AttributionVisualizer visualizer) {
        return FilterConfig.DEFAULTS.toBuilder()
                .attributionMethod(Page.defaultMethod(visualizer.methods()))
                .build();
    }

    /**
     * The page, computing its first state on {@code compute} the first time.
     *
     * @param compute the server's attribution threads
     * @return the page
     * @throws InterruptedException if the server stops while the state is computed
     */
    Rendered page(ExecutorService compute) throws InterruptedException {
        Future<Rendered> f;
        synchronized (this) {
            if (rendered == null) {
                try {
                    rendered = compute.submit(this::render);
                } catch (RejectedExecutionException e) {
                    return blank("The server is busy: choose a method and press Fetch.");
                }
            }
            f = rendered;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            // render() catches everything; an Error is reported as a blank page
            return blank("Choose a method and press Fetch.");
        }
    }

    /**
     * The stylesheet of the first state's results, empty until they are computed.
     *
     * @return the CSS
     */
    synchronized byte[] css() {
        if (rendered == null || !rendered.isDone()) {
            return new byte[0];
        }
        try {
            return rendered.get().css();
        } catch (ExecutionException | InterruptedException e) {
            return new byte[0];
        }
    }

    private Rendered render() {
        FilterConfig config = config(visualizer);
        try {
            List<VisualizationOutput> outputs = visualizer.visualize(config);
            ResultsHtml.Rendered r = ResultsHtml.render(outputs);
            return page(
                    r.html(),
                    r.css(),
                    outputs.size()
                            + " result(s) with "
                            + config.attributionMethod()
                            + ". Choose a method and press Fetch.");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Insights could not explain the first examples", e);
            return blank(
                    "Choose a method and press Fetch (the first examples could not be explained: "
                            + Reply.bounded(e.getMessage())
                            + ").");
        }
    }

    private Rendered blank(String status) {
        return page("", "", status);
    }

    private Rendered page(String results, String css, String status) {
        try {
            return new Rendered(
                    Page.render(visualizer, init, results, status)
                            .getBytes(StandardCharsets.UTF_8),
                    css.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
