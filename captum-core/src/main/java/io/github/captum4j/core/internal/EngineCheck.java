package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

import io.github.captum4j.core.AttributionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.SplittableRandom;

/**
 * A once-per-JVM check that libtorch's convolution gradients are right on this CPU.
 *
 * <p>Why: on some AMD EPYC (Zen 4) virtual machines, libtorch 2.7.1's oneDNN kernels for the
 * gradient of a convolution with respect to its input return wrong, run-to-run different values
 * (up to NaN) when oneDNN uses its AVX2 or AVX-512 code, while the forward pass stays right; every
 * gradient method on a CNN is then silently wrong. In probes only convolutions whose output
 * channels per group are not a multiple of oneDNN's channel block (16 with AVX-512, 8 with AVX2)
 * were affected, like the check's own 1 to 4 channel convolution. Capping oneDNN's instruction
 * set with the environment variable {@value #ISA_VARIABLE}{@code =}{@value #SAFE_ISA} gives
 * exact results. A process cannot set that variable for itself, so the check reports it: the CLI
 * relaunches itself with it, the test build sets it, and a service must set it in its environment.
 *
 * <p>The check computes the input gradient of a seeded {@code (2, 1, 28, 28)} x {@code (4, 1, 3,
 * 3)} convolution three times (the first pass is sometimes right) and compares it with the same
 * sum computed in Java. It costs a few milliseconds once. System property {@value #MODE_PROPERTY}:
 * {@code warn} (default: log once at error level), {@code fail} (every gradient call throws an
 * {@link AttributionException}), {@code off}.
 *
 * <p>Not API: may change without notice.
 */
public final class EngineCheck {

    /** oneDNN's environment variable capping the instruction set it generates code for. */
    public static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";

    /** The value of {@link #ISA_VARIABLE} that gives right convolution gradients where others fail. */
    public static final String SAFE_ISA = "AVX";

    /** System property choosing what a failed check does: warn, fail or off. */
    public static final String MODE_PROPERTY = "captum4j.engineCheck";

    private static final Logger LOG = LoggerFactory.getLogger(EngineCheck.class);
    private static final int N = 2;
    private static final int SIDE = 28;
    private static final int OUT = 4;
    private static final int K = 3;
    private static final int PASSES = 3;
    private static final double TOLERANCE = 1e-3;

    private static final Lazy<Boolean> HEALTHY = new Lazy<>(EngineCheck::run);
    private static volatile boolean warned;

    private EngineCheck() {}

    /**
     * Runs the check once per JVM (later calls return at once) and acts on its result as {@value
     * #MODE_PROPERTY} says.
     *
     * @throws AttributionException when the check failed and the mode is {@code fail}
     */
    public static void ensure() {
        String mode = System.getProperty(MODE_PROPERTY, "warn");
        if ("off".equals(mode)) {
            return;
        }
        if (!convolutionGradientsAreRight()) {
            if ("fail".equals(mode)) {
                throw new AttributionException(message());
            }
            if (!warned) {
                warned = true;
                LOG.error(message());
            }
        }
    }

    /**
     * Whether libtorch's convolution input gradients match a plain Java computation on this machine
     * (computed once per JVM, without logging).
     *
     * @return true when they match
     */
    public static boolean convolutionGradientsAreRight() {
        return HEALTHY.get();
    }

    /**
     * What is wrong and how to fix it, for logs and exceptions.
     *
     * @return the message
     */
    public static String message() {
        return "libtorch computes wrong convolution gradients on this CPU (oneDNN AVX2/AVX-512"
                + " kernels); gradient attributions of convolutional models would be wrong. Set the"
                + " environment variable "
                + ISA_VARIABLE
                + "="
                + SAFE_ISA
                + " for this process (the captum4j CLI does it by itself).";
    }

    private static boolean run() {
        SplittableRandom random = new SplittableRandom(20261202L);
        float[] x = gaussian(random, N * SIDE * SIDE);
        float[] w = gaussian(random, OUT * K * K);
        int o = SIDE - K + 1;
        float[] upstream = gaussian(random, N * OUT * o * o);
        double[] expected = inputGradient(w, upstream, o);
        // the manager first: it loads the engine the adapter needs
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean previous = Torch.gradMode();
            Torch.setGradMode(true);
            try {
                for (int pass = 0; pass < PASSES; pass++) {
                    if (!gradientMatches(manager, x, w, upstream, expected)) {
                        return false;
                    }
                }
                return true;
            } finally {
                Torch.setGradMode(previous);
            }
        }
    }

    private static boolean gradientMatches(
            NDManager manager, float[] x, float[] w, float[] upstream, double[] expected) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray input = scratch.create(x, new Shape(N, 1, SIDE, SIDE));
            input.setRequiresGradient(true);
            NDArray weight = scratch.create(w, new Shape(OUT, 1, K, K));
            NDArray y = Conv2d.conv2d(input, weight).singletonOrThrow();
            NDArray total = y.mul(scratch.create(upstream, y.getShape())).sum();
            Torch.backward(total, total.onesLike(), false);
            NDArray gradient = Torch.gradientOrNull(input);
            if (gradient == null) {
                return false;
            }
            float[] actual = gradient.toFloatArray();
            for (int i = 0; i < actual.length; i++) {
                if (!(Math.abs(actual[i] - expected[i]) <= TOLERANCE)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** d(sum(upstream * conv(x, w)))/dx: the transposed convolution of the upstream gradient. */
    private static double[] inputGradient(float[] w, float[] upstream, int o) {
        double[] g = new double[N * SIDE * SIDE];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < OUT; c++) {
                for (int i = 0; i < o; i++) {
                    for (int j = 0; j < o; j++) {
                        double u = upstream[((n * OUT + c) * o + i) * o + j];
                        for (int ki = 0; ki < K; ki++) {
                            for (int kj = 0; kj < K; kj++) {
                                g[(n * SIDE + i + ki) * SIDE + j + kj] +=
                                        u * w[(c * K + ki) * K + kj];
                            }
                        }
                    }
                }
            }
        }
        return g;
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller on two uniforms in (0, 1]
            double u = 1.0 - random.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }
}
