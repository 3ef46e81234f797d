package io.github.captum4j.conformance.check;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

/**
 * One call of a case's method, built from the case's arguments: {@code seed} is used by stochastic
 * methods only ({@code null} = unseeded).
 */
@FunctionalInterface
public interface MethodCall {

    /**
     * Runs the method.
     *
     * @param inputs the case's inputs
     * @param target the case's target
     * @param seed the seed, or {@code null}
     * @return the attribution (the caller closes it)
     */
    Attribution attribute(Inputs inputs, Target target, Integer seed);
}
