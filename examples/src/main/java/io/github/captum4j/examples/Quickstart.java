package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.TorchScriptModel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code quickstart} subcommand: Captum's README quickstart in Java. Integrated Gradients
 * explains class 0 of the README's ToyModel (lin1 → ReLU → lin2, the fixtures' {@code toy} model)
 * for two inputs against a zero baseline, and prints the attributions and the convergence delta.
 */
final class Quickstart {

    /** {@code torch.manual_seed(123); torch.rand(2, 3)}: the README's input. */
    private static final float[] INPUT = {
        0.29611194f, 0.5165623f, 0.25167072f, 0.6885568f, 0.07397246f, 0.86652195f
    };

    private static final String EXPLANATION =
            """
            Each attribution is (x_i - x'_i) times the average gradient of output 0 along the
            straight path from the baseline x' to x: feature i's share of f(x) - f(x').
            The convergence delta is sum(attributions) - (f(x) - f(x')); near zero means the
            50-step integral is accurate. Captum's README prints, for the same model and input:
              [[-0.5922, -1.5497, -1.0067], [0.0000, -0.2219, -5.1991]]
            """;

    private Quickstart() {}

    /**
     * Runs the demo.
     *
     * @param fixtures the fixture folder (holding {@code models/toy.pt})
     * @param out where the report goes
     * @return the exit status, 0
     */
    static int run(Path fixtures, PrintStream out) {
        Path model = fixtures.resolve("models").resolve("toy.pt");
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptModel toy = TorchScriptModel.load(model)) {
            NDArray input = manager.create(INPUT, new Shape(2, 3));
            IntegratedGradients ig = new IntegratedGradients(toy);
            IntegratedGradients.Options options =
                    IntegratedGradients.Options.builder().returnConvergenceDelta(true).build();
            Inputs inputs = Inputs.of(input).withBaselines(Baselines.zeros());
            try (Attribution a = ig.attribute(inputs, Target.index(0), options)) {
                out.println("Integrated Gradients on Captum's README ToyModel (" + model + ")");
                out.println();
                out.println("input (2 examples x 3 features):");
                out.println(format(input));
                out.println(
                        "IG attributions for class 0 (baseline: zeros, 50 Gauss-Legendre steps):");
                out.println(format(a.attribution(0)));
                out.println("convergence delta per example:");
                out.println(format(a.convergenceDelta().orElseThrow()));
                out.println();
                out.print(EXPLANATION);
            }
        }
        return 0;
    }

    private static String format(NDArray a) {
        float[] v = a.toFloatArray();
        long[] shape = a.getShape().getShape();
        int cols = shape.length > 1 ? (int) shape[shape.length - 1] : v.length;
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < v.length / cols; r++) {
            sb.append("  [");
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "% .4e", v[r * cols + c]));
            }
            sb.append("]").append(System.lineSeparator());
        }
        return sb.toString().stripTrailing();
    }
}
