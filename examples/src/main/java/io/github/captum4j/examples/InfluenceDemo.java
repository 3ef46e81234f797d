package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.influence.Batch;
import io.github.captum4j.influence.Checkpoint;
import io.github.captum4j.influence.Loss;
import io.github.captum4j.influence.TopK;
import io.github.captum4j.influence.TracInCP;
import io.github.captum4j.influence.TracInCPFast;
import io.github.captum4j.influence.TrainingInfluence;
import io.github.captum4j.viz.Png;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code influence} subcommand: trains the shapes CNN ({@link InfluenceModel}) on data with 5%
 * of the training labels flipped, saving 3 checkpoints; ranks the training data by TracIn self
 * influence (TracInCPFast on fc2, TracInCP on fc1 + fc2) and prints the precision at k (k = number
 * of flipped labels) of finding the flipped ones against random ranking; draws the top proponents
 * and opponents of 4 test images ({@code influence-grid.png}).
 */
final class InfluenceDemo {

    static final int TRAIN = 800;
    static final double FLIPPED = 0.05;
    static final float[] LEARNING_RATES = {0.3f, 0.15f, 0.05f};
    private static final int SHOWN = 4;
    private static final int CELL = 80;

    private InfluenceDemo() {}

    /** Flips a fraction of labels to another class; returns the flipped row indices, sorted. */
    static int[] flip(int[] labels, double fraction, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Set<Integer> chosen = new LinkedHashSet<>();
        int count = (int) Math.round(labels.length * fraction);
        while (chosen.size() < count) {
            chosen.add(r.nextInt(labels.length));
        }
        int[] rows = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i : rows) {
            labels[i] = (labels[i] + 1 + r.nextInt(ShapesTask.CLASSES - 1)) % ShapesTask.CLASSES;
        }
        return rows;
    }

    /** The fraction of the k highest-ranked rows that are in {@code wanted} (k = its size). */
    static double precisionAtK(float[] scores, int[] wanted) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        Set<Integer> set = new LinkedHashSet<>();
        for (int w : wanted) {
            set.add(w);
        }
        int hits = 0;
        for (int i = 0; i < wanted.length; i++) {
            hits += set.contains(order[i]) ? 1 : 0;
        }
        return hits / (double) wanted.length;
    }

    static int run(String[] args, PrintStream out) {
        Path dir =
                args.length >= 2 && args[0].equals("--out")
                        ? Path.of(args[1])
                        : Path.of("target", "influence");
        try (NDManager m = NDManager.newBaseManager()) {
            ShapesTask train = ShapesTask.generate(TRAIN, 21, m);
            ShapesTask test = ShapesTask.generate(SHOWN, 22, m);
            int[] labels = train.labels().clone();
            int[] flipped = flip(labels, FLIPPED, 23);
            long t0 = System.nanoTime();
            List<Checkpoint> ckpts =
                    InfluenceModel.train(train.images(), labels, LEARNING_RATES, 3, 24, dir);
            out.printf(
                    "trained %d checkpoints on %d images (%d labels flipped) in %.1f s%n",
                    ckpts.size(), TRAIN, flipped.length, (System.nanoTime() - t0) / 1e9);
            NDArray y = m.create(Arrays.stream(labels).asLongStream().toArray());
            List<Batch> data = Batch.split(train.images(), y, 100);
            out.printf(
                    "accuracy of the last checkpoint on the clean training labels: %.3f%n",
                    accuracy(ckpts.get(ckpts.size() - 1), train, m));
            Loss ce = Loss.crossEntropy(Loss.Reduction.SUM);
            TracInCPFast fast = new TracInCPFast(ckpts, data, ce, LayerPath.of("fc2"));
            TracInCP full = new TracInCP(ckpts, data, ce, LayerPath.of("fc1", "fc2"));
            out.printf(
                    "precision at k=%d of finding the flipped labels by self influence:%n",
                    flipped.length);
            report(out, "TracInCPFast (fc2)", fast, flipped);
            report(out, "TracInCP (fc1, fc2)", full, flipped);
            float[] random = new float[TRAIN];
            SplittableRandom r = new SplittableRandom(25);
            for (int i = 0; i < TRAIN; i++) {
                random[i] = (float) r.nextDouble();
            }
            out.printf(
                    "  %-22s %.3f (expected %.3f)%n",
                    "random ranking", precisionAtK(random, flipped), FLIPPED);
            NDArray testY = m.create(Arrays.stream(test.labels()).asLongStream().toArray());
            Batch testBatch = Batch.of(test.images(), testY);
            TopK pro = full.proponents(testBatch, SHOWN);
            TopK opp = full.opponents(testBatch, SHOWN);
            Path png = dir.resolve("influence-grid.png");
            Files.write(png, Png.encode(grid(test, train, labels, pro, opp)));
            out.println("wrote " + png);
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void report(PrintStream out, String name, TrainingInfluence t, int[] flipped) {
        long t0 = System.nanoTime();
        float[] self = t.selfInfluence().toFloatArray();
        out.printf(
                "  %-22s %.3f  (%.1f s)%n",
                name, precisionAtK(self, flipped), (System.nanoTime() - t0) / 1e9);
    }

    private static double accuracy(Checkpoint c, ShapesTask data, NDManager m) throws IOException {
        try (NDManager s = m.newSubManager();
                ImportedModel model = ImportedModel.load(c.file(), s)) {
            NDArray logits = model.forwardFunction().forward(new NDList(data.images()), List.of());
            long[] pred = logits.argMax(1).toLongArray();
            logits.close();
            int ok = 0;
            for (int i = 0; i < pred.length; i++) {
                ok += pred[i] == data.labels()[i] ? 1 : 0;
            }
            return ok / (double) pred.length;
        }
    }

    /** Rows: test image | proponents | opponents, each labelled with its (training) label. */
    private static BufferedImage grid(
            ShapesTask test, ShapesTask train, int[] labels, TopK pro, TopK opp) {
        int cols = 1 + 2 * SHOWN;
        BufferedImage img =
                new BufferedImage(cols * CELL, 24 + SHOWN * CELL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawString("test", 4, 14);
        g.setColor(Color.RED);
        g.drawString("red: flipped training label", (1 + 2 * SHOWN) * CELL - 150, 14);
        g.setColor(Color.BLACK);
        g.drawString("proponents (largest first)", CELL + 4, 14);
        g.drawString("opponents (most negative first)", (1 + SHOWN) * CELL + 4, 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        float[] testPixels = test.images().toFloatArray();
        float[] trainPixels = train.images().toFloatArray();
        long[] pi = pro.indices().toLongArray();
        long[] oi = opp.indices().toLongArray();
        for (int row = 0; row < SHOWN; row++) {
            int top = 24 + row * CELL;
            cell(g, testPixels, row, 0, top, ShapesTask.CLASS_NAMES[test.labels()[row]], false);
            for (int k = 0; k < SHOWN; k++) {
                int p = (int) pi[row * SHOWN + k];
                int o = (int) oi[row * SHOWN + k];
                cell(
                        g,
                        trainPixels,
                        p,
                        (1 + k) * CELL,
                        top,
                        name(labels, train, p),
                        labels[p] != train.labels()[p]);
                cell(
                        g,
                        trainPixels,
                        o,
                        (1 + SHOWN + k) * CELL,
                        top,
                        name(labels, train, o),
                        labels[o] != train.labels()[o]);
            }
        }
        g.dispose();
        return img;
    }

    private static String name(int[] labels, ShapesTask train, int i) {
        return "#" + i + " " + ShapesTask.CLASS_NAMES[labels[i]];
    }

    private static void cell(
            Graphics2D g,
            float[] pixels,
            int image,
            int left,
            int top,
            String caption,
            boolean flippedLabel) {
        int size = ShapesTask.SIZE;
        int scale = (CELL - 16) / size;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                float v = Math.max(0, Math.min(1, pixels[image * size * size + r * size + c]));
                g.setColor(new Color(v, v, v));
                g.fillRect(left + 4 + c * scale, top + r * scale, scale, scale);
            }
        }
        g.setColor(flippedLabel ? Color.RED : Color.BLACK);
        g.drawString(caption, left + 4, top + CELL - 6);
    }
}
