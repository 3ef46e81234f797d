package io.github.captum4j.core.layer;

/**
 * Which tensor of a layer a {@link LayerTap} reaches: its output (Captum's default) or its input
 * (Captum's {@code attribute_to_layer_input} / {@code attribute_to_neuron_input}).
 */
public enum TapSite {
    /** The tensor the layer returns. */
    OUTPUT,
    /** The (single) tensor the layer is called with. */
    INPUT
}
