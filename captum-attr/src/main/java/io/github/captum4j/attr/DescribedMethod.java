package io.github.captum4j.attr;

import io.github.captum4j.core.MethodInfo;

/**
 * What every attribution method says about itself, whatever its family ({@link AttributionMethod},
 * {@link io.github.captum4j.attr.neuron.NeuronAttributionMethod}): its {@link MethodInfo} and the
 * getters that read it. A method implements only {@link #info()}.
 *
 * @param <O> the options record
 */
public interface DescribedMethod<O extends Record> {

    /**
     * What this method is: its name, constructor flags and default options. Every result records it
     * in its {@link io.github.captum4j.core.Provenance}.
     *
     * @return the description
     */
    MethodInfo<O> info();

    /**
     * The options with Captum's defaults.
     *
     * @return the default options
     */
    default O defaultOptions() {
        return info().defaults();
    }

    /**
     * Whether this method can return a convergence delta.
     *
     * @return {@code true} if {@code returnConvergenceDelta} is among its options
     */
    default boolean hasConvergenceDelta() {
        return info().hasConvergenceDelta();
    }

    /**
     * Whether the attributions are multiplied by {@code inputs - baselines} (global attribution) or
     * not (local attribution), as Captum's {@code multiplies_by_inputs}.
     *
     * @return the flag
     */
    default boolean multipliesByInputs() {
        return info().multipliesByInputs();
    }

    /**
     * Whether the method reads {@link io.github.captum4j.core.Inputs#baselines()}; methods that do
     * not reject non-zero baselines.
     *
     * @return the flag
     */
    default boolean usesBaselines() {
        return info().usesBaselines();
    }

    /**
     * The method's display name, e.g. "Integrated Gradients".
     *
     * @return the name
     */
    default String name() {
        return info().name();
    }
}
