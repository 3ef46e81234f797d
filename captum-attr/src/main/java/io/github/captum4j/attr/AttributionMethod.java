package io.github.captum4j.attr;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.SharedPasses;
import io.github.captum4j.core.internal.Targets;

import java.util.ArrayList;
import java.util.List;

/**
 * The role every attribution algorithm plays: {@code attribute(inputs, target, options)} returns
 * one attribution tensor per input tensor.
 *
 * <p>An algorithm instance is what the method <em>is</em> (its model and constructor flags such as
 * Captum's {@code multiply_by_inputs}, described by its {@link #info()}); it is immutable and may
 * be shared between threads. The options record is how one call runs, with Captum's argument names
 * and defaults in {@link #defaultOptions()}. The {@link Inputs} carry the tensors, the {@link
 * io.github.captum4j.core.Baselines} and the additional forward arguments; the {@link Target}
 * selects the output explained.
 *
 * <p><b>Threads:</b> any number of threads may call {@code attribute} at once on the same instance
 * with their own inputs; gradients are computed per thread (libtorch's grad mode is thread-local)
 * and never through DJL's JVM-global {@code GradientCollector}. A seeded stochastic call re-seeds
 * libtorch's global generator and draws under a JVM-wide lock, so a seed gives the same numbers
 * whatever other threads do.
 *
 * <p><b>Resources:</b> every intermediate lives in a scratch sub-manager of the first input's
 * manager, closed before {@code attribute} returns (also when it throws); the result's arrays are
 * attached to that manager. The library never closes what the caller passed.
 *
 * @param <O> the options record
 */
public interface AttributionMethod<O extends Record> extends DescribedMethod<O> {

    /**
     * Computes attributions.
     *
     * @param inputs the inputs, baselines and additional forward arguments
     * @param target which output to explain
     * @param options how this call runs
     * @return one attribution per input (and the convergence delta if requested and offered)
     * @throws IllegalArgumentException for a caller mistake, naming the argument
     * @throws io.github.captum4j.core.AttributionException when the model breaks its contract
     */
    Attribution attribute(Inputs inputs, Target target, O options);

    /**
     * Computes attributions with {@link #defaultOptions()}.
     *
     * @param inputs the inputs, baselines and additional forward arguments
     * @param target which output to explain
     * @return one attribution per input
     */
    default Attribution attribute(Inputs inputs, Target target) {
        return attribute(inputs, target, defaultOptions());
    }

    /**
     * Computes attributions for several targets (Captum issues #171, #612, #634): one attribution
     * per target, in order, each equal to {@code attribute(inputs, target, options)} and carrying
     * that target in its provenance. Perturbation methods evaluate each perturbed batch once for
     * all targets (FeatureAblation, FeaturePermutation). Gradient methods (and the layer, neuron
     * and NoiseTunnel forms built on them) run each forward pass once for all targets: every
     * target after the first reuses the pass's autograd graph and runs only its own backward pass
     * (the graphs of the first target's passes are kept until the last target has used them). The
     * other methods make one call per target.
     *
     * <pre>{@code
     * List<Attribution> perClass = method.attribute(inputs, Target.many(Target.index(0), Target.index(1)), options);
     * }</pre>
     *
     * @param inputs the inputs, baselines and additional forward arguments
     * @param targets the outputs to explain
     * @param options how this call runs
     * @return one attribution per target; the caller closes each
     */
    default List<Attribution> attribute(Inputs inputs, Target.Many targets, O options) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(targets, "targets");
        for (Target t : targets.targets()) {
            Targets.validate(t, inputs.batchSize());
        }
        List<Attribution> out = new ArrayList<>(targets.size());
        try (SharedPasses shared = SharedPasses.open(inputs.manager(), targets.size())) {
            for (Target t : targets.targets()) {
                shared.nextTarget();
                out.add(attribute(inputs, t, options));
            }
            return out;
        } catch (RuntimeException e) {
            out.forEach(Attribution::close);
            throw e;
        }
    }
}
