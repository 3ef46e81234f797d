package io.github.captum4j.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;

import org.immutables.value.Value;

import java.util.List;

/**
 * Time-series attributions drawn as Captum's {@code visualize_timeseries_attr}: the attributions of
 * the chosen {@link VisualizeSign} are normalised over the whole {@code (C, T)} array by Captum's
 * outlier rule ({@link Normalization}; summed over channels first for {@link
 * TimeseriesVisualizationMethod#OVERLAY_COMBINED}) or by a fixed {@code scale}, mapped to colours
 * by \( c = \mathrm{cmap}((v - v_{min}) / (1 - v_{min})) \) with \( v_{min} = -1 \) for {@link
 * VisualizeSign#ALL} and 0 otherwise, and drawn as bands behind the lines or as the lines' colours.
 *
 * <p>The drawing maths, which the tests check pixel by pixel: the figure is {@code figSize x dpi}
 * pixels, white; the axes span matplotlib's default subplot box, columns {@code [round(0.125 W),
 * round(0.9 W))} and rows {@code [round(0.12 H), round(0.89 H))} (less {@code 0.4 dpi} of padding
 * and a bar of 5% of the box's height at the bottom when {@code showColorbar}), split into equal
 * panels stacked without gaps (panel {@code k} of {@code n} starts at row {@code top + round(k *
 * height / n)}). Within a panel, \( p_x(x) = \mathit{left} + (x - x_0) / (x_{T-1} - x_0) \cdot
 * \mathit{width} \) and \( p_y(y) = \mathit{top} + (y_{max} - y) / (y_{max} - y_{min}) \cdot
 * \mathit{height} \), where the y-range is the data's range widened by 5% each side (matplotlib's
 * margins; 1.2 times the minimum and maximum for {@link
 * TimeseriesVisualizationMethod#COLORED_GRAPH}, as Captum sets it). Time step \( t \)'s band
 * covers columns {@code [round(p_x(x_t - h)), round(p_x(x_t + h)))}, \( h = (x_1 - x_0) / 2
 * \), painted \( \mathrm{round}(\alpha c + (1 -
 * \alpha) 255) \) per component. Lines are {@code 1.5 pt} wide, not antialiased, drawn over the
 * bands: the first channel's colour is matplotlib's {@code #1f77b4} (panels of their own), or the
 * {@code Dark2} cycle in the combined panel. Each panel is framed in black; the last one carries
 * the x ticks, every panel its y ticks and its channel label.
 *
 * <p>Shapes: {@code attr} and {@code data} are {@code (T, C)} ({@code channelsLast}, Captum's
 * default) or {@code (C, T)}, with {@code T >= 2}; {@code xValues} holds {@code T} increasing
 * values (default {@code 0 .. T-1}).
 *
 * <pre>{@code
 * IntegratedGradients ig = new IntegratedGradients(model);
 * try (Attribution a = ig.attribute(Inputs.of(series), Target.index(1))) {
 *     TimeseriesVisualization.Options o = TimeseriesVisualization.Options.builder()
 *             .method(TimeseriesVisualizationMethod.OVERLAY_INDIVIDUAL).sign(VisualizeSign.ALL)
 *             .channelLabels(List.of("x", "y", "z")).showColorbar(true).build();
 *     TimeseriesVisualization.visualizeTimeseriesAttr(a.attribution(0).get(0), series.get(0), o)
 *             .writePng(Path.of("series.png"));
 * }
 * }</pre>
 */
@Value.Enclosing
public final class TimeseriesVisualization {

    private TimeseriesVisualization() {}

    /**
     * How a time series is drawn, with Captum's names and defaults.
     *
     * @param method how to draw (default {@link TimeseriesVisualizationMethod#OVERLAY_INDIVIDUAL})
     * @param sign which attributions (default {@link VisualizeSign#ABSOLUTE_VALUE})
     * @param channelLabels one label per channel (y labels, or the legend of the combined panel),
     *     or {@code null} (default)
     * @param channelsLast whether arrays are {@code (T, C)} (default true) or {@code (C, T)}
     * @param outlierPerc percentage of the total attribution that saturates, in [0, 100]
     *     (default 2)
     * @param cmap the colormap, or {@code null} for the sign's default (default null)
     * @param alphaOverlay opacity of the attribution bands, in [0, 1] (default 0.7)
     * @param showColorbar whether to draw a colour bar below the panels (default false)
     * @param title the title above the first panel, or {@code null} (default)
     * @param figSize the figure size in inches (default 6 x 6)
     * @param dpi pixels per inch, in [10, 600] (default 100)
     * @param scale {@code null} (default) for Captum's outlier normalisation, or a fixed
     *     attribution magnitude drawn with the colormap's last colour, so that figures drawn with
     *     the same scale compare ({@link Normalization#scaleAttr})
     */
    @Value.Builder
    public record Options(
            TimeseriesVisualizationMethod method,
            VisualizeSign sign,
            List<String> channelLabels,
            boolean channelsLast,
            double outlierPerc,
            Colormap cmap,
            double alphaOverlay,
            boolean showColorbar,
            String title,
            ImageVisualization.FigSize figSize,
            int dpi,
            Double scale)
            implements FigureOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(
                        TimeseriesVisualizationMethod.OVERLAY_INDIVIDUAL,
                        VisualizeSign.ABSOLUTE_VALUE,
                        null,
                        true,
                        2,
                        null,
                        0.7,
                        false,
                        null,
                        ImageVisualization.FigSize.SINGLE,
                        100,
                        null);

