package io.github.captum4j.core.layer;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A layer named by its PyTorch dotted module path, as {@code model.named_modules()} spells it:
 * {@code layer3.1.conv2}, {@code lin1}, {@code emb}.
 *
 * <pre>{@code
 * LayerPath conv = LayerPath.of("layer3.1.conv2");
 * }</pre>
 *
 * @param name the dotted path: segments of letters, digits and underscores joined by dots
 */
public record LayerPath(String name) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    /**
     * Validates the path.
     *
     * @param name the dotted path: segments of letters, digits and underscores joined by dots
     */
    public LayerPath {
        Checks.notNull(name, "layer");
        Checks.argument(
                VALID.matcher(name).matches(),
                "layer must be a PyTorch dotted module path such as 'layer3.1.conv2' (segments of"
                        + " letters, digits and underscores joined by dots), got '%s'",
                name);
    }

    /**
     * The path of a layer.
     *
     * @param name the dotted path, e.g. {@code layer3.1.conv2}
     * @return the path
     */
    public static LayerPath of(String name) {
        return new LayerPath(name);
    }

    /**
     * Paths of several layers.
     *
     * @param names dotted paths
     * @return the paths, in order
     */
    public static List<LayerPath> of(String... names) {
        Checks.argument(
                names != null && names.length > 0, "layers must name at least one layer, got none");
        return Arrays.stream(names).map(LayerPath::new).toList();
    }

    /**
     * The segments of the path: {@code [layer3, 1, conv2]}.
     *
     * @return the segments
     */
    public List<String> segments() {
        return List.of(name.split("\\."));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name;
    }
}
