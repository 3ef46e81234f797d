package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.concept.Concept;
import io.github.captum4j.concept.MeanDifferenceClassifier;
import io.github.captum4j.concept.TCAV;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The {@code tcav} subcommand: TCAV on the shapes CNN with concepts drawn here — stripes, dots,
 * uniform random textures, and scattered squares, plus signs and rings (the three classes' deciding
 * shapes, without the task's clutter) — against random concepts made of random task images: per
 * class and concept, the mean TCAV magnitude at {@code fc1} over the sets with each random concept,
 * the random-vs-random baseline and the two-sided t-test's p-value.
 */
final class TcavDemo {

    private static final int EXAMPLES = 30;
    private static final int RANDOMS = 6;
    private static final int PER_CLASS = 40;
    private static final int SIZE = ShapesTask.SIZE;

    private TcavDemo() {}

    static int run(Path outDir, PrintStream out) {
        return ShapesTrained.runDemo(
                outDir, 4 * PER_CLASS * ShapesTask.CLASSES, 2, (model, test, manager) -> report(model, test, manager, outDir, out));
    }

    private static void report(
            ImportedModel model, ShapesTask test, NDManager manager, Path outDir, PrintStream out)
            throws IOException {
        String[] kinds = {"stripes", "dots", "random textures", "squares", "plus signs", "rings"};
        List<Concept> concepts = new ArrayList<>();
        for (int k = 0; k < kinds.length; k++) {
            concepts.add(new Concept(k, kinds[k], List.of(draw(kinds[k], EXAMPLES, 100 + k, manager))));
        }
        List<Concept> randoms = new ArrayList<>();
        for (int r = 0; r < RANDOMS; r++) {
            randoms.add(randomTaskImages(r, EXAMPLES, manager));
        }
        TCAV tcav =
                new TCAV(model, List.of(LayerPath.of("fc1")),
                        TCAV.Options.builder(ShapesModel.ID)
                                .classifier(new MeanDifferenceClassifier())
                                .savePath(outDir.resolve("cav"))
                                .build());
        out.printf(
                Locale.ROOT,
                "captum4j tcav: %s, layer fc1, %d examples per concept, %d random"
                        + " concepts (random task images), MeanDifferenceClassifier CAVs; inputs: %d test images"
                        + " per class, target = the class%n%n",
                ShapesModel.ID, EXAMPLES, RANDOMS, PER_CLASS);
        out.println("| class | concept | TCAV magnitude: concept vs random sets | random vs random | p-value |");
        out.println("|---|---|---:|---:|---:|");
        for (int c = 0; c < ShapesTask.CLASSES; c++) {
            NDArray x = ofClass(test, c, PER_CLASS, manager);
            for (Concept concept : concepts) {
                TCAV.Significance s =
                        tcav.significance(Inputs.of(x), Target.index(c), concept, randoms, TCAV.ScoreType.MAGNITUDE)
                                .get("fc1");
                out.printf(
                        Locale.ROOT,
                        "| %s | %s | %.3f | %.3f | %s |%n",
                        ShapesTask.CLASS_NAMES[c],
                        concept.name(),
                        mean(s.conceptScores()),
                        mean(s.randomScores()),
                        s.pValue() < 1e-4
                                ? String.format(Locale.ROOT, "%.1e", s.pValue())
                                : String.format(Locale.ROOT, "%.4f", s.pValue()));
            }
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /** The first {@code limit} test images of class {@code c}, {@code (k, 1, 32, 32)}. */
    static NDArray ofClass(ShapesTask test, int c, int limit, NDManager manager) {
        float[] all = test.images().toFloatArray();
        int px = SIZE * SIZE;
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < test.labels().length && rows.size() < limit; i++) {
            if (test.labels()[i] == c) {
                rows.add(i);
            }
        }
        float[] out = new float[rows.size() * px];
        for (int k = 0; k < rows.size(); k++) {
            System.arraycopy(all, rows.get(k) * px, out, k * px, px);
        }
        return manager.create(out, new Shape(rows.size(), 1, SIZE, SIZE));
    }

    /** Random examples of the task (any class, clutter included): TCAV's random concept r. */
    static Concept randomTaskImages(int r, int n, NDManager manager) {
        return new Concept(100 + r, "random" + r, List.of(ShapesTask.generate(n, 300 + r, manager).images()));
    }

    /** n concept images (n, 1, 32, 32) on the task's background noise. */
    static NDArray draw(String kind, int n, long seed, NDManager manager) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] img = new float[n * SIZE * SIZE];
        for (int i = 0; i < n; i++) {
            int off = i * SIZE * SIZE;
            for (int p = 0; p < SIZE * SIZE; p++) {
                img[off + p] = kind.equals("random textures")
                        ? (float) random.nextDouble()
                        : (float) (0.08 * ShapesTask.gaussian(random));
            }
            float v = (float) (0.7 + 0.3 * random.nextDouble());
            int phase = random.nextInt(4);
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    boolean on = switch (kind) {
                        case "stripes" -> (r + phase) % 4 == 0;
                        case "dots" -> (r + phase) % 5 == 0 && (c + phase) % 5 == 0;
                        default -> false;
                    };
                    if (on) {
                        img[off + r * SIZE + c] = v;
                    }
                }
            }
            int shape = kind.equals("squares") ? 0 : kind.equals("plus signs") ? 1 : kind.equals("rings") ? 2 : -1;
            for (int s = 0; shape >= 0 && s < 3; s++) {
                int r0 = random.nextInt(SIZE - 7);
                int c0 = random.nextInt(SIZE - 7);
                for (int dr = 0; dr < 7; dr++) {
                    for (int dc = 0; dc < 7; dc++) {
                        if (inShape(shape, dr, dc)) {
                            img[off + (r0 + dr) * SIZE + c0 + dc] = v;
                        }
                    }
                }
            }
        }
        return manager.create(img, new Shape(n, 1, SIZE, SIZE));
    }

    /** The task's class shapes in a 7x7 box: a filled square, a plus, a hollow ring. */
    private static boolean inShape(int label, int r, int c) {
        return switch (label) {
            case 0 -> r >= 1 && r <= 5 && c >= 1 && c <= 5;
            case 1 -> r == 3 || c == 3;
            default -> r == 0 || r == 6 || c == 0 || c == 6;
        };
    }
}
