package io.github.captum4j.metrics;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

/**
 * An explanation to be judged by {@link Metrics#sensitivityMax}: any function from inputs and a
 * target to one attribution tensor per input. The {@code attribute} method of every algorithm fits:
 * {@code saliency::attribute}, or {@code (in, t) -> ig.attribute(in, t, options)}.
 */
@FunctionalInterface
public interface ExplanationFunction {

    /**
     * Explains a batch. The metric closes the returned attribution.
     *
     * @param inputs the (possibly perturbed) inputs, with baselines and additional arguments
     * @param target the target, expanded like the batch
     * @return one attribution tensor per input
     */
    Attribution explain(Inputs inputs, Target target);
}
