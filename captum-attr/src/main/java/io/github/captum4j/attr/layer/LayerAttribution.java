package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;

/**
 * Helpers on layer attributions (Captum's {@code LayerAttribution} static methods).
 *
 * <pre>{@code
 * NDArray cam = gradCam.attribute(Inputs.of(images), Target.index(3)).attribution(0); // (N, 1, 4, 4)
 * NDArray upsampled = LayerAttribution.interpolate(cam, new long[] {64, 64}, Interpolation.BILINEAR);
 * }</pre>
 */
public final class LayerAttribution {

    private LayerAttribution() {}

    /**
     * Resamples a layer attribution {@code (N, C, ...)} to a new spatial size with nearest-cell
     * interpolation (Captum's default).
     *
     * @param layerAttribution the attribution, batch and channel dimensions first
     * @param size the spatial size wanted, e.g. the input's {@code H, W}
     * @return {@code (N, C, size...)}, in the attribution's manager
     */
    public static NDArray interpolate(NDArray layerAttribution, long... size) {
        return interpolate(layerAttribution, size, Interpolation.NEAREST);
    }

    /**
     * Resamples a layer attribution {@code (N, C, ...)} to a new spatial size, as Captum's {@code
     * LayerAttribution.interpolate(layer_attribution, interpolate_dims, interpolate_mode)} does
     * with PyTorch's {@code F.interpolate}.
     *
     * @param layerAttribution the attribution, batch and channel dimensions first, then 1 to 3
     *     spatial dimensions
     * @param size the spatial size wanted, one value per spatial dimension
     * @param mode the resampling mode
     * @return {@code (N, C, size...)}, in the attribution's manager
     * @throws IllegalArgumentException if the size does not fit the attribution or the mode
     */
    public static NDArray interpolate(NDArray layerAttribution, long[] size, Interpolation mode) {
        Checks.notNull(layerAttribution, "layerAttribution");
        Checks.notNull(size, "size");
        Checks.notNull(mode, "mode");
        int spatial = layerAttribution.getShape().dimension() - 2;
        Checks.argument(
                spatial >= 1 && size.length == spatial,
                "size must give one value per spatial dimension of layerAttribution %s (batch and"
                        + " channel first), got %s",
                layerAttribution,
                Arrays.toString(size));
        Checks.argument(
                mode.accepts(spatial),
                "mode %s does not take %s spatial dimensions (layerAttribution %s)",
                mode,
                spatial,
                layerAttribution);
        for (long s : size) {
            Checks.argument(s >= 1, "size values must be >= 1, got %s", Arrays.toString(size));
        }
        NDArray out =
                layerAttribution.getDataType().isFloating()
                        ? layerAttribution
                        : layerAttribution.toType(DataType.FLOAT32, false);
        int rank = out.getShape().dimension();
        for (int d = 0; d < spatial; d++) {
            int axis = 2 + d;
            int in = Math.toIntExact(out.getShape().get(axis));
            int wanted = Math.toIntExact(size[d]);
            if (in == wanted && mode != Interpolation.AREA) {
                continue; // every mode is the identity then
            }
            NDArray map =
                    out.getManager()
                            .create(mode.matrix(in, wanted), new Shape(wanted, in))
                            .toType(out.getDataType(), false);
            // resample the last axis: (..., in) x (in, wanted)
            NDArray moved = axis == rank - 1 ? out : out.swapAxes(axis, rank - 1);
            NDArray resampled = moved.matMul(map.transpose());
            out = axis == rank - 1 ? resampled : resampled.swapAxes(axis, rank - 1);
        }
        return out == layerAttribution ? layerAttribution.duplicate() : out;
    }
}