        /**
         * Validates every component.
         *
         * @param method how to draw (default {@link
         *     TimeseriesVisualizationMethod#OVERLAY_INDIVIDUAL})
         * @param sign which attributions (default {@link VisualizeSign#ABSOLUTE_VALUE})
         * @param channelLabels one label per channel (y labels, or the legend of the combined
         *     panel), or {@code null} (default)
         * @param channelsLast whether arrays are {@code (T, C)} (default true) or {@code (C, T)}
         * @param outlierPerc percentage of the total attribution that saturates, in [0, 100]
         *     (default 2)
         * @param cmap the colormap, or {@code null} for the sign's default (default null)
         * @param alphaOverlay opacity of the attribution bands, in [0, 1] (default 0.7)
         * @param showColorbar whether to draw a colour bar below the panels (default false)
         * @param title the title above the first panel, or {@code null} (default)
         * @param figSize the figure size in inches (default 6 x 6)
         * @param dpi pixels per inch, in [10, 600] (default 100)
         * @param scale {@code null} (default) for Captum's outlier normalisation, or a fixed
         *     attribution magnitude drawn with the colormap's last colour, so that figures drawn
         *     with the same scale compare ({@link Normalization#scaleAttr})
         */
        public Options {
            Checks.notNull(method, "method");
            Checks.notNull(sign, "sign");
            channelLabels = channelLabels == null ? null : List.copyOf(channelLabels);
            FigureOptions.check(outlierPerc, alphaOverlay, figSize, dpi, scale);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends TimeseriesVisualizationBuilders.OptionsBuilder
                implements FigureOptionsBuilder<Builder> {
            Builder() {}

        }
    }

    /**
     * Draws a time series and its attributions at {@code x = 0 .. T-1}.
     *
     * @param attr the attributions, shaped as {@code data}
     * @param data the series, {@code (T, C)} or {@code (C, T)} as {@link Options#channelsLast()}
     *     says
     * @param options how to draw
     * @return the figure; {@link Figure#panels()} are the axes, top to bottom
     */
    public static Figure visualizeTimeseriesAttr(NDArray attr, NDArray data, Options options) {
        return visualizeTimeseriesAttr(attr, data, null, options);
    }

    /**
     * Draws a time series and its attributions (Captum's {@code visualize_timeseries_attr}).
     *
     * @param attr the attributions, shaped as {@code data}
     * @param data the series, {@code (T, C)} or {@code (C, T)} as {@link Options#channelsLast()}
     *     says
     * @param xValues the time of each step, increasing, or {@code null} for {@code 0 .. T-1}
     * @param options how to draw
     * @return the figure; {@link Figure#panels()} are the axes, top to bottom
     */
    public static Figure visualizeTimeseriesAttr(
            NDArray attr, NDArray data, double[] xValues, Options options) {
        Checks.notNull(options, "options");
        float[][] a = channelsFirst(attr, "attr", options.channelsLast());
        float[][] d = channelsFirst(data, "data", options.channelsLast());
        Checks.argument(
                a.length == d.length && a[0].length == d[0].length,
                "attr shape %s must match data shape %s",
                attr.getShape(),
                data.getShape());
        int channels = d.length;
        int steps = d[0].length;
        Checks.argument(steps >= 2, "data must hold at least 2 time steps, got %s", steps);
        Checks.argument(
                options.channelLabels() == null || options.channelLabels().size() == channels,
                "channelLabels must hold one label per channel (%s), got %s",
                channels,
                options.channelLabels() == null ? 0 : options.channelLabels().size());
        double[] x = xValues == null ? range(steps) : checkX(xValues, steps);
        boolean combined = options.method() == TimeseriesVisualizationMethod.OVERLAY_COMBINED;
        float[] flat = combined ? sumChannels(a) : flatten(a);
        float[] norm =
                options.scale() == null
                        ? Normalization.normalizeAttr(flat, options.sign(), options.outlierPerc())
                        : Normalization.scaleAttr(flat, options.sign(), options.scale());
        int[] colours = new int[norm.length];
        for (int i = 0; i < norm.length; i++) {
            colours[i] = Panels.heatColor(norm[i], options.sign(), options.colormap());
        }
        return new TimeseriesPlot(options, x, d, colours, combined ? 1 : channels).draw();
    }

    private static float[][] channelsFirst(NDArray a, String name, boolean channelsLast) {
        Checks.notNull(a, name);
        long[] s = a.getShape().getShape();
        Checks.argument(
                s.length == 2,
                "%s must have shape %s, got %s",
                name,
                channelsLast ? "(T, C)" : "(C, T)",
                a.getShape());
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        int rows = (int) s[0];
        int cols = (int) s[1];
        int channels = channelsLast ? cols : rows;
        int steps = channelsLast ? rows : cols;
        float[][] out = new float[channels][steps];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < steps; t++) {
                out[c][t] = channelsLast ? v[t * cols + c] : v[c * cols + t];
            }
        }
        return out;
    }

    private static float[] flatten(float[][] a) {
        float[] out = new float[a.length * a[0].length];
        for (int c = 0; c < a.length; c++) {
            System.arraycopy(a[c], 0, out, c * a[0].length, a[0].length);
        }
        return out;
    }

    /** The sum over channels per time step, in float32 as NumPy sums float32. */
    private static float[] sumChannels(float[][] a) {
        float[] out = new float[a[0].length];
        for (float[] row : a) {
            for (int t = 0; t < out.length; t++) {
                out[t] += row[t];
            }
        }
        return out;
    }

    private static double[] range(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static double[] checkX(double[] x, int steps) {
        Checks.argument(
                x.length == steps,
                "xValues must have the data's length %s, got %s",
                steps,
                x.length);
        for (int i = 1; i < x.length; i++) {
            Checks.argument(
                    Double.isFinite(x[i]) && x[i] > x[i - 1],
                    "xValues must be finite and increasing, got %s after %s",
                    x[i],
                    x[i - 1]);
        }
        return x.clone();
    }
}
