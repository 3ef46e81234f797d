/**
 * Neuron attribution (API): methods that attribute the value of one neuron of a hidden layer (or an
 * aggregate chosen by a {@link io.github.captum4j.attr.neuron.NeuronSelector}) to the input
 * features, as Captum's neuron methods do, on any {@link io.github.captum4j.core.layer.LayerAccess}
 * model. Attributions have the inputs' shapes.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.attr.neuron;
