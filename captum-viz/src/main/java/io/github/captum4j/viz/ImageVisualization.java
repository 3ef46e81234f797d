package io.github.captum4j.viz;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;

import org.immutables.value.Value;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Image attributions drawn as Captum's {@code visualize_image_attr} and {@code
 * visualize_image_attr_multiple} draw them: the attributions are summed over channels, those of the
 * chosen {@link VisualizeSign} are normalised by Captum's outlier rule ({@link Normalization}:
 * values are divided by the cumulative-sum threshold at \( 100 - p \) percent and clipped, so the
 * top \( p \) = {@code outlierPerc} percent of the total attribution saturates), and the result is
 * drawn by an {@link ImageVisualizationMethod}: a heat map through a {@link Colormap}, blended over
 * a grey image, the original image alone, masked by the attributions, or with the attributions as
 * opacity.
 *
 * <p>Shapes: the attribution and the image are {@code (H, W, C)} (Captum's layout, {@link
 * ChannelLayout#CHANNELS_LAST}) or {@code (C, H, W)} ({@link ChannelLayout#CHANNELS_FIRST}), with
 * an optional leading batch dimension of 1, or {@code (H, W)}; a picture becomes such an array with
 * DJL's {@code ImageFactory.getInstance().fromImage(picture).toNDArray(manager)}. Image values in
 * [0, 1] are scaled to 0–255. The result is a {@link Figure} of {@code figSize × dpi} pixels (PNG,
 * {@link BufferedImage}); {@link #renderImageAttr} gives the bare {@code H x W} pixels instead.
 * All-zero attributions draw as zeros instead of failing.
 *
 * <p>Reference: Captum's {@code captum.attr.visualization}; the normalisation follows Sundararajan
 * et al.'s visualisation of Integrated Gradients (<a
 * href="https://arxiv.org/abs/1703.01365">arXiv:1703.01365</a>).
 *
 * <pre>{@code
 * try (Attribution a = new IntegratedGradients(model).attribute(Inputs.of(x), Target.index(3))) {
 *     ImageVisualization.Options options = ImageVisualization.Options.builder()
 *             .method(ImageVisualizationMethod.BLENDED_HEAT_MAP).sign(VisualizeSign.ALL)
 *             .showColorbar(true).title("IG, class 3")
 *             .channelLayout(ChannelLayout.CHANNELS_FIRST).build();
 *     ImageVisualization.visualizeImageAttr(a.attribution(0), x, options)
 *             .writePng(Path.of("ig.png"));
 * }
 * }</pre>
 */
@Value.Enclosing
public final class ImageVisualization {

    private ImageVisualization() {}

    /**
     * A figure size in inches (Captum's {@code fig_size}), drawn at {@link Options#dpi()} pixels
     * per inch.
     *
     * @param width width in inches, positive
     * @param height height in inches, positive
     */
    public record FigSize(double width, double height) {
        /** Captum's default for one visualisation: 6 x 6 inches. */
        public static final FigSize SINGLE = new FigSize(6, 6);

        /** Captum's default for several visualisations side by side: 8 x 6 inches. */
        public static final FigSize MULTIPLE = new FigSize(8, 6);

        /**
         * Validates the size.
         *
         * @param width width in inches, positive
         * @param height height in inches, positive
         */
        public FigSize {
            Checks.argument(
                    width > 0 && height > 0 && width <= 100 && height <= 100,
                    "figSize must be positive and at most 100 inches a side, got (%s, %s)",
                    width,
                    height);
        }
    }

    /**
     * How an image attribution is drawn, with Captum's names and defaults.
     *
     * @param method how to draw (default {@link ImageVisualizationMethod#HEAT_MAP})
     * @param sign which attributions (default {@link VisualizeSign#ABSOLUTE_VALUE})
     * @param outlierPerc percentage of the total attribution that saturates, in [0, 100] (default
     *     2)
     * @param cmap heat-map colormap, or {@code null} for the sign's default (default null)
     * @param alphaOverlay opacity of the heat map in blended heat maps, in [0, 1] (default 0.5)
     * @param showColorbar whether to draw a colour bar below heat maps (default false)
     * @param title the title, or {@code null} (default)
     * @param figSize the figure size in inches (default 6 x 6)
     * @param dpi pixels per inch, in [10, 600] (default 100, matplotlib's)
     * @param channelLayout where the channels of the arrays are (default {@link
     *     ChannelLayout#CHANNELS_LAST}, Captum's)
     * @param scale {@code null} (default) for Captum's per-map outlier normalisation, or a fixed
     *     attribution magnitude drawn with the colormap's last colour (values divided by it and
     *     clipped, {@link Normalization#scaleAttr}): maps drawn with the same scale — e.g. {@link
     *     #sharedScale} of the maps of several methods — compare (Captum #1103); the colour bar
     *     is then labelled in attribution units
     */
    @Value.Builder
    public record Options(
            ImageVisualizationMethod method,
            VisualizeSign sign,
            double outlierPerc,
            Colormap cmap,
            double alphaOverlay,
            boolean showColorbar,
            String title,
            FigSize figSize,
            int dpi,
            ChannelLayout channelLayout,
            Double scale)
            implements FigureOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(
                        ImageVisualizationMethod.HEAT_MAP,
                        VisualizeSign.ABSOLUTE_VALUE,
                        2,
                        null,
                        0.5,
                        false,
                        null,
                        FigSize.SINGLE,
                        100,
                        ChannelLayout.CHANNELS_LAST,
                        null);

        /**
         * Validates every component.
         *
         * @param method how to draw (default {@link ImageVisualizationMethod#HEAT_MAP})
         * @param sign which attributions (default {@link VisualizeSign#ABSOLUTE_VALUE})
         * @param outlierPerc percentage of the total attribution that saturates, in [0, 100]
         *     (default 2)
         * @param cmap heat-map colormap, or {@code null} for the sign's default (default null)
         * @param alphaOverlay opacity of the heat map in blended heat maps, in [0, 1] (default 0.5)
         * @param showColorbar whether to draw a colour bar below heat maps (default false)
         * @param title the title, or {@code null} (default)
         * @param figSize the figure size in inches (default 6 x 6)
         * @param dpi pixels per inch, in [10, 600] (default 100, matplotlib's)
         * @param channelLayout where the channels of the arrays are (default {@link
         *     ChannelLayout#CHANNELS_LAST}, Captum's)
         */
        public Options {
            Checks.notNull(method, "method");
            Checks.notNull(sign, "sign");
            FigureOptions.check(outlierPerc, alphaOverlay, figSize, dpi, scale);
            Checks.notNull(channelLayout, "channelLayout");
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
        public static final class Builder extends ImageVisualizationBuilders.OptionsBuilder
                implements FigureOptionsBuilder<Builder> {
            Builder() {}
        }
    }

    /**
     * Draws one visualisation with the default options (heat map of absolute values).
     *
     * @param attr the attribution, {@code (H, W, C)}
     * @param originalImage the image, or {@code null} (needed by every method but the heat map)
     * @return the figure
     */
    public static Figure visualizeImageAttr(NDArray attr, NDArray originalImage) {
        return visualizeImageAttr(attr, originalImage, Options.DEFAULTS);
    }

    /**
     * Draws one visualisation (Captum's {@code visualize_image_attr}).
     *
     * @param attr the attribution, shaped as {@link Options#channelLayout()} says
     * @param originalImage the image of the same height and width, or {@code null}
     * @param options how to draw
     * @return the figure
     */
    public static Figure visualizeImageAttr(NDArray attr, NDArray originalImage, Options options) {
        Checks.notNull(options, "options");
        return draw(
                Raster.of(attr, options.channelLayout(), "attr"),
                image(originalImage, options),
                List.of(options),
                options.figSize(),
                options);
    }

    /**
     * Draws several visualisations side by side in an 8 x 6 inch figure (Captum's {@code
     * visualize_image_attr_multiple}).
     *
     * @param attr the attribution
     * @param originalImage the image, or {@code null} if every method is a heat map
     * @param methods one method per panel
     * @param signs one sign per panel
     * @param titles one title per panel, or {@code null} for none
     * @param options everything else, shared by the panels (its method, sign, title and figSize are
     *     not used)
     * @return the figure
     */
    public static Figure visualizeImageAttrMultiple(
            NDArray attr,
            NDArray originalImage,
            List<ImageVisualizationMethod> methods,
            List<VisualizeSign> signs,
            List<String> titles,
            Options options) {
        return visualizeImageAttrMultiple(
                attr, originalImage, methods, signs, titles, FigSize.MULTIPLE, options);
    }

    /**
     * Draws several visualisations side by side (Captum's {@code visualize_image_attr_multiple}).
     *
     * @param attr the attribution
     * @param originalImage the image, or {@code null} if every method is a heat map
     * @param methods one method per panel
     * @param signs one sign per panel
     * @param titles one title per panel, or {@code null} for none
     * @param figSize the figure size
     * @param options everything else, shared by the panels (its method, sign, title and figSize are
     *     not used)
     * @return the figure
     */
    public static Figure visualizeImageAttrMultiple(
            NDArray attr,
            NDArray originalImage,
            List<ImageVisualizationMethod> methods,
            List<VisualizeSign> signs,
            List<String> titles,
            FigSize figSize,
            Options options) {
        Checks.notNull(methods, "methods");
        Checks.notNull(signs, "signs");
        Checks.notNull(figSize, "figSize");
        Checks.notNull(options, "options");
        FigureOptions.checkPixels(figSize, options.dpi());
        Checks.argument(!methods.isEmpty(), "methods must hold at least one method, got none");
        Checks.argument(
                methods.size() == signs.size(),
                "signs must hold one sign per method (%s), got %s",
                methods.size(),
                signs.size());
        Checks.argument(
                titles == null || titles.size() == methods.size(),
                "titles must hold one title per method (%s), got %s",
                methods.size(),
                titles == null ? 0 : titles.size());
        List<Options> panels = new ArrayList<>(methods.size());
        for (int i = 0; i < methods.size(); i++) {
            panels.add(
                    options.toBuilder()
                            .method(methods.get(i))
                            .sign(signs.get(i))
                            .title(titles == null ? null : titles.get(i))
                            .build());
        }
        return draw(
                Raster.of(attr, options.channelLayout(), "attr"),
                image(originalImage, options),
                panels,
                figSize,
                options);
    }

    /**
     * The bare visualisation: one pixel per attribution pixel, {@code W x H}, opaque RGB — what
     * Captum's {@code imshow} draws before matplotlib scales it into the figure.
     *
     * @param attr the attribution
     * @param originalImage the image, or {@code null} for a heat map
     * @param options how to draw (figure components are not used)
     * @return the picture
     */
    public static BufferedImage renderImageAttr(
            NDArray attr, NDArray originalImage, Options options) {
        Checks.notNull(options, "options");
        Raster a = Raster.of(attr, options.channelLayout(), "attr");
        int[] rgb = pixels(a, image(originalImage, options), options);
        BufferedImage out = new BufferedImage(a.width(), a.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, a.width(), a.height(), rgb, 0, a.width());
        return out;
    }

    /**
     * One scale for attributions that should be compared: Captum's outlier threshold over the
     * channel sums of all of them together ({@link Normalization#sharedScale}), for {@link
     * Options#scale()}. Drawn with it, a method whose attributions are twice another's shows
     * stronger colours instead of the same picture.
     *
     * <pre>{@code
     * double s = ImageVisualization.sharedScale(List.of(ig, saliency), VisualizeSign.ALL, 2,
     *         ChannelLayout.CHANNELS_FIRST);
     * Options o = Options.builder().sign(VisualizeSign.ALL).scale(s).showColorbar(true)
     *         .channelLayout(ChannelLayout.CHANNELS_FIRST).build();
     * }</pre>
     *
     * @param attrs the attributions, each shaped as {@code layout} says
     * @param sign which attributions
     * @param outlierPerc the percentage of the total attribution of all maps that saturates
     * @param layout where the channels are
     * @return the scale ({@code > 0}), or 1 if every attribution of the sign is 0
     */
    public static double sharedScale(
            List<NDArray> attrs, VisualizeSign sign, double outlierPerc, ChannelLayout layout) {
        Checks.notNull(attrs, "attrs");
        List<float[]> maps = new ArrayList<>(attrs.size());
        for (int i = 0; i < attrs.size(); i++) {
            maps.add(Raster.of(attrs.get(i), layout, "attrs[" + i + "]").sumChannels());
        }
        float s = Normalization.sharedScale(maps, sign, outlierPerc);
        return s > 0 ? s : 1;
    }

    private static Raster image(NDArray originalImage, Options options) {
        return originalImage == null
                ? null
                : Raster.of(originalImage, options.channelLayout(), "originalImage");
    }

    private static int[] pixels(Raster attr, Raster original, Options o) {
        return Panels.draw(
                attr,
                original == null ? null : original.toBytes(),
                o.method(),
                o.sign(),
                o.outlierPerc(),
                o.scale(),
                o.colormap(),
                o.alphaOverlay());
    }

    private static Figure draw(
            Raster attr, Raster original, List<Options> panels, FigSize size, Options shared) {
        List<FigureRenderer.Panel> drawn = new ArrayList<>(panels.size());
        for (Options o : panels) {
            drawn.add(
                    new FigureRenderer.Panel(
                            pixels(attr, original, o),
                            attr.height(),
                            attr.width(),
                            o.title(),
                            o.method().drawsHeatMap() ? o.colormap() : null,
                            o.sign().vmin(),
                            o.scale() == null ? 1 : o.scale()));
        }
        return FigureRenderer.render(
                drawn, size.width(), size.height(), shared.dpi(), shared.showColorbar());
    }
}
