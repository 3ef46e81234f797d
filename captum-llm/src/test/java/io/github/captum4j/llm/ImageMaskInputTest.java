package io.github.captum4j.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** The image segmentation-mask input under the perturbation methods' public API. */
class ImageMaskInputTest {

    private static final int C = 3;
    private static final int H = 6;
    private static final int W = 5;

    private NDManager manager;
    private float[] pixels;
    private float[] weights;
    private long[] segments;
    private ImageMaskInput image;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        SplittableRandom random = new SplittableRandom(7);
        pixels = new float[C * H * W];
        weights = new float[C * H * W];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
            weights[i] = (float) (random.nextDouble() * 2 - 1);
        }
        segments = new long[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                segments[y * W + x] = 10 * (y / 3) + (x / 2); // 2 x 3 blocks, ids 0,1,2,10,11,12
            }
        }
        image = ImageMaskInput.of(
                manager.create(pixels, new Shape(C, H, W)),
                manager.create(segments, new Shape(H, W)),
                new float[] {0.5f, 0.25f, 0f});
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** (N, C, H, W) -> (N, 2): a linear score and its negation. */
    private ForwardFunction linear() {
        NDArray w = manager.create(weights, new Shape(C * H * W, 1));
        return (x, args) -> {
            NDArray s = x.get(0).reshape(x.get(0).getShape().get(0), C * H * W).matMul(w);
            return s.concat(s.neg(), 1);
        };
    }

    /** The exact contribution of each segment to the linear score: sum w (x - baseline). */
    private float[] expectedLinear() {
        float[] base = {0.5f, 0.25f, 0f};
        double[] out = new double[image.featureCount()];
        int[] index = {0, 1, 2, -1, -1, -1, -1, -1, -1, -1, 3, 4, 5};
        for (int ch = 0; ch < C; ch++) {
            for (int p = 0; p < H * W; p++) {
                out[index[(int) segments[p]]] += weights[ch * H * W + p] * (pixels[ch * H * W + p] - base[ch]);
            }
        }
        float[] f = new float[out.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) out[i];
        }
        return f;
    }

    @Test
    void featureAblationAndShapleyValuesGiveEachSegmentItsLinearContribution() {
        ForwardFunction f = InterpretableForward.of(image, image.rowsModel(linear()));
        Inputs in = Inputs.of(image.toTensor(manager)).withBaselines(Baselines.scalar(0));
        float[] expected = expectedLinear();
        try (Attribution fa = new FeatureAblation(f).attribute(in, Target.index(0),
                        FeatureAblation.Options.builder().perturbationsPerEval(4).build());
                Attribution sv = new ShapleyValues(f).attribute(in, Target.index(0))) {
            float[] a = fa.attribution(0).toFloatArray();
            float[] s = sv.attribution(0).toFloatArray();
            assertThat(a).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertThat(a[i]).isCloseTo(expected[i], offset(1e-4f));
                assertThat(s[i]).isCloseTo(expected[i], offset(1e-4f));
            }
        }
    }

    @Test
    void shapleyValuesOnANonLinearModelAreEfficient() {
        ForwardFunction lin = linear();
        ForwardFunction model = (x, args) -> lin.forward(x, args).tanh().mul(3);
        ForwardFunction f = InterpretableForward.of(image, image.rowsModel(model));
        Inputs in = Inputs.of(image.toTensor(manager)).withBaselines(Baselines.scalar(0));
        try (Attribution sv = new ShapleyValues(f).attribute(in, Target.index(1))) {
            double total = 0;
            for (float v : sv.attribution(0).toFloatArray()) {
                total += v;
            }
            float[] ones = image.toModelInput();
            float[] zeros = image.toModelInput(new float[6]);
            NDArray both = manager.create(concat(ones, zeros), new Shape(2, C, H, W));
            float[] out = model.forward(new ai.djl.ndarray.NDList(both), java.util.List.of()).toFloatArray();
            assertThat(total).isCloseTo(out[1] - out[3], offset(1e-4));
        }
    }

    @Test
    void toPixelsPaintsEverySegment() {
        float[] attr = {1, 2, 3, 4, 5, 6};
        float[] painted = image.toPixels(attr);
        assertThat(painted[0]).isEqualTo(1f);
        assertThat(painted[W - 1]).isEqualTo(3f);
        assertThat(painted[(H - 1) * W]).isEqualTo(4f);
        assertThat(painted[H * W - 1]).isEqualTo(6f);
    }

    @Test
    void badShapesNameTheArgument() {
        NDArray img = manager.create(pixels, new Shape(C, H, W));
        assertThatThrownBy(() -> ImageMaskInput.of(img, manager.create(new long[H * W], new Shape(W, H)), new float[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask");
        assertThatThrownBy(() -> ImageMaskInput.of(img, manager.create(segments, new Shape(H, W)), new float[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseline");
        assertThatThrownBy(() -> ImageMaskInput.of(img.reshape(C * H * W), manager.create(segments, new Shape(H, W)), new float[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image");
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
