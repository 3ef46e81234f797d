package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.layer.Interpolation;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.conformance.cases.FixtureRoot;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code gradcam} subcommand, the seeds' showcase: GradCAM on {@code layer3.1.conv2} of the
 * ResNet-shaped fixture model {@code tiny_resnet}, upsampled with {@link
 * LayerAttribution#interpolate} to the 64×64 input, on the imported Block model and on the
 * TorchScript module exported with taps; prints the map and its distance to Captum's numbers.
 */
final class GradCamDemo {

    static final String CASE = "layer_gradcam_tiny_resnet_layer3_1_conv2";
    static final LayerPath LAYER = LayerPath.of("layer3.1.conv2");
    private static final String SHADES = " .:-=+*#%@";

    private GradCamDemo() {}

    /**
     * Runs the showcase.
     *
     * @param fixtures the fixture folder (holding {@code models/}, {@code cases/}, {@code taps/})
     * @param out where the report goes
     * @return the exit status: 0, or 1 if a form's map is off Captum's beyond the case's tolerance
     */
    static int run(Path fixtures, PrintStream out) {
        FixtureRoot root = FixtureRoot.of(fixtures);
        int status = 0;
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel block =
                        ImportedModel.load(root.modelJsonFile("tiny_resnet"), manager)) {
            GoldenCase c = root.readCase(CASE);
            NDList x = c.inputs(manager);
            Path taps = fixtures.resolve("taps").resolve("tiny_resnet.pt");
            status |= show("imported Block model", block, c, x, manager, out, true);
            if (Files.isRegularFile(taps)) {
                try (TorchScriptModel ts = TorchScriptModel.load(taps)) {
                    status |=
                            show(
                                    "TorchScript with taps (" + taps + ")",
                                    ts,
                                    c,
                                    x,
                                    manager,
                                    out,
                                    false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return status;
    }

    private static int show(
            String title,
            LayerAccess model,
            GoldenCase c,
            NDList x,
            NDManager manager,
            PrintStream out,
            boolean drawMap) {
        int target = c.attributeArgs().integer("target", 0);
        long h = x.get(0).getShape().get(2);
        long w = x.get(0).getShape().get(3);
        LayerGradCam gradCam = new LayerGradCam(model, LAYER);
        try (NDManager m = manager.newSubManager();
                Attribution a = gradCam.attribute(Inputs.of(x), Target.index(target))) {
            NDArray cam = a.attribution(0);
            NDArray up =
                    LayerAttribution.interpolate(cam, new long[] {h, w}, Interpolation.BILINEAR);
            NDArray expected = c.tensor("interpolated_bilinear", m);
            double err = up.sub(expected).abs().max().getFloat();
            boolean ok = c.tolerance().check(up, expected).passed();
            out.printf(
                    Locale.ROOT,
                    "GradCAM on %s of tiny_resnet, class %d — %s%n",
                    LAYER,
                    target,
                    title);
            out.printf(
                    Locale.ROOT,
                    "  layer map %s -> upsampled %s (bilinear); max |ours - Captum| = %.2e %s%n",
                    cam.getShape(),
                    up.getShape(),
                    err,
                    ok ? "(within the case's tolerance)" : "(OUTSIDE the case's tolerance)");
            if (drawMap) {
                draw(up.reshape(h, w), out);
            }
            return ok ? 0 : 1;
        }
    }

    /** The map as text, one character per 4×2 pixels, darker = more positive evidence. */
    private static void draw(NDArray map, PrintStream out) {
        float[] v = map.toFloatArray();
        int h = (int) map.getShape().get(0);
        int w = (int) map.getShape().get(1);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        for (int r = 0; r < h; r += 4) {
            StringBuilder line = new StringBuilder("  |");
            for (int col = 0; col < w; col += 2) {
                float s = 0;
                int count = 0;
                for (int i = r; i < Math.min(h, r + 4); i++) {
                    for (int j = col; j < Math.min(w, col + 2); j++) {
                        s += v[i * w + j];
                        count++;
                    }
                }
                double t = max > min ? (s / count - min) / (max - min) : 0;
                line.append(
                        SHADES.charAt((int) Math.min(SHADES.length() - 1, t * SHADES.length())));
            }
            out.println(line.append('|'));
        }
        out.printf(Locale.ROOT, "  scale: ' ' = %.3g ... '@' = %.3g%n", min, max);
    }
}
