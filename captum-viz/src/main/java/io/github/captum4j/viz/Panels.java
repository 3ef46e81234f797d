package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

/**
 * The pixels of one visualisation at the attribution's resolution, one opaque colour per pixel over
 * the white axes, as matplotlib's {@code imshow} calls in Captum's {@code visualize_image_attr}
 * produce them before the image is scaled into the figure.
 */
final class Panels {

    private Panels() {}

    /**
     * Draws one method.
     *
     * @param attr the attribution, any number of channels
     * @param original the original image as bytes 0–255 ({@link Raster#toBytes()}), or null
     * @param method the method
     * @param sign the sign
     * @param outlierPerc the outlier percentage
     * @param scale a fixed scale, or null for the outlier normalisation
     * @param cmap the colormap of heat maps
     * @param alphaOverlay the heat map's opacity in blended heat maps
     * @return {@code 0xRRGGBB} per pixel, row-major
     */
    static int[] draw(
            Raster attr,
            Raster original,
            ImageVisualizationMethod method,
            VisualizeSign sign,
            double outlierPerc,
            Double scale,
            Colormap cmap,
            double alphaOverlay) {
        if (method.needsImage()) {
            Checks.argument(
                    original != null,
                    "originalImage must be given for method %s (only HEAT_MAP draws without it)",
                    method);
            Checks.argument(
                    original.height() == attr.height() && original.width() == attr.width(),
                    "originalImage size (H %s, W %s) must match attr's (H %s, W %s)",
                    original.height(),
                    original.width(),
                    attr.height(),
                    attr.width());
        }
        Checks.argument(
                sign != VisualizeSign.ALL
                        || (method != ImageVisualizationMethod.MASKED_IMAGE
                                && method != ImageVisualizationMethod.ALPHA_SCALING),
                "sign ALL cannot be drawn by method %s, which shows no sign; choose POSITIVE,"
                        + " NEGATIVE or ABSOLUTE_VALUE",
                method);
        float[] norm =
                scale == null
                        ? Normalization.normalizeAttr(attr.sumChannels(), sign, outlierPerc)
                        : Normalization.scaleAttr(attr.sumChannels(), sign, scale);
        switch (method) {
            case HEAT_MAP:
                return heatMap(norm, sign, cmap);
            case BLENDED_HEAT_MAP:
                return blend(heatMap(norm, sign, cmap), grey(original), alphaOverlay);
            case ORIGINAL_IMAGE:
                return originalImage(original);
            case MASKED_IMAGE:
                return masked(original, norm);
            default:
                return alphaScaled(original, norm);
        }
    }

    /**
     * The colour of a normalised value: \( (v - v_{min}) / (1 - v_{min}) \) in float32, as
     * matplotlib's {@code Normalize} on float32 data, then the colormap entry.
     *
     * @param v the normalised attribution
     * @param sign the sign, giving \( v_{min} \)
     * @param cmap the colormap
     * @return {@code 0xRRGGBB}
     */
    static int heatColor(float v, VisualizeSign sign, Colormap cmap) {
        float vmin = (float) sign.vmin();
        return cmap.rgb((v - vmin) / (1f - vmin));
    }

    private static int[] heatMap(float[] norm, VisualizeSign sign, Colormap cmap) {
        int[] out = new int[norm.length];
        for (int i = 0; i < norm.length; i++) {
            out[i] = heatColor(norm[i], sign, cmap);
        }
        return out;
    }

    /** The mean of the channels through matplotlib's gray colormap, scaled from min to max. */
    private static int[] grey(Raster image) {
        double[] mean = new double[image.height() * image.width()];
        for (int p = 0; p < mean.length; p++) {
            double s = 0;
            for (int c = 0; c < image.channels(); c++) {
                s += image.values()[p * image.channels() + c];
            }
            mean[p] = s / image.channels();
        }
        return autoscaled(mean, Colormap.GRAY);
    }

