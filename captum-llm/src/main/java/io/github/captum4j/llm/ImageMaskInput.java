package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An image whose segments are the interpretable features (Captum 0.9's {@code ImageMaskInput}): a
 * segmentation mask assigns every pixel a segment id, and an absent segment's pixels take the
 * baseline colour. The second {@link InterpretableInput} next to the text inputs: with {@link
 * InterpretableForward} any perturbation method explains an image classifier by segments.
 *
 * <pre>{@code
 * ImageMaskInput image = ImageMaskInput.of(picture, segments, new float[] {0, 0, 0}); // (C,H,W), (H,W)
 * ForwardFunction f = InterpretableForward.of(image, image.rowsModel(classifier));
 * try (Attribution a = new ShapleyValues(f).attribute(
 *         Inputs.of(image.toTensor(manager)), Target.index(3))) { ... } // one value per segment
 * }</pre>
 */
public final class ImageMaskInput implements InterpretableInput<float[]> {

    private final float[] image;
    private final long[] shape;
    private final int[] featureOf;
    private final float[] baseline;
    private final List<String> names;

    private ImageMaskInput(float[] image, long[] shape, int[] featureOf, float[] baseline, List<String> names) {
        this.image = image;
        this.shape = shape;
        this.featureOf = featureOf;
        this.baseline = baseline;
        this.names = names;
    }

    /**
     * An image input.
     *
     * @param image the image {@code (C, H, W)}, float
     * @param mask segment ids {@code (H, W)}, integer; the features are the distinct ids, ascending
     * @param baseline the colour of an absent segment: one value per channel, or one for all
     * @return the input (copies of the arrays, nothing to close)
     * @throws IllegalArgumentException naming the argument whose shape is wrong
     */
    public static ImageMaskInput of(NDArray image, NDArray mask, float[] baseline) {
        LLMAttribution.requireNonNull(image, "image");
        LLMAttribution.requireNonNull(mask, "mask");
        LLMAttribution.requireNonNull(baseline, "baseline");
        Shape s = image.getShape();
        if (s.dimension() != 3) {
            throw new IllegalArgumentException("image must have shape (C, H, W), got " + s);
        }
        Shape ms = mask.getShape();
        if (ms.dimension() != 2 || ms.get(0) != s.get(1) || ms.get(1) != s.get(2)) {
            throw new IllegalArgumentException(
                    "mask must have shape (H, W) = (" + s.get(1) + ", " + s.get(2) + "), got " + ms);
        }
        if (mask.getDataType().isFloating()) {
            throw new IllegalArgumentException("mask must hold integer segment ids, got " + mask.getDataType());
        }
        int c = (int) s.get(0);
        if (baseline.length != 1 && baseline.length != c) {
            throw new IllegalArgumentException(
                    "baseline must hold 1 or " + c + " values (one per channel), got " + baseline.length);
        }
        long[] ids = mask.toType(DataType.INT64, false).toLongArray();
        TreeMap<Long, Integer> index = new TreeMap<>();
        for (long id : ids) {
            index.put(id, 0);
        }
        List<String> names = new ArrayList<>();
        int k = 0;
        for (Long id : index.keySet()) {
            index.put(id, k++);
            names.add("segment " + id);
        }
        int[] featureOf = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            featureOf[i] = index.get(ids[i]);
        }
        float[] perChannel = new float[c];
        for (int i = 0; i < c; i++) {
            perChannel[i] = baseline[baseline.length == 1 ? 0 : i];
        }
        return new ImageMaskInput(
                image.toType(DataType.FLOAT32, false).toFloatArray(), s.getShape(), featureOf,
                perChannel, List.copyOf(names));
    }

    @Override
    public int featureCount() {
        return names.size();
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    /**
     * The image with absent segments painted with the baseline colour.
     *
     * @param presence one entry per segment
     * @return the image {@code (C, H, W)}, flat
     */
    @Override
    public float[] toModelInput(float[] presence) {
        if (presence.length != names.size()) {
            throw new IllegalArgumentException(
                    "presence must hold one entry per segment (" + names.size() + "), got " + presence.length);
        }
        float[] out = image.clone();
        int plane = featureOf.length;
        for (int p = 0; p < plane; p++) {
            if (presence[featureOf[p]] == 0f) {
                for (int ch = 0; ch < baseline.length; ch++) {
                    out[ch * plane + p] = baseline[ch];
                }
            }
        }
        return out;
    }

    /**
     * The rows model of an image classifier: the formatted images stacked to {@code (R, C, H, W)}.
     *
     * @param classifier the model, {@code (N, C, H, W) -> (N, ...)}
     * @return the rows model for {@link InterpretableForward#of}
     */
    public InterpretableForward.RowsModel<float[]> rowsModel(ForwardFunction classifier) {
        LLMAttribution.requireNonNull(classifier, "classifier");
        return (rows, manager) -> {
            int size = image.length;
            float[] batch = new float[rows.size() * size];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, batch, r * size, size);
            }
            NDArray x = manager.create(batch, new Shape(rows.size(), shape[0], shape[1], shape[2]));
            return classifier.forward(new NDList(x), List.of());
        };
    }

    /**
     * Paints per-segment attributions back onto the pixels.
     *
     * @param attributions one value per segment
     * @return {@code (H, W)} flat, each pixel its segment's value
     */
    public float[] toPixels(float[] attributions) {
        float[] out = new float[featureOf.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = attributions[featureOf[p]];
        }
        return out;
    }
}
