package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.nd4j.Nd4jArrays;
import io.github.captum4j.core.nd4j.Nd4jModel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Explains a model computed with ND4J — a small tabular MLP, {@code softmax(relu(x W1 + b1) W2 +
 * b2)}, 10 features and 3 classes — with Feature Ablation and Kernel SHAP, through {@link
 * Nd4jModel} (a black-box forward function): the attributions come back as INDArrays, and a console
 * progress bar shows each method's forward passes.
 *
 * <p>Needs ND4J on the class path (an optional dependency of captum-core: {@code nd4j-native} with
 * its platform classifier, {@code openblas}, {@code javacpp}).
 *
 * <pre>{@code
 * mvn -B -q -pl examples -am test -Dtest=Nd4jExampleTest -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
public final class Nd4jExample {

    private Nd4jExample() {}

    /**
     * Runs the example.
     *
     * @param args none
     */
    public static void main(String[] args) {
        run(System.out, System.err);
    }

    /**
     * Runs the example.
     *
     * @param out where the attributions are printed
     * @param progress where the progress bars are drawn
     * @return per example, {@code sum(KernelShap) - (f(x) - f(0))} for the explained class (close
     *     to 0: Kernel SHAP is nearly efficient)
     */
    static double[] run(PrintStream out, PrintStream progress) {
        Nd4j.getRandom().setSeed(42);
        INDArray w1 = Nd4j.randn(DataType.FLOAT, 10, 16).muli(0.5);
        INDArray b1 = Nd4j.randn(DataType.FLOAT, 1, 16).muli(0.1);
        INDArray w2 = Nd4j.randn(DataType.FLOAT, 16, 3).muli(0.5);
        INDArray b2 = Nd4j.randn(DataType.FLOAT, 1, 3).muli(0.1);
        ForwardFunction model =
                Nd4jModel.forwardFunction(
                        x ->
                                Transforms.softmax(
                                        Transforms.relu(x.mmul(w1).addRowVector(b1))
                                                .mmul(w2)
                                                .addRowVector(b2)));
        INDArray rows = Nd4j.randn(DataType.FLOAT, 4, 10);
        ProgressListener bar = ProgressListener.console(progress);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = Nd4jArrays.toNDArray(rows, manager);
            Inputs inputs = Inputs.of(x);
            Target target = Target.index(2);
            try (Attribution a =
                    new FeatureAblation(model)
                            .attribute(
                                    inputs,
                                    target,
                                    FeatureAblation.Options.builder()
                                            .perturbationsPerEval(10)
                                            .progress(bar)
                                            .build())) {
                print(out, "Feature Ablation", Nd4jArrays.toINDArray(a.attribution(0)));
            }
            try (Attribution a =
                    new KernelShap(model)
                            .attribute(
                                    inputs,
                                    target,
                                    Lime.Options.builder()
                                            .nSamples(200)
                                            .perturbationsPerEval(200)
                                            .seed(0)
                                            .progress(bar)
                                            .build())) {
                INDArray shap = Nd4jArrays.toINDArray(a.attribution(0));
                print(out, "Kernel SHAP", shap);
                NDArray fx = model.forward(new NDList(x), List.of()).get(":, 2");
                NDArray f0 = model.forward(new NDList(x.zerosLike()), List.of()).get(":, 2");
                INDArray gap = Nd4jArrays.toINDArray(fx.sub(f0));
                INDArray delta = shap.sum(1).sub(gap);
                out.printf(Locale.ROOT, "Kernel SHAP efficiency gap per example: %s%n", delta);
                return delta.toDoubleVector();
            }
        }
    }

    private static void print(PrintStream out, String method, INDArray attributions) {
        out.printf(
                Locale.ROOT,
                "%s, class 2, one row per example (ND4J array %s):%n",
                method,
                Arrays.toString(attributions.shape()));
        for (int n = 0; n < attributions.rows(); n++) {
            StringBuilder row = new StringBuilder("  ");
            for (int f = 0; f < attributions.columns(); f++) {
                row.append(String.format(Locale.ROOT, "%8.4f", attributions.getDouble(n, f)));
            }
            out.println(row);
        }
    }
}
