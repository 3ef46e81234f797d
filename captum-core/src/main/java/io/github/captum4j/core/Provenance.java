package io.github.captum4j.core;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerPath;

import java.util.List;

/**
 * Where an {@link Attribution} comes from, as Tribuo records with its results: the method (its
 * name, constructor flags and defaults), the options record the call ran with, the target, and for
 * layer and neuron methods the layers and the neuron. A wrapper such as NoiseTunnel records the
 * provenance of the method it wrapped as {@link #wrapped()}.
 *
 * <pre>{@code
 * try (Attribution a = ig.attribute(Inputs.of(x), Target.index(3))) {
 *     Provenance p = a.provenance();
 *     p.method().name();               // "Integrated Gradients"
 *     p.method().multipliesByInputs(); // true
 *     p.options();                     // the IntegratedGradients.Options of the call
 *     p.target();                      // Target.index(3)
 * }
 * }</pre>
 *
 * @param method what the method is: name, constructor flags, default options
 * @param options the options record the call ran with
 * @param target the target of the call ({@link Target#none()} when the call had none)
 * @param layers the layers attributed to or through (empty for primary methods)
 * @param neuron the neuron selector of a neuron method (an {@code
 *     io.github.captum4j.attr.neuron.NeuronSelector}), or {@code null}
 * @param wrapped the provenance of the wrapped method's calls (NoiseTunnel), or {@code null}
 */
public record Provenance(
        MethodInfo<?> method,
        Record options,
        Target target,
        List<LayerPath> layers,
        Object neuron,
        Provenance wrapped) {

    /**
     * Validates and copies the components.
     *
     * @param method what the method is: name, constructor flags, default options
     * @param options the options record the call ran with
     * @param target the target of the call ({@link Target#none()} when the call had none)
     * @param layers the layers attributed to or through (empty for primary methods)
     * @param neuron the neuron selector of a neuron method (an {@code
     *     io.github.captum4j.attr.neuron.NeuronSelector}), or {@code null}
     * @param wrapped the provenance of the wrapped method's calls (NoiseTunnel), or {@code null}
     */
    public Provenance {
        Checks.notNull(method, "method");
        Checks.notNull(options, "options");
        Checks.notNull(target, "target");
        layers = List.copyOf(Checks.notNull(layers, "layers"));
    }

    /**
     * The provenance of a call of a primary method (no layer, no neuron, nothing wrapped).
     *
     * @param method the method's description
     * @param options the options of the call
     * @param target the target of the call
     * @return the provenance
     */
    public static Provenance of(MethodInfo<?> method, Record options, Target target) {
        return new Provenance(method, options, target, List.of(), null, null);
    }

    /**
     * This provenance with the layers of a layer or neuron method.
     *
     * @param layerPaths the layers
     * @return the provenance
     */
    public Provenance atLayers(List<LayerPath> layerPaths) {
        return new Provenance(method, options, target, layerPaths, neuron, wrapped);
    }

    /**
     * This provenance with the neuron of a neuron method.
     *
     * @param selector the neuron selector
     * @return the provenance
     */
    public Provenance atNeuron(Object selector) {
        return new Provenance(method, options, target, layers, selector, wrapped);
    }

    /**
     * This provenance wrapping another method's (NoiseTunnel's inner calls).
     *
     * @param inner the wrapped method's provenance
     * @return the provenance
     */
    public Provenance wrapping(Provenance inner) {
        return new Provenance(method, options, target, layers, neuron, inner);
    }
}
