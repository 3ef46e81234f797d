package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.robust.AttackComparator;
import io.github.captum4j.robust.FGSM;
import io.github.captum4j.robust.Loss;
import io.github.captum4j.robust.Norm;
import io.github.captum4j.robust.PGD;
import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.ImageVisualizationMethod;
import io.github.captum4j.viz.VisualizeSign;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * The {@code robust} subcommand: adversarial examples for the shapes CNN with FGSM and PGD
 * (accuracy before and after, mean perturbation norms, a PNG of input / perturbation / saliency
 * before and after), then an {@link AttackComparator} over Gaussian noise, a box blur and a
 * 90° rotation next to FGSM, printed as a table.
 */
final class RobustDemo {

    private static final int TEST = 128;
    private static final double EPSILON = 0.1;
    private static final int PANEL = 4;
    private static final int SCALE = 4;

    private RobustDemo() {}

    static int run(Path outDir, PrintStream out) {
        return ShapesTrained.runDemo(
                outDir, TEST, 1, (model, test, manager) -> report(model, test, outDir, out));
    }

    private static void report(
            ImportedModel model, ShapesTask test, Path outDir, PrintStream out)
            throws IOException {
        ForwardFunction f = model.forwardFunction();
        Inputs in = Inputs.of(test.images());
        Target labels = Target.perExample(test.labels());
        FGSM fgsm = new FGSM(f, Loss.crossEntropy(), -1, 2);
        PGD pgd = new PGD(f, Loss.crossEntropy(), -1, 2);
        NDArray xFgsm = fgsm.perturb(in, labels, FGSM.Options.of(EPSILON)).get(0);
        PGD.Options linf = PGD.Options.builder(EPSILON, EPSILON / 4, 10).build();
        NDArray xPgd = pgd.perturb(in, labels, linf).get(0);
        PGD.Options l2 = PGD.Options.builder(1.5, EPSILON / 4, 10).norm(Norm.L2).build();
        NDArray xPgdL2 = pgd.perturb(in, labels, l2).get(0);
        out.printf(
                Locale.ROOT,
                "captum4j robust: %s on %d test images (targets = true labels, cross"
                        + " entropy, inputs bounded to [-1, 2])%n%n",
                ShapesModel.ID,
                TEST);
        out.println("| inputs | accuracy | mean Linf of the change | mean L2 of the change |");
        out.println("|---|---:|---:|---:|");
        row(out, "original", f, test, test.images());
        row(out, "FGSM eps 0.1", f, test, xFgsm);
        row(out, "PGD Linf r 0.1, 10 x 0.025", f, test, xPgd);
        row(out, "PGD L2 r 1.5, 10 x 0.025", f, test, xPgdL2);
        Path png = outDir.resolve("robust-adversarial.png");
        ImageIO.write(panel(f, test.images(), xFgsm), "png", png.toFile());
        out.printf("%nwrote %s (input | FGSM change | saliency before | adversarial | saliency after)%n%n", png);
        AttackComparator cmp =
                new AttackComparator(f, AttackComparator.Metric.accuracyAndTargetProbability());
        cmp.addAttack(AttackComparator.AttackSpec.of("FGSM eps 0.1",
                (x, t) -> fgsm.perturb(Inputs.of(x), t, FGSM.Options.of(EPSILON))));
        cmp.addAttack(new AttackComparator.AttackSpec("noise sd 0.3",
                (x, t) -> new NDList(x.get(0).add(x.get(0).getManager().randomNormal(0, 0.3f, x.get(0).getShape(), x.get(0).getDataType()))),
                5, true));
        cmp.addAttack(AttackComparator.AttackSpec.of("box blur 3x3", (x, t) -> new NDList(blur(x.get(0)))));
        cmp.addAttack(AttackComparator.AttackSpec.of("rotation 90", (x, t) -> new NDList(x.get(0).transpose(0, 1, 3, 2).flip(3))));
        for (int b = 0; b < TEST; b += 32) {
            NDArray batch = test.images().get(new NDIndex("{}:{}", b, b + 32));
            int[] y = java.util.Arrays.copyOfRange(test.labels(), b, b + 32);
            cmp.evaluate(Inputs.of(batch), Target.perExample(y), 4);
        }
        out.println("AttackComparator summary (metric[0] = accuracy, metric[1] = probability of the true class; mean over 4 batches of 32):");
        out.println(cmp.summaryTable());
    }

