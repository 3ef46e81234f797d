package io.github.captum4j.examples;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.insights.AttributionVisualizer;
import io.github.captum4j.insights.Batch;
import io.github.captum4j.insights.ImageFeature;
import io.github.captum4j.insights.InsightsServer;
import io.github.captum4j.insights.MethodRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code insights} subcommand: Captum Insights on the {@code demo}'s shapes CNN — the weights
 * the {@code demo} wrote to {@code DIR} (default {@code target/demo}), or, if there are none yet,
 * the same CNN trained here with the demo's seeded training code and written there — over 32
 * held-out images, with every image method of the library (GuidedGradCam and LayerGradCam at
 * {@code conv2}), served on 127.0.0.1 until the process is stopped.
 *
 * <p>{@code insights [--model DIR] [--port N]} (port 0, the default, picks a free one).
 */
final class InsightsDemo {

    /** Held-out images browsed. */
    static final int EXAMPLES = 32;

    private InsightsDemo() {}

    /**
     * Serves the demo until the JVM stops.
     *
     * @param args {@code --model DIR}, {@code --port N}
     * @param out where progress and the address are printed
     * @return the exit status (after the server is stopped)
     */
    static int run(String[] args, PrintStream out) {
        Path dir = Path.of("target", "demo");
        int port = 0;
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (!option.equals("--model") && !option.equals("--port")) {
                throw new Cli.UsageException("unexpected insights argument '" + option + "'");
            }
            if (i + 1 >= args.length) {
                throw new Cli.UsageException(option + " needs a value");
            }
            if (option.equals("--model")) {
                dir = Path.of(args[i + 1]);
            } else {
                port = port(args[i + 1]);
            }
        }
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel cnn = ImportedModel.load(model(dir, manager, out), manager)) {
            AttributionVisualizer visualizer = visualizer(cnn.forwardFunction(), manager, out);
            try (InsightsServer server =
                    visualizer.serve(InsightsServer.Options.DEFAULTS.withPort(port))) {
                out.println("(Ctrl-C stops the server)");
                server.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    private static int port(String value) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Cli.UsageException("--port must be a number in [0, 65535], got '" + value + "'");
    }

    /** The demo's model file in {@code dir}, trained (seeded, as the demo does) if missing. */
    static Path model(Path dir, NDManager manager, PrintStream out) throws IOException {
        Path json = dir.resolve(ShapesModel.ID + ".json");
        if (Files.isRegularFile(json)) {
            out.println("Insights on the demo's shapes CNN from " + json);
            return json;
        }
        out.printf(
                Locale.ROOT,
                "No %s yet: training the demo's shapes CNN (%d images, %d epochs, seed %d) into"
                        + " %s (1 to 3 minutes)%n",
                json.getFileName(),
                ShapesTrained.TRAIN,
                ShapesTrained.EPOCHS,
                ShapesTrained.SEED,
                dir);
        Files.createDirectories(dir);
        return ShapesTrained.train(dir, manager);
    }

    /**
     * Insights over held-out shapes images (the demo's test seed) with every image method.
     *
     * @param cnn the trained shapes CNN
     * @param manager where the images live
     * @param out where the accuracy is printed
     * @return the visualizer
     */
    static AttributionVisualizer visualizer(
            ForwardFunction cnn, NDManager manager, PrintStream out) {
        ShapesTask test = ShapesTask.generate(EXAMPLES, ShapesTrained.SEED + 1, manager);
        out.printf(
                Locale.ROOT,
                "accuracy on the %d held-out images: %.1f%%%n",
                EXAMPLES,
                100 * ShapesTrained.accuracy(cnn, test.images(), test.labels()));
        return new AttributionVisualizer(
                List.of(cnn),
                o -> o.softmax(-1),
                Arrays.asList(ShapesTask.CLASS_NAMES),
                List.of(ImageFeature.of("Image")),
                List.of(Batch.of(test.images(), manager.create(test.labels()))),
                true,
                MethodRegistry.defaults().withGradCam(LayerPath.of("conv2")));
    }
}
