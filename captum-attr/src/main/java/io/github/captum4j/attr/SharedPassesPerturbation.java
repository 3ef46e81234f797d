package io.github.captum4j.attr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;

import java.util.List;

/**
 * The base of the perturbation methods that evaluate every perturbed batch once for all targets
 * (Feature Ablation, Feature Permutation; Captum issues #171, #612, #634): a subclass supplies only
 * {@link #computeMany}, and one target is the case of a list of one, so both entries run the same
 * passes.
 *
 * @param <O> the options record
 */
abstract class SharedPassesPerturbation<O extends Record> extends PerturbationAttribution<O> {

    /**
     * Describes the method.
     *
     * @param info what the method is ({@link MethodInfo#perturbation})
     * @param forwardFunction the model
     */
    SharedPassesPerturbation(MethodInfo<O> info, ForwardFunction forwardFunction) {
        super(info, forwardFunction);
    }

    /** One target: the shared passes for a list of one. */
    @Override
    final NDList compute(Inputs inputs, Target target, O options, NDManager scratch) {
        return computeMany(inputs, List.of(target), options, scratch).get(0);
    }

    /** Every target's attributions from the same perturbed forward passes. */
    @Override
    abstract List<NDList> computeMany(
            Inputs inputs, List<Target> targets, O options, NDManager scratch);
}
