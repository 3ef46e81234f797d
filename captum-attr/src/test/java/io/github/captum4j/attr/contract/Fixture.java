package io.github.captum4j.attr.contract;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.TestModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The model and data a spec runs its contracts on: the suite's two-input lambda model (every
 * primary method), or the imported {@code tabular_mlp} Block model (layer, neuron and rule-based
 * methods, which must see inside the model).
 *
 * @param name for messages
 * @param model the model
 * @param batch examples per batch
 * @param inputShapes the shape of each input without the batch
 * @param target a valid per-example target
 * @param outputs size of the output's dimension 1
 * @param lambda whether the model is a plain lambda, so that failing, scalar and black-box variants
 *     of it still build every method registered on it
 */
public record Fixture(
        String name,
        ForwardFunction model,
        int batch,
        List<long[]> inputShapes,
        Target target,
        int outputs,
        boolean lambda) {

    /** The suite's default: two inputs (N, 5) and (N, 2, 3) into a smooth 3-output network. */
    public static final Fixture TWO_INPUT_LAMBDA =
            new Fixture(
                    "two-input lambda",
                    AlgorithmRegistry.model(),
                    AlgorithmRegistry.BATCH,
                    List.of(new long[] {5}, new long[] {2, 3}),
                    AlgorithmRegistry.target(),
                    3,
                    true);

    private static final NDManager MODELS = NDManager.newBaseManager();

    /**
     * One input (N, 2, 3) into a model written on JVM arrays ({@link ArrayForward}, 6 → tanh → 3):
     * FeatureAblation runs its JVM-array path on it, every other method the tensor path.
     */
    public static final Fixture ARRAY_MODEL =
            new Fixture(
                    "one-input ArrayForward",
                    arrayModel(),
                    AlgorithmRegistry.BATCH,
                    List.of(new long[] {2, 3}),
                    Target.perExample(0, 2, 1),
                    3,
                    true);

    /** {@code tanh(W x + b)}, W (3, 6) and b seeded. */
    private static ArrayForward arrayModel() {
        float[] w = TestModels.gaussian(18, 41);
        float[] b = TestModels.gaussian(3, 43);
        return (rows, shape) -> {
            if (shape.length != 3 || shape[1] != 2 || shape[2] != 3) {
                throw new IllegalArgumentException(
                        "the array model takes rows of shape (2, 3), got " + java.util.Arrays.toString(shape));
            }
            int n = (int) shape[0];
            float[] out = new float[n * 3];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < 3; j++) {
                    float z = b[j];
                    for (int i = 0; i < 6; i++) {
                        z += w[j * 6 + i] * rows[r * 6 + i];
                    }
                    out[r * 3 + j] = (float) Math.tanh(z);
                }
            }
            return new ArrayForward.Output(out, n, 3);
        };
    }

    /**
     * The fixtures' {@code tabular_mlp} (10 → fc1 16 → fc2 8 → fc3 3) as an imported Block model.
     */
    public static final Fixture TABULAR_BLOCK =
            new Fixture(
                    "tabular_mlp Block model",
                    load("tabular_mlp.json").forwardFunction(),
                    3,
                    List.of(new long[] {10}),
                    Target.perExample(0, 2, 1),
                    3,
                    false);

    /**
     * The fixtures' {@code small_cnn} (1×28×28 → conv1, conv2 → fc1, fc2 → 10) as a Block model.
     */
    public static final Fixture CNN_BLOCK =
            new Fixture(
                    "small_cnn Block model",
                    load("small_cnn.json").forwardFunction(),
                    3,
                    List.of(new long[] {1, 28, 28}),
                    Target.perExample(0, 2, 1),
                    10,
                    false);

    /** The fixtures' {@code conv1d_dna} (4×50 → conv1, pool1, conv2, avgpool → fc → 2). */
    public static final Fixture CONV1D_BLOCK =
            new Fixture(
                    "conv1d_dna Block model",
                    load("conv1d_dna.json").forwardFunction(),
                    3,
                    List.of(new long[] {4, 50}),
                    Target.perExample(0, 1, 1),
                    2,
                    false);

    /**
     * The 4-block BERT-style encoder from its summed embeddings on ({@code
     * bert_encoder_embeddings.json}, 12 tokens × 16): transformer blocks through the graph executor.
     */
    public static final Fixture TRANSFORMER_BLOCK =
            new Fixture(
                    "bert_encoder_embeddings Block model",
                    load("bert_encoder_embeddings.json").forwardFunction(),
                    3,
                    List.of(new long[] {12, 16}),
                    Target.perExample(0, 1, 1),
                    2,
                    false);

    /**
     * The {@code nn.MultiheadAttention} encoder from its token embeddings on ({@code
     * mha_encoder_embeddings.json}, 8 tokens × 16): a batch-first attention with a float causal
     * mask, then a sequence-first one ((L, N, E)) with separate q/k/v weights and a bool mask.
     */
    public static final Fixture MHA_BLOCK =
            new Fixture(
                    "mha_encoder_embeddings Block model",
                    load("mha_encoder_embeddings.json").forwardFunction(),
                    3,
                    List.of(new long[] {8, 16}),
                    Target.perExample(0, 2, 1),
                    3,
                    false);

    private static ImportedModel load(String json) {
        try {
            return ImportedModel.load(TestModels.model(json), MODELS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Seeded inputs.
     *
     * @param manager where they go
     * @param seed the seed
     * @return one tensor per input shape, batch first
     */
    public Inputs inputs(NDManager manager, long seed) {
        List<NDArray> tensors = new ArrayList<>();
        for (int i = 0; i < inputShapes.size(); i++) {
            Shape s = new Shape(batch).addAll(new Shape(inputShapes.get(i)));
            tensors.add(manager.create(TestModels.gaussian((int) s.size(), seed + i), s));
        }
        return Inputs.of(tensors.toArray(new NDArray[0]));
    }

    /**
     * The shapes attributions have for these inputs by default: the inputs' own.
     *
     * @return a function from inputs to expected shapes
     */
    public static Function<Inputs, List<Shape>> inputShapesOf() {
        return in -> {
            List<Shape> out = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                out.add(in.get(i).getShape());
            }
            return out;
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
