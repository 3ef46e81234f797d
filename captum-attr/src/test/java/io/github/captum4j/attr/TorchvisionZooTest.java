package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.rules.Canonizer;
import io.github.captum4j.core.rules.Canonizers;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * torchvision VGG11, MobileNetV2 and ResNet-50 imported from the architecture JSON the export tool
 * wrote, every parameter set by the formula of {@code tools/zoo_reference.py} ({@link
 * FormulaWeights}), one import per model:
 *
 * <ul>
 *   <li>the forward pass reproduces PyTorch's to 1e-4 relative;
 *   <li>GuidedBackprop reproduces PyTorch's guided gradient (Captum's rule on {@code nn.ReLU}
 *       modules; MobileNetV2's {@code ReLU6} is not one, as in Captum) at every sampled element;
 *   <li>DeepLift (chain-rule order) is complete, \( \sum A = F(x) - F(0) \), on VGG11 and ResNet-50,
 *       where every nonlinearity is a ReLU or a max pooling; on MobileNetV2 {@code ReLU6} has no
 *       DeepLift rule in Captum and takes its plain gradient, so only finiteness is checked;
 *   <li>LRP with Captum's epsilon rules equals Gradient x Input on VGG11 (epsilon-LRP on a ReLU
 *       network without BatchNorm, Ancona et al. 2018; with BatchNorm, Captum's epsilon 1e-9 divides
 *       by near-zero BatchNorm outputs); a Zennit-style composite (BatchNorm merged into the
 *       convolutions by the canonizer, then EpsilonGammaBox) runs and is finite on each model.
 * </ul>
 */
class TorchvisionZooTest {

    private static final int TARGET = 7;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vgg11", "mobilenet_v2", "resnet50"})
    void importsReproducesPyTorchAndExplains(String name, @TempDir Path dir) throws IOException {
        String id = "torchvision_" + name;
        Path zoo = TestModels.model("zoo");
        JsonObject spec = read(zoo.resolve(id + ".json"));
        JsonObject reference = read(zoo.resolve("torchvision_zoo_reference.json"));
        FormulaWeights.write(spec, dir.resolve(id + ".npz"));
        spec.addProperty("state_dict_file", id + ".npz");
        Path json = dir.resolve(id + ".json");
        Files.writeString(json, spec.toString(), StandardCharsets.UTF_8);
        boolean piecewiseLinear = !name.equals("mobilenet_v2");
        try (NDManager m = NDManager.newBaseManager();
                ImportedModel model = ImportedModel.load(json, m)) {
            ForwardFunction f = model.forwardFunction();
            NDArray x = m.create(FormulaWeights.input(3 * 64 * 64), new Shape(1, 3, 64, 64));
            NDArray out = f.forward(new NDList(x), List.of());

            float[] expected = floats(reference.getAsJsonObject("outputs").getAsJsonObject(id), "data");
            float[] got = out.toFloatArray();
            assertThat(maxAbsDiff(got, expected) / maxAbs(expected)).isLessThan(1e-4);

            Target t = Target.index(TARGET);
            JsonObject gbp = reference.getAsJsonObject("guided_backprop").getAsJsonObject(id);
            try (Attribution a = new GuidedBackprop(f).attribute(Inputs.of(x), t)) {
                float[] g = a.attribution(0).toFloatArray();
                int stride = gbp.get("stride").getAsInt();
                float[] sampled = floats(gbp, "sampled");
                float[] mine = new float[sampled.length];
                for (int i = 0; i < sampled.length; i++) {
                    mine[i] = g[i * stride];
                }
                assertThat(maxAbsDiff(mine, sampled) / maxAbs(sampled)).isLessThan(1e-4);
                assertThat(sum(g))
                        .isCloseTo(
                                gbp.get("sum").getAsDouble(),
                                org.assertj.core.data.Offset.offset(
                                        1e-4 * gbp.get("abs_sum").getAsDouble()));
            }

            NDArray gap = out.get(":, " + TARGET).sub(f.forward(new NDList(x.zerosLike()), List.of()).get(":, " + TARGET));
            try (Attribution a =
                    new DeepLift(f, true, DeepLift.DEFAULT_EPS, false)
                            .attribute(
                                    Inputs.of(x).withBaselines(Baselines.zeros()),
                                    t,
                                    new DeepLift.Options(true))) {
                assertFinite(a.attribution(0));
                if (piecewiseLinear) {
                    double g = gap.getFloat(0);
                    assertThat((double) a.attribution(0).sum().getFloat())
                            .isCloseTo(g, org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(g))));
                    assertThat(Math.abs(a.convergenceDelta().orElseThrow().getFloat(0)))
                            .isLessThan((float) (1e-3 * (1 + Math.abs(g))));
                }
            }

            if (name.equals("vgg11")) {
                try (Attribution lrp = new LRP(f).attribute(Inputs.of(x), t);
                        Attribution ixg = new InputXGradient(f).attribute(Inputs.of(x), t)) {
                    float[] r = lrp.attribution(0).toFloatArray();
                    float[] gi = ixg.attribution(0).toFloatArray();
                    assertThat(maxAbsDiff(r, gi) / maxAbs(gi)).isLessThan(1e-3);
                }
            }
            try (Canonizer merged = Canonizers.mergeBatchNorm(model, m);
                    Attribution z =
                            new LRP(f, Composite.epsilonGammaBox(firstConv(model), -1f, 1f))
                                    .attribute(Inputs.of(x), t)) {
                assertFinite(z.attribution(0));
                assertThat(z.attribution(0).abs().sum().getFloat()).isPositive();
            }
        }
    }

    private static String firstConv(ImportedModel model) {
        for (String n : model.layerNames()) {
            if ("Conv2d".equals(model.layerType(n))) {
                return n;
            }
        }
        throw new AssertionError("no Conv2d");
    }

    private static void assertFinite(NDArray a) {
        for (float v : a.toFloatArray()) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    private static JsonObject read(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static float[] floats(JsonObject o, String key) {
        JsonArray a = o.getAsJsonArray(key);
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double maxAbs(float[] a) {
        double d = 0;
        for (float v : a) {
            d = Math.max(d, Math.abs(v));
        }
        return d;
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
