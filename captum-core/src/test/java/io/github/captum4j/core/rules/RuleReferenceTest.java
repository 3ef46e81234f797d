package io.github.captum4j.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import io.github.captum4j.core.rules.internal.RuleBackward;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * Every {@link Rules} and {@link LrpRules} factory and every {@link Composite} preset against its
 * formula, written out in plain Java on a tiny layer (Zennit's habit): the rule-based backward pass
 * of \( \sum_j g_j\, y_j \) must give, at the input, what the rule's formula gives by hand.
 */
class RuleReferenceTest {

    private static final double TOL = 1e-5;

    /** Linear layer {@code (N, 3) -> (N, 2)}: weight {@code W[j][i]}, bias {@code B[j]}. */
    private static final double[][] W = {{1, -2, 0.5}, {-1, 0.5, 2}};

    private static final double[] B = {0.1, -0.3};

    private static final double[] X = {0.8, -0.4, 1.2};

    /** One example of {@link #X}. */
    private static final Shape ROW = new Shape(1, 3);

    private static final double[] G = {0.7, -1.3};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    // ------------------------------------------------------------------ element-wise rules

    @Test
    void identityIsAutogradsVectorJacobianProduct() {
        Composite c = Composite.empty().withType("Linear", Rules.identity());
        double[] got = run(chain(linear("fc")), c, ROW, X, G);
        assertClose(got, wT(W, G));
    }

    @Test
    void guidedOnReluPassesPositiveGradientsWhereTheInputIsPositive() {
        double[] x = {0.5, -1, 2, -0.1};
        double[] g = {1, 1, -2, 3};
        double[] got = run(chain(relu("r")), Composite.guidedBackprop(), new Shape(1, 4), x, g);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = Math.max(0, g[i]) * (x[i] > 0 ? 1 : 0);
        }
        assertClose(got, expected);
    }

    @Test
    void guidedOnAnotherActivationCutsTheNegativeGradient() {
        double[] x = {0.5, -1, 2};
        double[] g = {1, -1, 2};
        Composite c = Composite.empty().withType("Tanh", Rules.guided());
        Module tanh = elementWise("t", "Tanh", NDArray::tanh);
        double[] got = run(chain(tanh), c, new Shape(1, 3), x, g);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(x[i]);
            expected[i] = Math.max(0, g[i] * (1 - t * t));
        }
        assertClose(got, expected);
    }

    @Test
    void deconvolutionPassesThePositiveOutputGradientWhateverTheInput() {
        double[] x = {0.5, -1, 2, -0.1};
        double[] g = {1, 1, -2, 3};
        double[] got = run(chain(relu("r")), Composite.deconvolution(), new Shape(1, 4), x, g);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = Math.max(0, g[i]);
        }
        assertClose(got, expected);
    }

    @Test
    void rescaleOnReluIsTheDifferenceQuotientWithTheSignOfTheInputWhereTheyMeet() {
        // batch [x; x'], one example of 4 features; feature 3 has x = x'
        double[] x = {1.5, -0.5, 2, 0.3};
        double[] ref = {-1, -2, 0.5, 0.3};
        double[] g = {1, 2, -1, 0.5, 3, -2, 1.5, 4};
        Composite c = Composite.deepLift(1e-10f);
        double[] got = run(chain(relu("r")), c, new Shape(2, 4), concat(x, ref), g);
        double[] expected = new double[8];
        for (int i = 0; i < 4; i++) {
            double d = x[i] - ref[i];
            double m0 = d == 0 ? step(x[i]) : (relu(x[i]) - relu(ref[i])) / d;
            double m1 = d == 0 ? step(ref[i]) : (relu(x[i]) - relu(ref[i])) / d;
            expected[i] = g[i] * m0;
            expected[4 + i] = g[4 + i] * m1;
        }
        assertClose(got, expected);
    }

    @Test
    void rescaleOnASmoothActivationFallsBackToItsDerivativeWhereInputsMeet() {
        double[] x = {1.5, -0.5, 0.3};
        double[] ref = {-1, 0.5, 0.3};
        double[] g = {1, 2, -1, 0.5, 3, -2};
        Composite c = Composite.empty().withType("Sigmoid", Rules.rescale(1e-10f));
        Module sigmoid = elementWise("s", "Sigmoid", Activation::sigmoid);
        double[] got = run(chain(sigmoid), c, new Shape(2, 3), concat(x, ref), g);
        double[] expected = new double[6];
        for (int i = 0; i < 3; i++) {
            double d = x[i] - ref[i];
            double ratio = (sigmoid(x[i]) - sigmoid(ref[i])) / d;
            expected[i] = g[i] * (d == 0 ? sigmoidPrime(x[i]) : ratio);
            expected[3 + i] = g[3 + i] * (d == 0 ? sigmoidPrime(ref[i]) : ratio);
        }
        assertClose(got, expected);
    }

    @Test
    void rescaleMaxPoolRoutesTheOutputDifferencesToTheMaximaOverTheInputDifference() {
        // MaxPool1d(kernel 2, stride 2) over 4 positions; batch [x; x'], one channel
        double[] x = {1, 3, 0.7, 0.5};
        double[] ref = {2, -1, 0.7, 1.5};
        double[] g = {1, -2, 0.5, 3};
        Composite c = Composite.deepLift(1e-10f);
        double[] got = run(chain(maxPool("p")), c, new Shape(2, 1, 4), concat(x, ref), g);
        double[] y = pool(x);
        double[] yRef = pool(ref);
        double[] sum = new double[4];
        for (int o = 0; o < 2; o++) {
            double max = Math.max(y[o], yRef[o]);
            sum[argMax(x, o)] += g[o] * (max - yRef[o]);
            sum[argMax(ref, o)] += g[2 + o] * (y[o] - max);
        }
        double[] expected = new double[8];
        for (int i = 0; i < 4; i++) {
            double d = x[i] - ref[i];
            // where x = x': the module gradient of the batch's first example (Captum 0.8)
            double first = argMax(x, i / 2) == i ? g[i / 2] : 0;
            expected[i] = d == 0 ? first : sum[i] / d;
            expected[4 + i] = expected[i];
        }
        assertClose(got, expected);
    }

    // ------------------------------------------------------------------ LRP rules on Linear

    @Test
    void epsilonRuleDividesByTheStabilisedPreActivation() {
        float eps = 0.5f;
        Composite c = Composite.empty().withType("Linear", LrpRules.epsilon(eps));
        double[] got = run(chain(linear("fc")), c, ROW, X, G);
        assertClose(got, lrp(W, B, X, G, eps));
    }

    @Test
    void gammaRuleFavoursPositiveWeights() {
        float gamma = 0.25f;
        double[][] w = map(W, v -> v + gamma * Math.max(0, v));
        Composite c = Composite.empty().withType("Linear", LrpRules.gamma(gamma));
        double[] got = run(chain(linear("fc")), c, ROW, X, G);
        assertClose(got, lrp(w, B, X, G, LrpRules.DEFAULT_EPSILON));
    }

    @Test
    void alpha1Beta0RuleKeepsPositiveWeightsOnly() {
        double[][] w = map(W, v -> Math.max(0, v));
        Composite c = Composite.empty().withType("Linear", LrpRules.alpha1Beta0());
        double[] got = run(chain(linear("fc")), c, ROW, X, G);
        assertClose(got, lrp(w, B, X, G, LrpRules.DEFAULT_EPSILON));
    }

    @Test
    void passRuleHandsTheRelevanceThrough() {
        double[] x = {0.5, -1, 2};
        double[] g = {1, -1, 2};
        Composite c = Composite.empty().withType("ReLU", LrpRules.pass());
        assertClose(run(chain(relu("r")), c, new Shape(1, 3), x, g), g);
    }

    @Test
    void zBoxRuleSubtractsTheBoundsContributions() {
        float low = -1;
        float high = 2;
        Composite c = Composite.empty().withType("Linear", LrpRules.zBox(low, high));
        double[] got = run(chain(linear("fc")), c, ROW, X, G);
        assertClose(got, zBox(X, G, low, high));
    }

    // ------------------------------------------------------------------ presets

    @Test
    void emptyGuidedAndDeconvolutionPresetsOnLinearThenRelu() {
        RuleModel model = chain(linear("fc"), relu("r"));
        double[] z = pre(W, B, X);
        double[] plain = new double[2];
        double[] guided = new double[2];
        double[] deconv = new double[2];
        for (int j = 0; j < 2; j++) {
            plain[j] = G[j] * step(z[j]);
            guided[j] = Math.max(0, G[j]) * step(z[j]);
            deconv[j] = Math.max(0, G[j]);
        }
        assertClose(run(model, Composite.empty(), ROW, X, G), wT(W, plain));
        assertClose(run(model, Composite.guidedBackprop(), ROW, X, G), wT(W, guided));
        assertClose(run(model, Composite.deconvolution(), ROW, X, G), wT(W, deconv));
    }

    @Test
    void deepLiftPresetRescalesTheReluOfALinearLayer() {
        double[] ref = {-0.5, 0.6, 0.2};
        double[] z = pre(W, B, X);
        double[] zRef = pre(W, B, ref);
        double[] g = {0.7, -1.3, 2, 0.4};
        RuleModel model = chain(linear("fc"), relu("r"));
        double[] got = run(model, Composite.deepLift(1e-10f), new Shape(2, 3), concat(X, ref), g);
        double[] top = new double[2];
        double[] bottom = new double[2];
        for (int j = 0; j < 2; j++) {
            double m = (relu(z[j]) - relu(zRef[j])) / (z[j] - zRef[j]);
            top[j] = g[j] * m;
            bottom[j] = g[2 + j] * m;
        }
        assertClose(got, concat(wT(W, top), wT(W, bottom)));
    }

    @Test
    void lrpPresetIsEpsilonOnLinearAndPassOnRelu() {
        double[] got = run(chain(linear("fc"), relu("r")), Composite.lrp(), ROW, X, G);
        assertClose(got, lrp(W, B, X, G, LrpRules.DEFAULT_EPSILON));
    }

    @Test
    void epsilonGammaBoxPresetPutsZBoxOnTheFirstLayer() {
        Composite c = Composite.epsilonGammaBox("fc", -1, 2);
        double[] got = run(chain(linear("fc"), relu("r")), c, ROW, X, G);
        assertClose(got, zBox(X, G, -1, 2));
    }

    @Test
    void epsilonGammaBoxPresetPutsGammaOnConvolutionsAndEpsilonOnLinearLayers() {
        // conv (1x1, 3 -> 2 channels) -> ReLU -> flatten -> fc (2 -> 2); no layer named "input"
        double[][] fcW = {{0.5, -1}, {2, 0.25}};
        double[] fcB = {0.2, -0.1};
        RuleModel model =
                chain(
                        conv1x1("conv"),
                        relu("r"),
                        elementWise("flat", "Flatten", a -> a.reshape(a.getShape().get(0), -1)),
                        linear("fc", fcW, fcB));
        Composite c = Composite.epsilonGammaBox("input", -1, 2);
        double[] got = run(model, c, new Shape(1, 3, 1, 1), X, G);
        double[] a = pre(W, B, X);
        for (int j = 0; j < a.length; j++) {
            a[j] = relu(a[j]);
        }
        double[] atConv = lrp(fcW, fcB, a, G, 1e-6f);
        double[][] gammaW = map(W, v -> v + LrpRules.DEFAULT_GAMMA * Math.max(0, v));
        assertClose(got, lrp(gammaW, B, X, atConv, LrpRules.DEFAULT_EPSILON));
    }

    // ------------------------------------------------------------------ the formulas

    /** \( R_i = x_i \sum_j w_{ji} g_j / (z_j + \epsilon\,\mathrm{sign}(z_j)) \). */
    private static double[] lrp(double[][] w, double[] b, double[] x, double[] g, double eps) {
        double[] z = pre(w, b, x);
        double[] s = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            s[j] = g[j] / (z[j] + eps * (z[j] >= 0 ? 1 : -1));
        }
        double[] c = wT(w, s);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] * c[i];
        }
        return r;
    }

    /** Montavon's z-box on {@link #W}, {@link #B}. */
    private static double[] zBox(double[] x, double[] g, double low, double high) {
        double[] z = B.clone();
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < x.length; i++) {
                z[j] += contribution(W[j][i], x[i], low, high);
            }
        }
        double[] r = new double[x.length];
        for (int j = 0; j < 2; j++) {
            double s = g[j] / (z[j] + LrpRules.DEFAULT_EPSILON * (z[j] >= 0 ? 1 : -1));
            for (int i = 0; i < x.length; i++) {
                r[i] += contribution(W[j][i], x[i], low, high) * s;
            }
        }
        return r;
    }

    private static double contribution(double w, double x, double low, double high) {
        return x * w - low * Math.max(0, w) - high * Math.min(0, w);
    }

    /** \( z = W x + b \). */
    private static double[] pre(double[][] w, double[] b, double[] x) {
        double[] z = b.clone();
        for (int j = 0; j < w.length; j++) {
            for (int i = 0; i < x.length; i++) {
                z[j] += w[j][i] * x[i];
            }
        }
        return z;
    }

    /** \( W^\top v \). */
    private static double[] wT(double[][] w, double[] v) {
        double[] out = new double[w[0].length];
        for (int j = 0; j < w.length; j++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += w[j][i] * v[j];
            }
        }
        return out;
    }

    private static double[][] map(double[][] w, DoubleUnaryOperator f) {
        double[][] out = new double[w.length][];
        for (int j = 0; j < w.length; j++) {
            out[j] = Arrays.stream(w[j]).map(f).toArray();
        }
        return out;
    }

    private static double[] pool(double[] x) {
        return new double[] {Math.max(x[0], x[1]), Math.max(x[2], x[3])};
    }

    private static int argMax(double[] x, int window) {
        return x[2 * window] >= x[2 * window + 1] ? 2 * window : 2 * window + 1;
    }

    private static double relu(double v) {
        return Math.max(0, v);
    }

    private static double step(double v) {
        return v > 0 ? 1 : 0;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double sigmoidPrime(double v) {
        return sigmoid(v) * (1 - sigmoid(v));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertClose(double[] got, double[] expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %s", i).isCloseTo(expected[i], within(TOL));
        }
    }

    // ------------------------------------------------------------------ the tiny models

    /** One module of a chain: its PyTorch name and type, its block (for LRP), its function. */
    private record Module(String name, String type, Block block, UnaryOperator<NDArray> fn) {}

    /** A model calling its modules one after another, each offered to the interceptor. */
    private static RuleModel chain(Module... modules) {
        return (inputs, args, interceptor) -> {
            NDArray x = inputs.get(0);
            for (Module m : modules) {
                x =
                        interceptor.intercept(
                                new ModuleCall(
                                        m.name(),
                                        m.type(),
                                        m.block(),
                                        false,
                                        new NDList(x),
                                        t -> m.fn().apply(t.get(0))));
            }
            return x;
        };
    }

    /**
     * The input gradient of \( \sum g \odot \mathrm{model}(x) \) under the composite ({@code x}
     * of the given shape and {@code g} of the output's, both flattened row-major).
     */
    private double[] run(
            RuleModel model, Composite composite, Shape shape, double[] x, double[] g) {
        NDArray input = manager.create(toFloat(x), shape);
        NDArray seed = manager.create(toFloat(g));
        NDArray grad =
                RuleBackward.run(
                                model,
                                new NDList(input),
                                List.of(),
                                composite,
                                List.of(),
                                false,
                                true,
                                (out, values) -> out.mul(seed.reshape(out.getShape())))
                        .inputGradients()
                        .get(0);
        float[] f = grad.toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private Module linear(String name) {
        return linear(name, W, B);
    }

    private Module linear(String name, double[][] w, double[] b) {
        Linear block = Linear.builder().setUnits(w.length).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, w[0].length));
        block.getParameters().get("weight").getArray().set(toFloat(flatten(w)));
        block.getParameters().get("bias").getArray().set(toFloat(b));
        float[] wf = toFloat(flatten(w));
        float[] bf = toFloat(b);
        return new Module(
                name,
                "Linear",
                block,
                a -> {
                    NDManager m = a.getManager();
                    return a.matMul(m.create(wf, new Shape(w.length, w[0].length)).transpose())
                            .add(m.create(bf));
                });
    }

    /** A 1x1 convolution with the weights of {@link #W}, {@link #B}: per pixel the linear layer. */
    private Module conv1x1(String name) {
        Conv2d block =
                Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 1, 1));
        block.getParameters().get("weight").getArray().set(toFloat(flatten(W)));
        block.getParameters().get("bias").getArray().set(toFloat(B));
        Module fc = linear(name);
        return new Module(
                name,
                "Conv2d",
                block,
                a -> fc.fn().apply(a.reshape(a.getShape().get(0), 3)).reshape(-1, 2, 1, 1));
    }

    private static Module relu(String name) {
        return elementWise(name, "ReLU", a -> a.maximum(0f));
    }

    private static Module elementWise(String name, String type, UnaryOperator<NDArray> fn) {
        return new Module(name, type, null, fn);
    }

    /** MaxPool1d(kernel 2, stride 2) over {@code (N, 1, 4)}. */
    private static Module maxPool(String name) {
        return new Module(
                name,
                "MaxPool1d",
                null,
                a -> Pool.maxPool1d(a, new Shape(2), new Shape(2), new Shape(0), false));
    }

    private static double[] flatten(double[][] w) {
        double[] out = new double[w.length * w[0].length];
        for (int j = 0; j < w.length; j++) {
            System.arraycopy(w[j], 0, out, j * w[0].length, w[0].length);
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
