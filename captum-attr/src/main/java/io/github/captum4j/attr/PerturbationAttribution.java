package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Perturbations;
import io.github.captum4j.core.internal.Targets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The family base of the perturbation methods of this package: they accept any forward function,
 * black boxes included ({@link ForwardFunction#blackBox}), never take gradients, and run every
 * perturbation through the one engine ({@link Perturbations}). A subclass supplies {@link
 * #compute}; the call enters the one frame ({@link AttributionFrame}).
 *
 * @param <O> the options record
 */
abstract class PerturbationAttribution<O extends Record> implements AttributionMethod<O> {

    /** The model: any function, differentiable or not. */
    final ForwardFunction forwardFunction;

    private final MethodInfo<O> info;

    /**
     * Describes the method.
     *
     * @param info what the method is ({@link MethodInfo#perturbation})
     * @param forwardFunction the model
     */
    PerturbationAttribution(MethodInfo<O> info, ForwardFunction forwardFunction) {
        this.forwardFunction = Checks.notNull(forwardFunction, "forwardFunction");
        this.info = info;
    }

    /**
     * The method's computation, inside the call's scratch manager.
     *
     * @param inputs the caller's inputs, borrowed into {@code scratch}
     * @param target the target, checked against the batch size
     * @param options the options
     * @param scratch the per-call manager
     * @return one attribution per input, in {@code scratch}
     */
    abstract NDList compute(Inputs inputs, Target target, O options, NDManager scratch);

    /**
     * The computation for several targets, inside one call's scratch manager. By default one
     * {@link #compute} per target; the methods that share the forward passes between targets
     * extend {@link SharedPassesPerturbation}.
     *
     * @param inputs the caller's inputs, borrowed into {@code scratch}
     * @param targets the targets, each checked against the batch size
     * @param options the options
     * @param scratch the per-call manager
     * @return per target, one attribution per input, in {@code scratch}
     */
    List<NDList> computeMany(Inputs inputs, List<Target> targets, O options, NDManager scratch) {
        List<NDList> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            out.add(compute(inputs, t, options, scratch));
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public final Attribution attribute(Inputs inputs, Target target, O options) {
        return AttributionFrame.run(
                Provenance.of(info, options, target),
                inputs,
                scratch -> AttributionFrame.Result.of(compute(inputs, target, options, scratch)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One call's frame for all targets; the perturbation methods that can ({@link
     * FeatureAblation}, {@link FeaturePermutation}) evaluate every perturbed batch once for all of
     * them.
     */
    @Override
    public final List<Attribution> attribute(Inputs inputs, Target.Many targets, O options) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(targets, "targets");
        List<Target> ts = targets.targets();
        for (Target t : ts) {
            Targets.validate(t, inputs.batchSize());
        }
        int[] perTarget = new int[1];
        Attribution all =
                AttributionFrame.run(
                        Provenance.of(info, options, ts.get(0)),
                        inputs,
                        scratch -> {
                            NDList flat = new NDList();
                            for (NDList one : computeMany(inputs, ts, options, scratch)) {
                                perTarget[0] = one.size();
                                flat.addAll(one);
                            }
                            return AttributionFrame.Result.of(flat);
                        });
        List<Attribution> out = new ArrayList<>(ts.size());
        for (int k = 0; k < ts.size(); k++) {
            NDList mine = new NDList(perTarget[0]);
            for (int i = 0; i < perTarget[0]; i++) {
                mine.add(all.attribution(k * perTarget[0] + i));
            }
            out.add(new Attribution(Provenance.of(info, options, ts.get(k)), mine, null));
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public final MethodInfo<O> info() {
        return info;
    }

    /**
     * The engine over the call's inputs and model.
     *
     * @param inputs the inputs
     * @param baselines the expanded baselines (or {@code null})
     * @param target the target
     * @param perturbationsPerEval perturbations per forward pass
     * @param scratch the call's manager
     * @return the engine
     */
    final Perturbations engine(
            Inputs inputs,
            NDList baselines,
            Target target,
            int perturbationsPerEval,
            NDManager scratch) {
        return engine(inputs, baselines, List.of(target), perturbationsPerEval, scratch);
    }

    /**
     * The engine over the call's inputs and model, for several targets sharing its passes.
     *
     * @param inputs the inputs
     * @param baselines the expanded baselines (or {@code null})
     * @param targets the targets
     * @param perturbationsPerEval perturbations per forward pass
     * @param scratch the call's manager
     * @return the engine
     */
    final Perturbations engine(
            Inputs inputs,
            NDList baselines,
            List<Target> targets,
            int perturbationsPerEval,
            NDManager scratch) {
        return new Perturbations(
                inputs.tensors(),
                baselines,
                Perturbations.modelForward(
                        forwardFunction, inputs.additionalArgs(), inputs.batchSize()),
                targets,
                perturbationsPerEval,
                scratch);
    }

    /**
     * Reports the call's progress under Captum's task name, {@code "<name> attribution"}.
     *
     * @param engine the engine
     * @param listener the listener of the options
     * @param passes the forward passes of the whole call
     */
    final void report(Perturbations engine, ProgressListener listener, long passes) {
        engine.reportTo(listener, taskName(), passes);
    }

    /**
     * The call's task name for progress, {@code "<name> attribution"} (Captum's).
     *
     * @return the name
     */
    final String taskName() {
        return info.name() + " attribution";
    }

    /**
     * Checks and copies an options' feature mask.
     *
     * @param featureMask one mask per input, or {@code null} for one feature per element
     * @return an unmodifiable copy, or {@code null}
     */
    static List<NDArray> checkFeatureMask(List<NDArray> featureMask) {
        if (featureMask == null) {
            return null;
        }
        Checks.argument(
                !featureMask.isEmpty(), "featureMask must hold one mask per input, got none");
        for (int i = 0; i < featureMask.size(); i++) {
            Checks.argument(featureMask.get(i) != null, "featureMask[%s] must not be null", i);
        }
        return Collections.unmodifiableList(new ArrayList<>(featureMask));
    }

    /**
     * Checks {@code perturbationsPerEval}.
     *
     * @param value the option
     * @return the value
     */
    static int checkPerturbationsPerEval(int value) {
        return Checks.atLeast(value, 1, "perturbationsPerEval");
    }

    /**
     * The listener of an options record, {@link ProgressListener#NONE} for {@code null}.
     *
     * @param progress the option
     * @return the listener
     */
    static ProgressListener orNone(ProgressListener progress) {
        return progress == null ? ProgressListener.NONE : progress;
    }
}
