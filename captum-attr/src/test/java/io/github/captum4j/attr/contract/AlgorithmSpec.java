package io.github.captum4j.attr.contract;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One algorithm as the contract suite sees it: how to build it on a model, a call with small valid
 * options (optionally seeded), and what the suite may expect of it. An algorithm joins the suite by
 * adding one spec to {@link AlgorithmRegistry}.
 */
public final class AlgorithmSpec {

    /**
     * One attribution call with fixed options; {@code seed} is ignored by deterministic methods.
     */
    @FunctionalInterface
    public interface Call {
        /**
         * Runs the call.
         *
         * @param inputs the inputs
         * @param target the target
         * @param seed the seed, or null
         * @return the attribution
         */
        Attribution attribute(Inputs inputs, Target target, Integer seed);
    }

    /**
     * Options that must be rejected, with a fragment of the expected message.
     *
     * @param options builds the invalid options (the build itself should throw)
     * @param message a fragment naming the argument
     */
    public record InvalidOption(Supplier<?> options, String message) {}

    final String name;
    final Function<ForwardFunction, Call> factory;
    final Function<ForwardFunction, AttributionMethod<?>> method;
    boolean stochastic;
    boolean usesBaselines;
    boolean layerBaselines;
    boolean gradients = true;
    int deltaPerExample;
    Fixture fixture = Fixture.TWO_INPUT_LAMBDA;
    java.util.function.Function<
                    io.github.captum4j.core.Inputs, java.util.List<ai.djl.ndarray.types.Shape>>
            shapes = Fixture.inputShapesOf();
    boolean targetChecked = true;
    boolean integerInputs;
    final List<InvalidOption> invalidOptions = new ArrayList<>();

    private AlgorithmSpec(
            String name,
            Function<ForwardFunction, AttributionMethod<?>> method,
            Function<ForwardFunction, Call> factory) {
        this.name = name;
        this.method = method;
        this.factory = factory;
    }

    /**
     * Starts a spec.
     *
     * @param name display name in the suite
     * @param method builds the algorithm on a model
     * @param factory builds the call (the algorithm with small valid options) on a model
     * @return the spec
     */
    public static AlgorithmSpec of(
            String name,
            Function<ForwardFunction, AttributionMethod<?>> method,
            Function<ForwardFunction, Call> factory) {
        return new AlgorithmSpec(name, method, factory);
    }

    /**
     * Marks the algorithm as drawing random numbers (seed contracts apply).
     *
     * @return this
     */
    public AlgorithmSpec stochastic() {
        stochastic = true;
        return this;
    }

    /**
     * Marks the algorithm as reading baselines (baseline shape contracts apply).
     *
     * @return this
     */
    public AlgorithmSpec usesBaselines() {
        usesBaselines = true;
        return this;
    }

    /**
     * Marks the algorithm as reading baselines of the layer's shape (Captum's {@code
     * layer_baselines}), not of the inputs'.
     *
     * @return this
     */
    public AlgorithmSpec layerBaselines() {
        usesBaselines = true;
        layerBaselines = true;
        return this;
    }

    /**
     * Marks the algorithm as needing no gradients (black-box models allowed).
     *
     * @return this
     */
    public AlgorithmSpec perturbation() {
        gradients = false;
        return this;
    }

    /**
     * Marks the call as returning a convergence delta with {@code perExample} entries per example
     * (1 for path methods, the number of samples for sampling methods).
     *
     * @param perExample entries per example
     * @return this
     */
    public AlgorithmSpec returnsDelta(int perExample) {
        deltaPerExample = perExample;
        return this;
    }

    /**
     * Adds options that must be rejected.
     *
     * @param options builds them
     * @param message expected message fragment naming the argument
     * @return this
     */
    public AlgorithmSpec rejects(Supplier<?> options, String message) {
        invalidOptions.add(new InvalidOption(options, message));
        return this;
    }

    /**
     * Runs the contracts on another model and data than the suite's lambda.
     *
     * @param f the fixture
     * @return this
     */
    public AlgorithmSpec on(Fixture f) {
        fixture = f;
        return this;
    }

    /**
     * The attribution shapes to expect when they are not the inputs' (layer methods).
     *
     * @param expected expected shapes for given inputs
     * @return this
     */
    public AlgorithmSpec attributesShapes(
            java.util.function.Function<
                            io.github.captum4j.core.Inputs,
                            java.util.List<ai.djl.ndarray.types.Shape>>
                    expected) {
        shapes = expected;
        return this;
    }

    /**
     * Marks a method that takes gradients at a layer, not at the inputs, so that integer inputs
     * (token ids) are allowed.
     *
     * @return this
     */
    public AlgorithmSpec acceptsIntegerInputs() {
        integerInputs = true;
        return this;
    }

    /**
     * Marks a method that explains a neuron, not a target output: target contracts do not apply.
     *
     * @return this
     */
    public AlgorithmSpec neuron() {
        targetChecked = false;
        return this;
    }

    @Override
    public String toString() {
        return fixture == Fixture.TWO_INPUT_LAMBDA ? name : name + " [" + fixture + "]";
    }
}
