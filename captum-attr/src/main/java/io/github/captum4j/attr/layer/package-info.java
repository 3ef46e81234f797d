/**
 * Layer attribution (API): methods that attribute a model's output to the neurons of a hidden layer
 * (its output, or its input with {@code attributeToLayerInput}), as Captum's {@code captum.attr}
 * layer methods do, on any {@link io.github.captum4j.core.layer.LayerAccess} model (imported Block
 * models, TorchScript modules exported with taps). Attributions have the layer value's shape;
 * {@link io.github.captum4j.attr.layer.LayerAttribution#interpolate} upsamples them to the input's
 * size.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.attr.layer;