    /**
     * A 2-D array drawn as matplotlib draws it: through a colormap, from its minimum to maximum.
     */
    private static int[] autoscaled(double[] values, Colormap cmap) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            // matplotlib's Normalize maps everything to 0 when vmin == vmax.
            out[i] = cmap.rgb(max > min ? (values[i] - min) / (max - min) : 0.0);
        }
        return out;
    }

    private static int[] blend(int[] top, int[] bottom, double alpha) {
        int[] out = new int[top.length];
        for (int i = 0; i < top.length; i++) {
            int rgb = 0;
            for (int shift = 16; shift >= 0; shift -= 8) {
                double t = (top[i] >> shift) & 0xFF;
                double b = (bottom[i] >> shift) & 0xFF;
                rgb |= (int) Math.round(alpha * t + (1 - alpha) * b) << shift;
            }
            out[i] = rgb;
        }
        return out;
    }

    private static int[] originalImage(Raster image) {
        int c = image.channels();
        if (c == 1) {
            double[] v = new double[image.height() * image.width()];
            for (int p = 0; p < v.length; p++) {
                v[p] = image.values()[p];
            }
            return autoscaled(v, Colormap.VIRIDIS);
        }
        checkColour(image);
        int[] out = new int[image.height() * image.width()];
        for (int p = 0; p < out.length; p++) {
            out[p] = rgb(image, p);
        }
        if (c == 4) {
            int[] alpha = new int[out.length];
            for (int p = 0; p < out.length; p++) {
                alpha[p] = (int) image.values()[p * 4 + 3];
            }
            return over(out, alpha);
        }
        return out;
    }

    private static int[] masked(Raster image, float[] norm) {
        int[] out = new int[norm.length];
        int c = image.channels();
        checkMaskable(image);
        for (int p = 0; p < out.length; p++) {
            int rgb = 0;
            for (int k = 0; k < 3; k++) {
                double v = image.values()[p * c + Math.min(k, c - 1)];
                rgb = (rgb << 8) | Raster.clipByte(v * norm[p]);
            }
            out[p] = rgb;
        }
        return out;
    }

    private static int[] alphaScaled(Raster image, float[] norm) {
        checkMaskable(image);
        int[] colour = new int[norm.length];
        int[] alpha = new int[norm.length];
        int c = image.channels();
        for (int p = 0; p < norm.length; p++) {
            colour[p] = c == 1 ? grey((int) image.values()[p]) : rgb(image, p);
            alpha[p] = Raster.clipByte(norm[p] * 255f);
        }
        return over(colour, alpha);
    }

    /** Colours with byte alphas drawn over white. */
    private static int[] over(int[] colour, int[] alpha) {
        int[] out = new int[colour.length];
        for (int i = 0; i < colour.length; i++) {
            double a = alpha[i] / 255.0;
            int rgb = 0;
            for (int shift = 16; shift >= 0; shift -= 8) {
                double v = (colour[i] >> shift) & 0xFF;
                rgb |= (int) Math.round(a * v + (1 - a) * 255) << shift;
            }
            out[i] = rgb;
        }
        return out;
    }

    private static int rgb(Raster image, int p) {
        int c = image.channels();
        float[] v = image.values();
        return ((int) v[p * c] << 16) | ((int) v[p * c + 1] << 8) | (int) v[p * c + 2];
    }

    private static int grey(int v) {
        return (v << 16) | (v << 8) | v;
    }

    private static void checkColour(Raster image) {
        Checks.argument(
                image.channels() == 3 || image.channels() == 4,
                "originalImage must have 1 (grey), 3 (RGB) or 4 (RGBA) channels, got %s",
                image.channels());
    }

    private static void checkMaskable(Raster image) {
        Checks.argument(
                image.channels() == 1 || image.channels() == 3,
                "originalImage must have 1 (grey) or 3 (RGB) channels for masked_image and"
                        + " alpha_scaling, got %s",
                image.channels());
    }
}