    private static void row(PrintStream out, String name, ForwardFunction f, ShapesTask test, NDArray x) {
        NDArray d = x.sub(test.images());
        long n = d.getShape().get(0);
        double linf = d.abs().reshape(n, -1).max(new int[] {1}).mean().getFloat();
        double l2 = d.reshape(n, -1).norm(new int[] {1}).mean().getFloat();
        out.printf(
                Locale.ROOT,
                "| %s | %.1f%% | %.3f | %.3f |%n",
                name,
                100 * ShapesTrained.accuracy(f, x, test.labels()),
                linf,
                l2);
    }

    /** A 3x3 box blur (zero padding) of (N, 1, H, W) images. */
    static NDArray blur(NDArray x) {
        Shape s = x.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] in = x.toFloatArray();
        float[] o = new float[in.length];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    float sum = 0;
                    for (int dr = -1; dr <= 1; dr++) {
                        for (int dc = -1; dc <= 1; dc++) {
                            int rr = r + dr;
                            int cc = c + dc;
                            if (rr >= 0 && rr < h && cc >= 0 && cc < w) {
                                sum += in[(i * h + rr) * w + cc];
                            }
                        }
                    }
                    o[(i * h + r) * w + c] = sum / 9;
                }
            }
        }
        return x.getManager().create(o, s);
    }

    private static BufferedImage panel(ForwardFunction f, NDArray images, NDArray adversarial) {
        String[] titles = {"input", "FGSM change", "saliency", "adversarial", "saliency adv."};
        int cell = ShapesTask.SIZE * SCALE;
        int gap = 4;
        int header = 16;
        BufferedImage img =
                new BufferedImage(titles.length * (cell + gap), header + PANEL * (cell + gap), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int j = 0; j < titles.length; j++) {
            g.drawString(titles[j], j * (cell + gap) + 2, 12);
        }
        ImageVisualization.Options heat =
                ImageVisualization.Options.builder()
                        .method(ImageVisualizationMethod.HEAT_MAP)
                        .sign(VisualizeSign.ABSOLUTE_VALUE)
                        .channelLayout(ChannelLayout.CHANNELS_FIRST)
                        .build();
        ImageVisualization.Options original = heat.toBuilder().method(ImageVisualizationMethod.ORIGINAL_IMAGE).build();
        ImageVisualization.Options signed = heat.toBuilder().sign(VisualizeSign.ALL).build();
        NDArray x = images.get(new NDIndex("0:{}", PANEL));
        NDArray adv = adversarial.get(new NDIndex("0:{}", PANEL));
        Saliency saliency = new Saliency(f);
        int[] predicted = ShapesTrained.predictions(f, x);
        try (Attribution before = saliency.attribute(Inputs.of(x), Target.perExample(predicted), Saliency.Options.DEFAULTS);
                Attribution after = saliency.attribute(Inputs.of(adv), Target.perExample(ShapesTrained.predictions(f, adv)), Saliency.Options.DEFAULTS)) {
            for (int i = 0; i < PANEL; i++) {
                int y = header + i * (cell + gap);
                BufferedImage[] cells = {
                    ImageVisualization.renderImageAttr(normalise(x.get(i)), normalise(x.get(i)), original),
                    ImageVisualization.renderImageAttr(adv.get(i).sub(x.get(i)), null, signed),
                    ImageVisualization.renderImageAttr(before.attribution(0).get(i), null, heat),
                    ImageVisualization.renderImageAttr(normalise(adv.get(i)), normalise(adv.get(i)), original),
                    ImageVisualization.renderImageAttr(after.attribution(0).get(i), null, heat)
                };
                for (int j = 0; j < cells.length; j++) {
                    g.drawImage(cells[j].getScaledInstance(cell, cell, Image.SCALE_FAST), j * (cell + gap), y, null);
                }
            }
        }
        g.dispose();
        return img;
    }

    private static NDArray normalise(NDArray image) {
        return image.sub(image.min()).div(image.max().sub(image.min()));
    }
}
