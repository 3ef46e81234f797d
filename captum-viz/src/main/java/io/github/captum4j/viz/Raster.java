package io.github.captum4j.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;

/**
 * An image or attribution as Java floats, {@code (H, W, C)} row-major. NDArrays are copied out at
 * once, so nothing here holds native memory.
 *
 * @param height rows
 * @param width columns
 * @param channels channels per pixel
 * @param values {@code values[(y * width + x) * channels + c]}
 */
record Raster(int height, int width, int channels, float[] values) {

    /**
     * Reads an image-shaped array: {@code (H, W)}, {@code (H, W, C)} / {@code (C, H, W)} as the
     * layout says, or either with a leading batch dimension of 1.
     *
     * @param a the array (not closed)
     * @param layout where the channels are
     * @param name the argument's name, for messages
     * @return the raster
     */
    static Raster of(NDArray a, ChannelLayout layout, String name) {
        Checks.notNull(a, name);
        long[] s = a.getShape().getShape();
        if (s.length == 4) {
            Checks.argument(
                    s[0] == 1,
                    "%s must hold one image: a leading batch dimension must be 1, got shape %s",
                    name,
                    a);
            s = new long[] {s[1], s[2], s[3]};
        }
        Checks.argument(
                s.length == 2 || s.length == 3,
                "%s must have shape (H, W), (H, W, C) or (C, H, W), got %s",
                name,
                a);
        float[] v = floats(a);
        if (s.length == 2) {
            return new Raster((int) s[0], (int) s[1], 1, v);
        }
        if (layout == ChannelLayout.CHANNELS_LAST) {
            return new Raster((int) s[0], (int) s[1], (int) s[2], v);
        }
        int c = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        float[] hwc = new float[v.length];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                hwc[p * c + ch] = v[ch * h * w + p];
            }
        }
        return new Raster(h, w, c, hwc);
    }

    /**
     * Captum's preparation of the original image: values in [0, 1] (maximum at most 1) are
     * multiplied by 255; then every value is truncated to an integer and clipped to [0, 255].
     *
     * @return the image with integer values 0–255
     */
    Raster toBytes() {
        float max = Float.NEGATIVE_INFINITY;
        for (float f : values) {
            Checks.argument(!Float.isNaN(f), "originalImage must not hold NaN");
            max = Math.max(max, f);
        }
        float scale = max <= 1.0f ? 255f : 1f;
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clipByte(values[i] * scale);
        }
        return new Raster(height, width, channels, out);
    }

    /**
     * A value truncated towards zero and clipped to [0, 255], as Captum's {@code _prepare_image}
     * ({@code np.clip(x.astype(int), 0, 255)}).
     *
     * @param v the value
     * @return the byte value
     */
    static int clipByte(double v) {
        long t = (long) v;
        return (int) Math.max(0, Math.min(255, t));
    }

    /**
     * The sum over channels of each pixel, in float32 as NumPy sums a float32 array.
     *
     * @return {@code H * W} values
     */
    float[] sumChannels() {
        float[] out = new float[height * width];
        for (int p = 0; p < out.length; p++) {
            float s = 0f;
            for (int c = 0; c < channels; c++) {
                s += values[p * channels + c];
            }
            out[p] = s;
        }
        return out;
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}
