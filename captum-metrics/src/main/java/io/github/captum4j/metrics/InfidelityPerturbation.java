package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Randomness;

/**
 * The perturbations \( I \) of {@link Metrics#infidelity}: given the inputs (each example already
 * repeated {@code nPerturbSamples} times, repeat-interleaved) and their baselines (same shapes),
 * returns the perturbations and the perturbed inputs \( x - I \) (Captum's {@code perturb_func}
 * returning {@code (perturbations, inputs_perturbed)}).
 */
@FunctionalInterface
public interface InfidelityPerturbation {

    /**
     * What a perturbation function returns.
     *
     * @param perturbations \( I \), one per input, of the inputs' shapes
     * @param perturbedInputs \( x - I \) (or any perturbed inputs), one per input
     */
    record Perturbed(NDList perturbations, NDList perturbedInputs) {}

    /**
     * Perturbs a batch. Create results from the given arrays (their manager is the metric's scratch
     * manager) so that they are freed with it.
     *
     * @param inputs the expanded inputs
     * @param baselines the expanded baselines, of the inputs' shapes
     * @return perturbations and perturbed inputs
     */
    Perturbed perturb(NDList inputs, NDList baselines);

    /**
     * Gaussian noise \( I \sim \mathcal{N}(0, \sigma^2) \) per element, perturbed inputs \( x - I
     * \) — the perturbation of Captum's infidelity example. Draws through libtorch's generator;
     * seed it with {@link Metrics.InfidelityOptions#seed()}.
     *
     * @param stdev \( \sigma \), {@code >= 0}
     * @return the perturbation function
     */
    static InfidelityPerturbation gaussian(double stdev) {
        if (!(stdev >= 0) || Double.isInfinite(stdev)) {
            throw new IllegalArgumentException("stdev must be finite and >= 0, got " + stdev);
        }
        return (inputs, baselines) -> {
            NDList noise = new NDList(inputs.size());
            NDList perturbed = new NDList(inputs.size());
            for (NDArray x : inputs) {
                NDArray n = Randomness.normal(x.getManager(), x.getShape(), x.getDataType()).mul(stdev);
                noise.add(n);
                perturbed.add(x.sub(n));
            }
            return new Perturbed(noise, perturbed);
        };
    }
}
