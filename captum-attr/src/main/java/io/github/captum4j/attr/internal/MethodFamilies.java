package io.github.captum4j.attr.internal;

import io.github.captum4j.core.MethodInfo;

/**
 * The descriptions ({@link MethodInfo}) that whole families of this module's methods share (not
 * API): what a method is follows from the family it belongs to, so the flags are set in one place.
 */
public final class MethodFamilies {

    private MethodFamilies() {}

    /**
     * A gradient method that attributes the change from the baselines to the inputs and whose
     * attributions add up to it, \( \sum_i A_i \approx F(x) - F(x') \) (completeness): it reads
     * baselines, multiplies by \( x - x' \) (or the layer's change) when {@code multiplyByInputs},
     * and can return the gap as its convergence delta. Integrated Gradients, GradientShap,
     * DeepLift, DeepLiftShap and their layer variants, Layer Conductance.
     *
     * @param name the display name
     * @param defaults the default options
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> completeness(
            String name, O defaults, boolean multiplyByInputs) {
        return fromBaselines(name, defaults, multiplyByInputs).withConvergenceDelta();
    }

    /**
     * A gradient method that reads baselines and multiplies by \( x - x' \) when {@code
     * multiplyByInputs}, without a convergence delta of its own: the neuron variants of the
     * completeness methods (their output is a neuron, not the model's).
     *
     * @param name the display name
     * @param defaults the default options
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> fromBaselines(
            String name, O defaults, boolean multiplyByInputs) {
        return MethodInfo.gradient(name, defaults)
                .withMultiplyByInputs(multiplyByInputs)
                .withBaselines();
    }

    /**
     * A perturbation method that replaces features by their baselines (Feature Ablation,
     * Occlusion, Shapley values, Lime): any model, black boxes included, and baselines read.
     *
     * @param name the display name
     * @param defaults the default options
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> replacement(String name, O defaults) {
        return MethodInfo.perturbation(name, defaults).withBaselines();
    }

    /**
     * A perturbation of a layer's values (Layer Feature Ablation, Layer Feature Permutation): the
     * model must expose its layers, the inputs may be integer (nothing is differentiated with
     * respect to them) and, as in Captum, the method counts as multiplying by inputs.
     *
     * @param name the display name
     * @param defaults the default options
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> layerPerturbation(String name, O defaults) {
        return MethodInfo.gradient(name, defaults).withMultiplyByInputs(true).withIntegerInputs();
    }

    /**
     * A relevance-propagation method (LRP and Layer LRP): no baselines, relevances multiplied by
     * inputs, and the gap to conservation, \( F(x) - \sum_i R_i \), offered as the convergence
     * delta.
     *
     * @param name the display name
     * @param defaults the default options
     * @param <O> the options record
     * @return the description
     */
    public static <O extends Record> MethodInfo<O> relevance(String name, O defaults) {
        return MethodInfo.gradient(name, defaults)
                .withMultiplyByInputs(true)
                .withConvergenceDelta();
    }
}
