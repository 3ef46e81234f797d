package io.github.captum4j.attr.layer;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.layer.LayerPath;

import java.util.List;

/**
 * The role of a layer attribution method: an {@link AttributionMethod} whose attributions are one
 * tensor per attributed layer, of that layer value's shape (its output, or its input when the
 * options ask for {@code attributeToLayerInput}), instead of one per input.
 *
 * @param <O> the options record
 */
public interface LayerAttributionMethod<O extends Record> extends AttributionMethod<O> {

    /**
     * The layers attributed to, in the order of the result's attributions.
     *
     * @return the layers
     */
    List<LayerPath> layers();

    /**
     * The first (usually only) layer attributed to.
     *
     * @return the layer
     */
    default LayerPath layer() {
        return layers().get(0);
    }
}
