package io.github.captum4j.viz;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference data written by {@code src/test/python/make_reference.py} with Debian's matplotlib
 * and NumPy: colormap bytes as matplotlib returns them, and Captum's normalisation computed in
 * NumPy.
 */
final class MatplotlibReference {

    private static final JsonObject ROOT = load();

    private MatplotlibReference() {}

    /** One normalisation case. */
    record NormCase(
            int[] shape,
            float[] attr,
            VisualizeSign sign,
            double outlierPerc,
            float scale,
            float[] expected) {
        @Override
        public String toString() {
            return java.util.Arrays.toString(shape) + " " + sign + " outlierPerc=" + outlierPerc;
        }
    }

    /** matplotlib's RGBA bytes of the 256 entries, entry-major. */
    static int[] lut(String name) {
        return ints(ROOT.getAsJsonObject("colormaps").getAsJsonObject(name).getAsJsonArray("lut"));
    }

    /** The sampled values of a colormap. */
    static double[] sampleX(String name) {
        JsonArray a = ROOT.getAsJsonObject("colormaps").getAsJsonObject(name).getAsJsonArray("x");
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** matplotlib's {@code cmap(x, bytes=True)} of the sampled values. */
    static int[] sampleRgba(String name) {
        return ints(ROOT.getAsJsonObject("colormaps").getAsJsonObject(name).getAsJsonArray("rgba"));
    }

    /** The heat-map colour bytes {r, g, b} matplotlib gives a normalised value. */
    static int[] color(String cmap, float normalised, float vmin) {
        float x = (normalised - vmin) / (1f - vmin);
        int n = 256;
        float scaled = x * n;
        int index = scaled >= n ? n - 1 : scaled < 0 ? 0 : (int) scaled;
        int[] lut = lut(cmap);
        return new int[] {lut[4 * index], lut[4 * index + 1], lut[4 * index + 2]};
    }

    static List<NormCase> normalisationCases() {
        List<NormCase> out = new ArrayList<>();
        for (var e : ROOT.getAsJsonArray("normalisation")) {
            JsonObject o = e.getAsJsonObject();
            out.add(
                    new NormCase(
                            ints(o.getAsJsonArray("shape")),
                            floats(o.getAsJsonArray("attr")),
                            VisualizeSign.valueOf(
                                    o.get("sign").getAsString().toUpperCase(java.util.Locale.ROOT)),
                            o.get("outlier_perc").getAsDouble(),
                            o.get("scale").getAsFloat(),
                            floats(o.getAsJsonArray("expected"))));
        }
        return out;
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    private static JsonObject load() {
        try (InputStream in =
                MatplotlibReference.class.getResourceAsStream("matplotlib-reference.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
