package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small deterministic models and batches for the Insights tests. */
final class DemoBatches {

    static final List<String> IMAGE_CLASSES = List.of("red", "green", "blue");
    static final List<String> TEXT_CLASSES = List.of("negative", "positive");
    static final List<String> VOCABULARY = List.of("<pad>", "good", "bad", "film", "plot", "great");

    private DemoBatches() {}

    /**
     * A linear classifier of 3 x 8 x 8 images: class c scores the mean of channel c (times 4), plus
     * a fixed pattern, so that the predicted class is mostly the dominant colour.
     */
    static ForwardFunction imageModel() {
        float[] w = new float[3 * 64 * 3];
        SplittableRandom r = new SplittableRandom(7);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 64; p++) {
                for (int k = 0; k < 3; k++) {
                    w[(c * 64 + p) * 3 + k] =
                            (c == k ? 4f / 64 : 0f) + (float) (r.nextGaussian() * 0.02);
                }
            }
        }
        return (inputs, args) -> {
            NDArray x = inputs.get(0);
            return x.reshape(x.getShape().get(0), -1)
                    .matMul(x.getManager().create(w, new Shape(192, 3)));
        };
    }

    /** Insights over {@link #images} and {@link #imageModel}, scores by softmax. */
    static AttributionVisualizer imageVisualizer(NDManager manager) {
        return new AttributionVisualizer(
                List.of(imageModel()),
                out -> out.softmax(-1),
                IMAGE_CLASSES,
                List.of(ImageFeature.of("Photo")),
                List.of(images(manager)));
    }

    /** Eight images, each mostly one colour, with labels of which two are "wrong". */
    static Batch images(NDManager manager) {
        int n = 8;
        float[] data = new float[n * 3 * 64];
        long[] labels = new long[n];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            int colour = i % 3;
            labels[i] = i == 3 || i == 6 ? (colour + 1) % 3 : colour;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 64; p++) {
                    boolean patch = (p / 8) >= 2 && (p / 8) < 6 && (p % 8) >= 2 && (p % 8) < 6;
                    float v = c == colour && patch ? 0.9f : 0.1f;
                    data[(i * 3 + c) * 64 + p] = v + (float) (r.nextDouble() * 0.1);
                }
            }
        }
        return Batch.of(
                manager.create(data, new Shape(n, 3, 8, 8)), manager.create(labels, new Shape(n)));
    }

    /**
     * A two-input model: token embeddings (N, T, D) averaged and a general feature vector (N, 3),
     * both through fixed weights to two classes.
     */
    static ForwardFunction textAndGeneralModel() {
        float[] wText = {1.5f, -1.5f, -2f, 2f, 0.5f, -0.5f, -1f, 1f};
        float[] wGeneral = {0.4f, -0.4f, -0.3f, 0.3f, 0.2f, 0.1f};
        return (inputs, args) -> {
            NDArray emb = inputs.get(0);
            NDManager m = emb.getManager();
            NDArray text = emb.mean(new int[] {1}).matMul(m.create(wText, new Shape(4, 2)));
            NDArray general = inputs.get(1).matMul(m.create(wGeneral, new Shape(3, 2)));
            return text.add(general);
        };
    }

    /** Embedding of token ids: a fixed 4-d vector per vocabulary entry. */
    static NDArray embed(NDArray ids) {
        NDManager m = ids.getManager();
        float[] table = new float[VOCABULARY.size() * 4];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 4; i < table.length; i++) {
            table[i] = (float) r.nextGaussian();
        }
        NDArray oneHot = ids.toType(DataType.INT32, false).oneHot(VOCABULARY.size());
        return oneHot.matMul(m.create(table, new Shape(VOCABULARY.size(), 4)));
    }

    static List<String> tokens(NDArray ids) {
        List<String> out = new ArrayList<>();
        for (long id : ids.toType(DataType.INT64, false).toLongArray()) {
            out.add(VOCABULARY.get((int) id));
        }
        return out;
    }

    /** Five reviews of six tokens (ids) and three numbers each, with labels. */
    static Batch reviews(NDManager manager) {
        long[] ids = {
            1, 3, 5, 0, 0, 0, //
            2, 4, 3, 0, 0, 0, //
            5, 5, 1, 3, 0, 0, //
            2, 2, 4, 3, 1, 0, //
            3, 4, 0, 0, 0, 0
        };
        float[] general = {1, 0, 2, 0, 1, 1, 2, 2, 0, 0, 3, 1, 1, 1, 1};
        long[] labels = {1, 0, 1, 0, 1};
        return new Batch(
                new NDList(
                        manager.create(ids, new Shape(5, 6)),
                        manager.create(general, new Shape(5, 3))),
                manager.create(labels, new Shape(5)),
                List.of());
    }

    /** Insights over {@link #reviews} and {@link #textAndGeneralModel}, raw scores. */
    static AttributionVisualizer textVisualizer(NDManager manager) {
        return new AttributionVisualizer(
                List.of(textAndGeneralModel()),
                null,
                TEXT_CLASSES,
                textAndGeneralFeatures(),
                List.of(reviews(manager)));
    }

    /** Insights over {@link #images} with a given model and registry, raw scores. */
    static AttributionVisualizer imageVisualizer(
            NDManager manager, ForwardFunction model, MethodRegistry methods) {
        return new AttributionVisualizer(
                List.of(model),
                null,
                IMAGE_CLASSES,
                List.of(ImageFeature.of("Photo")),
                List.of(images(manager)),
                true,
                methods);
    }

    static List<Feature> textAndGeneralFeatures() {
        return List.of(
                new TextFeature("Review", null, DemoBatches::embed, DemoBatches::tokens),
                new GeneralFeature("Meta", List.of("stars", "length", "votes")));
    }
}
