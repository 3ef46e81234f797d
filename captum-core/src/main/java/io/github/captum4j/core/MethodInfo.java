package io.github.captum4j.core;

import io.github.captum4j.core.internal.Checks;

/**
 * What an attribution method is, independent of any call: its display name, its default options and
 * the flags that say which contracts apply to it. Every method of captum4j describes itself by one
 * of these; the shared call frame reads it (which inputs and baselines are accepted) and every
 * result records it in its {@link Provenance}.
 *
 * <p>Built from a family factory and named with-methods, so no call site passes a run of bare
 * booleans:
 *
 * <pre>{@code
 * MethodInfo<Options> info = MethodInfo.gradient("Integrated Gradients", Options.DEFAULTS)
 *         .withMultiplyByInputs(multiplyByInputs)
 *         .withConvergenceDelta()
 *         .withBaselines();
 * }</pre>
 *
 * @param name the display name, as Captum's {@code get_name()}, e.g. "Integrated Gradients"
 * @param defaults the options with Captum's defaults
 * @param multipliesByInputs whether attributions are multiplied by {@code inputs - baselines}
 *     (Captum's {@code multiplies_by_inputs}, a constructor flag)
 * @param hasConvergenceDelta whether a call can return a convergence delta
 * @param usesBaselines whether the method reads {@link Inputs#baselines()}; a method that does not
 *     rejects non-zero baselines
 * @param acceptsIntegerInputs whether input tensors may be of an integer type (no gradient is taken
 *     with respect to them)
 * @param acceptsNonFiniteInputs whether inputs may hold NaN or infinite values (perturbation
 *     methods hand them to the model as they are)
 * @param <O> the options record
 */
public record MethodInfo<O extends Record>(
        String name,
        O defaults,
        boolean multipliesByInputs,
        boolean hasConvergenceDelta,
        boolean usesBaselines,
        boolean acceptsIntegerInputs,
        boolean acceptsNonFiniteInputs) {

    /**
     * Validates the components.
     *
     * @param name the display name, as Captum's {@code get_name()}, e.g. "Integrated Gradients"
     * @param defaults the options with Captum's defaults
     * @param multipliesByInputs whether attributions are multiplied by {@code inputs - baselines}
     *     (Captum's {@code multiplies_by_inputs}, a constructor flag)
     * @param hasConvergenceDelta whether a call can return a convergence delta
     * @param usesBaselines whether the method reads {@link Inputs#baselines()}; a method that does
     *     not rejects non-zero baselines
     * @param acceptsIntegerInputs whether input tensors may be of an integer type (no gradient is
     *     taken with respect to them)
     * @param acceptsNonFiniteInputs whether inputs may hold NaN or infinite values (perturbation
     *     methods hand them to the model as they are)
     */
    public MethodInfo {
        Checks.notNull(name, "name");
        Checks.notNull(defaults, "defaults");
    }

    private static final int MULTIPLY = 1;
    private static final int DELTA = 2;
    private static final int BASELINES = 4;
    private static final int INTEGER = 8;
    private static final int NON_FINITE = 16;

    /**
     * A method that takes gradients with respect to its floating-point, finite inputs; no
     * multiplication by inputs, no delta, no baselines until a with-method says so.
     *
     * @param name the display name
     * @param defaults the default options
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> gradient(String name, O defaults) {
        return of(name, defaults, 0);
    }

    /**
     * A method that only runs the model forward: any input tensors, no multiplication by inputs, no
     * delta, no baselines until {@link #withBaselines()}.
     *
     * @param name the display name
     * @param defaults the default options
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> perturbation(String name, O defaults) {
        return of(name, defaults, INTEGER | NON_FINITE);
    }

    /**
     * This description with Captum's {@code multiply_by_inputs} set to {@code flag}.
     *
     * @param flag whether attributions are multiplied by {@code inputs - baselines}
     * @return the description
     */
    public MethodInfo<O> withMultiplyByInputs(boolean flag) {
        return of(name, defaults, flag ? flags() | MULTIPLY : flags() & ~MULTIPLY);
    }

    /**
     * This description for a method that can return a convergence delta.
     *
     * @return the description
     */
    public MethodInfo<O> withConvergenceDelta() {
        return of(name, defaults, flags() | DELTA);
    }

    /**
     * This description for a method that reads baselines.
     *
     * @return the description
     */
    public MethodInfo<O> withBaselines() {
        return of(name, defaults, flags() | BASELINES);
    }

    /**
     * This description for a method that takes gradients elsewhere than at the inputs (at a layer),
     * so that integer inputs such as token ids are accepted.
     *
     * @return the description
     */
    public MethodInfo<O> withIntegerInputs() {
        return of(name, defaults, flags() | INTEGER);
    }

    /**
     * This description for a method that needs floating-point inputs whatever it builds on (e.g.
     * NoiseTunnel, which adds noise to them).
     *
     * @return the description
     */
    public MethodInfo<O> withFloatingInputsOnly() {
        return of(name, defaults, flags() & ~INTEGER);
    }

    /**
     * This description with another name and other defaults, flags kept: how a method built on
     * another (a neuron method on its primary method, NoiseTunnel on the method it wraps) describes
     * itself.
     *
     * @param newName the display name
     * @param newDefaults the default options
     * @param <P> the new options record
     * @return the description
     */
    public <P extends Record> MethodInfo<P> derived(String newName, P newDefaults) {
        return of(newName, newDefaults, flags());
    }

    private int flags() {
        return (multipliesByInputs ? MULTIPLY : 0)
                | (hasConvergenceDelta ? DELTA : 0)
                | (usesBaselines ? BASELINES : 0)
                | (acceptsIntegerInputs ? INTEGER : 0)
                | (acceptsNonFiniteInputs ? NON_FINITE : 0);
    }

    private static <O extends Record> MethodInfo<O> of(String name, O defaults, int flags) {
        return new MethodInfo<>(
                name,
                defaults,
                (flags & MULTIPLY) != 0,
                (flags & DELTA) != 0,
                (flags & BASELINES) != 0,
                (flags & INTEGER) != 0,
                (flags & NON_FINITE) != 0);
    }
}
