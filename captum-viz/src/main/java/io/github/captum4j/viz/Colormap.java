package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A colormap: a lookup table of 256 colours that maps a value in \( [0, 1] \) to a colour exactly
 * as matplotlib does, so that heat maps have the colours of Captum's.
 *
 * <p>The built-in maps carry matplotlib's own control points ({@link #BLUES}, {@link #GREENS},
 * {@link #REDS}, {@link #RD_YL_GN}, {@link #SEISMIC}, {@link #GRAY}, {@link #VIRIDIS}) and Captum's
 * red–white–green map for signed attributions ({@link #RD_WH_GN}). A value \( x \) selects entry \(
 * \lfloor 256 x \rfloor \) (entry 255 for \( x = 1 \)); values below 0 or above 1 take the first or
 * last entry; colour bytes are the entries' components times 255, truncated, as in matplotlib's
 * {@code cmap(x, bytes=True)}.
 *
 * <pre>{@code
 * Colormap blues = Colormap.of("Blues");
 * int rgb = blues.rgb(0.75);                                // packed 0xRRGGBB
 * Colormap mine = Colormap.fromList("mine", Color.BLACK, Color.ORANGE);
 * }</pre>
 *
 * <p>Instances are immutable.
 */
public final class Colormap {

    /** Entries of every lookup table (matplotlib's {@code image.lut} default). */
    public static final int SIZE = 256;

    private static final Map<String, Colormap> BUILT_IN = load();

    /** matplotlib's {@code Blues}: Captum's default for {@link VisualizeSign#ABSOLUTE_VALUE}. */
    public static final Colormap BLUES = BUILT_IN.get("Blues");

    /** matplotlib's {@code Greens}: Captum's default for {@link VisualizeSign#POSITIVE}. */
    public static final Colormap GREENS = BUILT_IN.get("Greens");

    /** matplotlib's {@code Reds}: Captum's default for {@link VisualizeSign#NEGATIVE}. */
    public static final Colormap REDS = BUILT_IN.get("Reds");

    /**
     * Captum's {@code RdWhGn} (red → white → green, {@code from_list}): its default for {@link
     * VisualizeSign#ALL}.
     */
    public static final Colormap RD_WH_GN = BUILT_IN.get("RdWhGn");

    /** matplotlib's {@code RdYlGn} (diverging red → yellow → green). */
    public static final Colormap RD_YL_GN = BUILT_IN.get("RdYlGn");

    /** matplotlib's {@code seismic} (diverging dark blue → white → dark red). */
    public static final Colormap SEISMIC = BUILT_IN.get("seismic");

    /** matplotlib's {@code gray} (black → white), used under blended heat maps. */
    public static final Colormap GRAY = BUILT_IN.get("gray");

    /** matplotlib's {@code viridis}, its default colormap for 2-D images. */
    public static final Colormap VIRIDIS = BUILT_IN.get("viridis");

    private final String name;

    /** RGB components in [0, 1], entry-major: {@code lut[3 * i + c]}. */
    private final double[] lut;

    /** Packed 0xRRGGBB bytes of each entry. */
    private final int[] packed;

    private Colormap(String name, double[] lut) {
        this.name = name;
        this.lut = lut;
        this.packed = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            packed[i] =
                    (toByte(lut[3 * i]) << 16)
                            | (toByte(lut[3 * i + 1]) << 8)
                            | toByte(lut[3 * i + 2]);
        }
    }

    /**
     * A built-in colormap by its matplotlib name ({@code "Blues"}, {@code "Greens"}, {@code
     * "Reds"}, {@code "RdYlGn"}, {@code "seismic"}, {@code "gray"}, {@code "viridis"}) or Captum's
     * {@code "RdWhGn"}; a {@code _r} suffix reverses it, as in matplotlib.
     *
     * @param name the name
     * @return the colormap
     */
    public static Colormap of(String name) {
        Checks.notNull(name, "name");
        boolean reversed = name.endsWith("_r");
        Colormap base = BUILT_IN.get(reversed ? name.substring(0, name.length() - 2) : name);
        Checks.argument(
                base != null,
                "name must be one of %s (optionally with _r), got '%s'",
                names(),
                name);
        return reversed ? base.reversed() : base;
    }

    /**
     * The names accepted by {@link #of(String)} (without the {@code _r} variants).
     *
     * @return the names, in a fixed order
     */
    public static Set<String> names() {
        return Collections.unmodifiableSet(BUILT_IN.keySet());
    }

    /**
     * A colormap interpolating linearly between evenly spaced colours, as matplotlib's {@code
     * LinearSegmentedColormap.from_list(name, colors)}.
     *
     * @param name its name
     * @param colors two or more colours (alpha is ignored)
     * @return the colormap
     */
    public static Colormap fromList(String name, Color... colors) {
        Checks.notNull(name, "name");
        Checks.argument(
                colors != null && colors.length >= 2,
                "colors must hold at least 2 colours, got %s",
                colors == null ? 0 : colors.length);
        double[][] rows = new double[colors.length][];
        for (int i = 0; i < colors.length; i++) {
            Checks.argument(colors[i] != null, "colors[%s] must not be null", i);
            rows[i] =
                    new double[] {
                        colors[i].getRed() / 255.0,
                        colors[i].getGreen() / 255.0,
                        colors[i].getBlue() / 255.0
                    };
        }
        return new Colormap(name, segmented(rows));
    }

    /**
     * This colormap's name, e.g. {@code "Blues"}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The lookup-table entry a value selects: \( \lfloor 256 x \rfloor \) clipped to {@code [0,
     * 255]} (matplotlib's rule; NaN selects entry 0).
     *
     * @param x the value, normally in [0, 1]
     * @return the entry index
     */
    public static int index(double x) {
        if (!(x > 0)) {
            return 0;
        }
        double scaled = x * SIZE;
        return scaled >= SIZE ? SIZE - 1 : (int) scaled;
    }

    /**
     * The colour of a value as packed bytes {@code 0xRRGGBB}.
     *
     * @param x the value, normally in [0, 1]
     * @return the colour
     */
    public int rgb(double x) {
        return packed[index(x)];
    }

    /**
     * One lookup-table entry's colour as packed bytes {@code 0xRRGGBB}.
     *
     * @param entry the entry, in [0, 256)
     * @return the colour
     */
    public int entry(int entry) {
        Checks.argument(entry >= 0 && entry < SIZE, "entry must be in [0, 256), got %s", entry);
        return packed[entry];
    }

    /**
     * One lookup-table entry's components in [0, 1] (red, green, blue), as matplotlib holds them.
     *
     * @param entry the entry, in [0, 256)
     * @return a new array of three components
     */
    public double[] components(int entry) {
        Checks.argument(entry >= 0 && entry < SIZE, "entry must be in [0, 256), got %s", entry);
        return new double[] {lut[3 * entry], lut[3 * entry + 1], lut[3 * entry + 2]};
    }

    /**
     * The same colours in reverse order (matplotlib's {@code cmap.reversed()}, name + {@code
     * "_r"}).
     *
     * @return the reversed colormap
     */
    public Colormap reversed() {
        double[] r = new double[lut.length];
        for (int i = 0; i < SIZE; i++) {
            System.arraycopy(lut, 3 * (SIZE - 1 - i), r, 3 * i, 3);
        }
        String n = name.endsWith("_r") ? name.substring(0, name.length() - 2) : name + "_r";
        return new Colormap(n, r);
    }

    @Override
    public String toString() {
        return "Colormap[" + name + "]";
    }

    private static int toByte(double component) {
        // matplotlib: (lut * 255).astype(np.uint8), a truncation.
        return (int) (component * 255);
    }

    /**
     * matplotlib's {@code _create_lookup_table} for evenly spaced nodes, in its float64 arithmetic:
     * nodes and entries are both scaled by 255 ({@code x * (N - 1)}, {@code (N - 1) * linspace(0,
     * 1, N)}), and each entry is interpolated linearly between the two nodes around it.
     */
    private static double[] segmented(double[][] colors) {
        int n = colors.length;
        double[] nodes = new double[n];
        for (int k = 0; k < n; k++) {
            nodes[k] = linspace(k, n) * (SIZE - 1);
        }
        double[] lut = new double[3 * SIZE];
        for (int c = 0; c < 3; c++) {
            lut[c] = colors[0][c];
            lut[3 * (SIZE - 1) + c] = colors[n - 1][c];
        }
        for (int i = 1; i < SIZE - 1; i++) {
            double x = (SIZE - 1) * linspace(i, SIZE);
            int hi = 0; // numpy.searchsorted (left): the first node >= x
            while (hi < n - 1 && nodes[hi] < x) {
                hi++;
            }
            double distance = (x - nodes[hi - 1]) / (nodes[hi] - nodes[hi - 1]);
            for (int c = 0; c < 3; c++) {
                double y0 = colors[hi - 1][c];
                double v = distance * (colors[hi][c] - y0) + y0;
                lut[3 * i + c] = Math.min(1.0, Math.max(0.0, v));
            }
        }
        return lut;
    }

    /** {@code numpy.linspace(0, 1, n)[k]}: {@code k * (1 / (n - 1))}, the last exactly 1. */
    private static double linspace(int k, int n) {
        return k == n - 1 ? 1.0 : k * (1.0 / (n - 1));
    }

    private static Map<String, Colormap> load() {
        Map<String, List<double[]>> sections = new LinkedHashMap<>();
        Map<String, Boolean> listed = new LinkedHashMap<>();
        try (InputStream in = Colormap.class.getResourceAsStream("colormaps.txt")) {
            if (in == null) {
                throw new IllegalStateException("colormaps.txt is missing from captum-viz");
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<double[]> current = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("@")) {
                    String[] head = line.substring(1).split(" ");
                    current = new ArrayList<>();
                    sections.put(head[0], current);
                    listed.put(head[0], head[1].toLowerCase(Locale.ROOT).equals("listed"));
                } else {
                    String[] v = line.split(" ");
                    current.add(
                            new double[] {
                                Double.parseDouble(v[0]),
                                Double.parseDouble(v[1]),
                                Double.parseDouble(v[2])
                            });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Colormap> maps = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : sections.entrySet()) {
            double[][] rows = e.getValue().toArray(new double[0][]);
            double[] lut;
            if (listed.get(e.getKey())) {
                lut = new double[3 * SIZE];
                for (int i = 0; i < SIZE; i++) {
                    System.arraycopy(rows[i], 0, lut, 3 * i, 3);
                }
            } else {
                lut = segmented(rows);
            }
            maps.put(e.getKey(), new Colormap(e.getKey(), lut));
        }
        return Collections.unmodifiableMap(maps);
    }
}
