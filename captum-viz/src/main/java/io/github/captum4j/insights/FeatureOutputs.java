package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.ImageVisualizationMethod;
import io.github.captum4j.viz.Png;
import io.github.captum4j.viz.VisualizeSign;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link FeatureOutput}s of one explained example, as Captum Insights computes them: each
 * feature's share of the attribution, images drawn as heat maps, text tokens and general values
 * scaled to [-100, 100]. Not API.
 */
final class FeatureOutputs {

    private FeatureOutputs() {}

    /** Each feature's summed attribution divided by the L1 norm of the sums (0 if all are 0). */
    static double[] contributions(NDList attributions) {
        double[] sums = new double[attributions.size()];
        double norm = 0;
        for (int i = 0; i < sums.length; i++) {
            for (float v : floats(attributions.get(i))) {
                sums[i] += v;
            }
            norm += Math.abs(sums[i]);
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] = norm == 0 ? 0 : sums[i] / norm;
        }
        return sums;
    }

    /** What the page shows of one feature: the data and its attribution drawn for its type. */
    static FeatureOutput of(Feature f, NDArray data, NDArray attribution, double contrib) {
        if (f instanceof ImageFeature img) {
            NDArray picture =
                    AttributionVisualizer.transform(
                            img.visualizationTransform(), data, "visualizationTransform", 0);
            ImageVisualization.Options o =
                    ImageVisualization.Options.builder()
                            .channelLayout(ChannelLayout.CHANNELS_FIRST)
                            .build();
            return new FeatureOutput.Image(
                    f.name(),
                    contrib,
                    render(
                            attribution,
                            picture,
                            o.toBuilder().method(ImageVisualizationMethod.ORIGINAL_IMAGE)),
                    render(attribution, picture, o.toBuilder()),
                    render(
                            attribution,
                            picture,
                            o.toBuilder()
                                    .method(ImageVisualizationMethod.BLENDED_HEAT_MAP)
                                    .sign(VisualizeSign.ALL)));
        }
        float[] a = floats(attribution);
        if (f instanceof TextFeature text) {
            long[] shape = attribution.getShape().getShape();
            int tokens = shape.length >= 2 ? (int) shape[1] : a.length;
            double[] perToken = new double[tokens];
            for (int i = 0; i < a.length; i++) {
                perToken[i / (a.length / tokens)] += a[i];
            }
            double max = 0;
            for (double v : perToken) {
                max = Math.max(max, Math.abs(v));
            }
            List<String> words =
                    text.visualizationTransform() != null
                            ? text.visualizationTransform().apply(data)
                            : values(data);
            return new FeatureOutput.Text(f.name(), contrib, words, scaled(perToken, max));
        }
        GeneralFeature general = (GeneralFeature) f;
        Checks.argument(
                a.length == general.categories().size(),
                "general feature '%s' has %s categories but its input holds %s values",
                f.name(),
                general.categories().size(),
                a.length);
        double norm = 0;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
            norm += d[i] * d[i];
        }
        List<String> base = new ArrayList<>();
        float[] v = floats(data);
        for (int i = 0; i < a.length; i++) {
            base.add(String.format(Locale.ROOT, "%s: %.2f", general.categories().get(i), v[i]));
        }
        return new FeatureOutput.General(f.name(), contrib, base, scaled(d, Math.sqrt(norm)));
    }

    private static String render(
            NDArray attribution, NDArray picture, ImageVisualization.Options.Builder options) {
        return Png.dataUri(
                ImageVisualization.renderImageAttr(attribution, picture, options.build()));
    }

    /** Values divided by a norm, times 100 (Captum's {@code safe_div}: 0 when the norm is 0). */
    private static List<Double> scaled(double[] values, double norm) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(norm == 0 ? 0.0 : 100 * v / norm);
        }
        return out;
    }

    private static List<String> values(NDArray data) {
        List<String> out = new ArrayList<>();
        for (float v : floats(data)) {
            out.add(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
        }
        return out;
    }

    private static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
