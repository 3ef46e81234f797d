package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Randomness;

/**
 * The perturbation of {@link Metrics#sensitivityMax}: given the inputs (each example repeated
 * {@code nPerturbSamples} times, repeat-interleaved) and the radius, returns perturbed inputs
 * (Captum's {@code perturb_func}).
 */
@FunctionalInterface
public interface SensitivityPerturbation {

    /**
     * Perturbs a batch. Create results from the given arrays so that they are freed with the
     * metric's scratch manager.
     *
     * @param inputs the expanded inputs
     * @param perturbRadius the radius
     * @return the perturbed inputs, of the inputs' shapes
     */
    NDList perturb(NDList inputs, float perturbRadius);

    /**
     * Captum's {@code default_perturb_func}: \( x + U(-r, r) \) per element, a uniform sample of
     * the \( L_\infty \) ball of radius r. Draws through libtorch's generator.
     *
     * @return the perturbation function
     */
    static SensitivityPerturbation uniformLinf() {
        return (inputs, r) -> {
            NDList out = new NDList(inputs.size());
            for (NDArray x : inputs) {
                out.add(x.add(Randomness.uniform(x.getManager(), -r, r, x.getShape(), x.getDataType())));
            }
            return out;
        };
    }
}
