package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.insights.AttributionVisualizer;
import io.github.captum4j.insights.Batch;
import io.github.captum4j.insights.ImageFeature;
import io.github.captum4j.insights.InsightsServer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code insights} subcommand: Captum Insights on a demo batch — the fixtures' {@code
 * small_cnn} (1 x 28 x 28 → 10 classes, random weights) on eight drawn digits with their labels —
 * served on 127.0.0.1 until the process is stopped.
 *
 * <p>{@code insights [--fixtures DIR] [--port N]} (port 0, the default, picks a free one).
 */
final class InsightsDemo {

    private InsightsDemo() {}

    /**
     * Serves the demo until the JVM stops.
     *
     * @param args {@code --fixtures DIR}, {@code --port N}
     * @param out where the address is printed
     * @return the exit status (after the server is stopped)
     */
    static int run(String[] args, PrintStream out) {
        Path fixtures = Path.of("src-test-resources");
        int port = 0;
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (!option.equals("--fixtures") && !option.equals("--port")) {
                throw new Cli.UsageException("unexpected insights argument '" + option + "'");
            }
            if (i + 1 >= args.length) {
                throw new Cli.UsageException(option + " needs a value");
            }
            if (option.equals("--fixtures")) {
                fixtures = Path.of(args[i + 1]);
            } else {
                try {
                    port = Integer.parseInt(args[i + 1]);
                } catch (NumberFormatException e) {
                    throw new Cli.UsageException(
                            "--port must be a number, got '" + args[i + 1] + "'");
                }
                if (port < 0 || port > 65535) {
                    throw new Cli.UsageException(
                            "--port must be 0 (any free port) to 65535, got " + args[i + 1]);
                }
            }
        }
        Path model = fixtures.resolve("models").resolve("small_cnn.pt");
        if (!Files.isRegularFile(model)) {
            throw new Cli.UsageException(
                    "the fixture folder must hold models/small_cnn.pt, got "
                            + fixtures.toAbsolutePath()
                            + " (use --fixtures DIR)");
        }
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptModel cnn = TorchScriptModel.load(model)) {
            List<String> classes = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                classes.add(String.valueOf(c));
            }
            AttributionVisualizer visualizer =
                    new AttributionVisualizer(
                            List.of(cnn),
                            o -> o.softmax(-1),
                            classes,
                            List.of(ImageFeature.of("Digit")),
                            List.of(digits(manager)));
            try (InsightsServer server =
                    visualizer.serve(InsightsServer.Options.DEFAULTS.withPort(port))) {
                out.println("Captum Insights for small_cnn on 8 drawn digits: " + server.url());
                out.println("(Ctrl-C stops the server)");
                server.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    /** Eight 28 x 28 drawings (0, 1, 7, 4, 0, 1, 7, 4 with varying strokes) and their labels. */
    static Batch digits(NDManager manager) {
        int n = 8;
        long[] labels = {0, 1, 7, 4, 0, 1, 7, 4};
        float[] pixels = new float[n * 28 * 28];
        for (int k = 0; k < n; k++) {
            double width = 1.2 + 0.4 * (k / 4);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double d = distance((int) labels[k], x, y);
                    pixels[k * 784 + y * 28 + x] = (float) Math.exp(-d * d / (2 * width * width));
                }
            }
        }
        NDArray images = manager.create(pixels, new Shape(n, 1, 28, 28));
        return Batch.of(images, manager.create(labels, new Shape(n)));
    }

    /** Distance from a pixel to the strokes of a digit. */
    private static double distance(int digit, double x, double y) {
        return switch (digit) {
            case 0 -> Math.abs(Math.hypot((x - 13.5) / 0.75, y - 13.5) - 8);
            case 1 -> segment(x, y, 14, 5, 14, 23);
            case 7 -> Math.min(segment(x, y, 7, 6, 21, 6), segment(x, y, 21, 6, 11, 23));
            default ->
                    Math.min(
                            Math.min(segment(x, y, 9, 5, 7, 15), segment(x, y, 7, 15, 21, 15)),
                            segment(x, y, 17, 8, 17, 23));
        };
    }

    private static double segment(double x, double y, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
        return Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
    }
}
