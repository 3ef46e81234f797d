package io.github.captum4j.core.rules.internal;

import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.ModuleCall;
import io.github.captum4j.core.rules.Rule;
import io.github.captum4j.core.rules.RuleContext;
import io.github.captum4j.core.rules.RuleModel;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rule-based backward pass: one recorded forward pass of a {@link RuleModel} in which the input
 * and output of every module that has a {@link Rule} (and of every requested layer) become autograd
 * leaves, then one backward pass in reverse call order, piece by piece: libtorch autograd on the
 * graph between leaves, the rule at ruled modules. Gradients meeting at a shared tensor (a residual
 * unit's input feeding the body and the shortcut, an input used twice) add up, as in autograd. A
 * module called twice is two calls with their own inputs, so a reused ReLU gets the right rule at
 * each use. The cost is about one forward and one backward pass of the model.
 *
 * <p>The backward pass stops where no wanted gradient lies further up: when only the captured
 * layers' gradients are asked for (a layer method), calls that finished before every capture
 * point was created cannot reach one (execution order is topological), so they are not
 * back-propagated, and neither is the piece below a call that started before them. Layer DeepLift
 * on a transformer's token embeddings thus never back-propagates into the embedding lookup, which
 * on integer ids reaches no autograd leaf at all (libtorch's error for that costs milliseconds).
 *
 * <p>Runs on the calling thread with libtorch's grad mode on; every array lands in the manager of
 * the inputs (the caller's scratch manager).
 *
 * <p>Not API of the algorithms' users: algorithms build on it; it may change.
 */
public final class RuleBackward {

    private RuleBackward() {}

    /**
     * What to differentiate: from the model output and the captured layer values (same order as
     * requested), the tensor whose sum is differentiated.
     */
    @FunctionalInterface
    public interface Objective {
        /**
         * The tensor to differentiate (its sum).
         *
         * @param output the model output
         * @param layerValues the captured layer outputs
         * @return the tensor
         */
        NDArray apply(NDArray output, NDList layerValues);
    }

    /**
     * The result of one pass.
     *
     * @param output the model output, detached from the graph
     * @param inputGradients the rule gradient with respect to each input
     * @param layerValues the captured layer outputs, detached
     * @param layerGradients the rule gradient with respect to each captured layer output
     */
    public record Result(
            NDArray output, NDList inputGradients, NDList layerValues, NDList layerGradients) {}

    /**
     * One intercepted call: value {@code x} entered and leaf {@code xl} stood for it (ruled modules
     * and layers tapped at their input), {@code y} came out and leaf {@code yl} left. The slots
     * hold what the backward pass learns late: the gradient Captum's hook order makes the rule see
     * ({@code hookGradient}) and the gradient at the input ({@code inputGradient}). {@code start}
     * and {@code end} are the recorder's clock when the call began and when it returned.
     */
    private record Entry(
            int start,
            int end,
            ModuleCall call,
            Rule rule,
            NDArray x,
            NDArray xl,
            NDArray y,
            NDArray yl,
            Entry producer,
            NDArray[] hookGradient,
            NDArray[] inputGradient) {}

    /**
     * Runs the forward and the rule-based backward pass, capturing layer inputs or outputs. Without
     * {@code inputGradients} the pass back-propagates only as far as the captured layers need (the
     * inputs may then be integer ids) and returns no input gradients.
     *
     * @param model the model
     * @param inputs the inputs (floating point; integer inputs, such as token ids, get zero
     *     gradients)
     * @param args additional forward arguments
     * @param composite which modules get which rule
     * @param layers dotted names of modules to capture (each must run once, with one input if
     *     {@code layerInput})
     * @param layerInput whether to capture the layers' inputs instead of their outputs
     * @param inputGradients whether to compute the gradients with respect to the inputs ({@link
     *     Result#inputGradients()} is empty if not)
     * @param objective what to differentiate
     * @return output, gradients and captured layers
     */
    public static Result run(
            RuleModel model,
            NDList inputs,
            List<Object> args,
            Composite composite,
            List<String> layers,
            boolean layerInput,
            boolean inputGradients,
            Objective objective) {
        Checks.notNull(composite, "composite");
        Checks.notNull(layers, "layers");
        return Gradients.withGradMode(
                true,
                () -> {
                    NDList leaves = new NDList(inputs.size());
                    for (NDArray x : inputs) {
                        leaves.add(leaf(x));
                    }
                    Recorder rec = new Recorder(composite, layers, layerInput);
                    NDArray out = model.forwardIntercepted(leaves, args, rec::record);
                    NDList values = new NDList(layers.size());
                    // the clock at which the first wanted gradient's leaf was made
                    int firstWanted = inputGradients ? 0 : Integer.MAX_VALUE;
                    for (int i = 0; i < layers.size(); i++) {
                        Entry e = rec.captured[i];
                        if (e == null) {
                            throw new AttributionException(
                                    "layer '"
                                            + layers.get(i)
                                            + "' did not run in the forward pass");
                        }
                        values.add(layerInput ? e.xl() : e.yl());
                        firstWanted = Math.min(firstWanted, layerInput ? e.start() : e.end());
                    }
                    NDArray total = objective.apply(out, values);
                    backward(total, total.onesLike());
                    for (int i = rec.tape.size() - 1; i >= 0; i--) {
                        propagate(rec.tape.get(i), firstWanted);
                    }
                    NDList grads = new NDList(leaves.size());
                    for (NDArray leaf : inputGradients ? leaves : new NDList()) {
                        grads.add(gradientOrZeros(leaf));
                    }
                    NDList layerGrads = new NDList(layers.size());
                    NDList detached = new NDList(layers.size());
                    for (int i = 0; i < layers.size(); i++) {
                        Entry e = rec.captured[i];
                        NDArray g = layerInput ? e.inputGradient()[0] : gradientOrNull(e.yl());
                        layerGrads.add(g == null ? values.get(i).zerosLike() : g);
                        detached.add(values.get(i).stopGradient());
                    }
                    return new Result(out.stopGradient(), grads, detached, layerGrads);
                });
    }

    /** Records the calls of one forward pass. */
    private static final class Recorder {
        final Composite composite;
        final List<String> layers;
        final boolean layerInput;
        final Entry[] captured;
        final List<Entry> tape = new ArrayList<>();
        /** Ticks when a recorded call begins and when it returns. */
        int clock;

        Recorder(Composite composite, List<String> layers, boolean layerInput) {
            this.composite = composite;
            this.layers = layers;
            this.layerInput = layerInput;
            this.captured = new Entry[layers.size()];
        }

        NDArray record(ModuleCall call) {
            int layer = layers.indexOf(call.name());
            Optional<Rule> rule = composite.ruleFor(call);
            if (rule.isEmpty() && layer < 0) {
                return call.proceed();
            }
            int start = ++clock;
            NDArray x = null;
            NDArray xl = null;
            NDArray y;
            if ((rule.isPresent() || layerInput) && call.inputs().size() != 1) {
                throw new IllegalArgumentException(
                        (rule.isPresent() ? "a rule" : "a layer input tap")
                                + " needs a module with one input tensor, module '"
                                + call.name()
                                + "' takes "
                                + call.inputs().size());
            }
            if (rule.isPresent() && !layerInput && !rule.get().usesAutograd(call)) {
                x = call.inputs().get(0);
                y = call.proceed();
            } else if (rule.isPresent() || layerInput) {
                x = call.inputs().get(0);
                xl = leaf(x);
                y = call.proceed(new NDList(xl));
            } else {
                y = call.proceed();
            }
            int end = ++clock;
            NDArray yl = leaf(y);
            Entry producer = null;
            if (rule.isPresent() && composite.captumHookOrder()) {
                for (int i = tape.size() - 1; i >= 0 && producer == null; i--) {
                    Entry e = tape.get(i);
                    if (e.yl() == x && e.rule() != null) {
                        producer = e;
                    }
                }
            }
            Entry entry =
                    new Entry(
                            start,
                            end,
                            call,
                            rule.orElse(null),
                            x,
                            xl,
                            y,
                            yl,
                            producer,
                            new NDArray[1],
                            new NDArray[1]);
            if (layer >= 0) {
                if (captured[layer] != null) {
                    throw new AttributionException(
                            "layer '"
                                    + call.name()
                                    + "' runs more than once per forward pass; give each use its"
                                    + " own module");
                }
                captured[layer] = entry;
            }
            tape.add(entry);
            return yl;
        }
    }

    /**
     * Backward through one entry, once every consumer of its output has been processed, as far as
     * a wanted gradient may lie further up: a leaf made at clock {@code firstWanted} or later
     * cannot be upstream of a call that returned before it (nor of the input of a call that began
     * before it).
     */
    private static void propagate(Entry e, int firstWanted) {
        if (firstWanted >= e.end()) {
            return; // nothing wanted lies inside or before this call
        }
        NDArray gy = gradientOrNull(e.yl());
        if (gy == null) {
            return; // the objective does not depend on this call
        }
        NDArray gx;
        if (e.rule() == null) {
            backward(e.y(), gy);
            if (e.xl() == null) {
                return;
            }
            gx = gradientOrZeros(e.xl());
        } else {
            NDArray hook = e.hookGradient()[0];
            CallContext ctx =
                    CallContext.of(
                            e.call(),
                            e.xl() != null ? e.xl() : e.x(),
                            e.y(),
                            hook == null ? gy : hook,
                            gy);
            gx = e.rule().backward(ctx);
            if (e.producer() != null) {
                // Captum's hooks: the producing module's output hook fires before this module's
                // input hook replaces the gradient, so the producer's rule sees autograd's
                // gradient here.
                NDArray[] slot = e.producer().hookGradient();
                NDArray natural = ctx.gradient();
                slot[0] = slot[0] == null ? natural : slot[0].add(natural);
            }
        }
        e.inputGradient()[0] = gx;
        if (firstWanted < e.start()) {
            backward(e.x(), gx);
        }
    }

    /** Accumulates \( J^\top g \) into the leaves {@code y} depends on, if any. */
    private static void backward(NDArray y, NDArray g) {
        // keep the graph: pieces between leaves may share nodes (a tensor feeding two modules)
        try {
            Torch.backward(y, g, true);
        } catch (EngineException e) {
            // y does not depend on any leaf (JniUtils.requiresGrad is unreliable on non-leaves)
        }
    }

    private static NDArray leaf(NDArray x) {
        NDArray leaf = x.stopGradient();
        if (leaf.getDataType().isFloating()) {
            leaf.setRequiresGradient(true);
        }
        return leaf;
    }

    private static NDArray gradientOrZeros(NDArray leaf) {
        NDArray g = gradientOrNull(leaf);
        return g == null ? leaf.zerosLike() : g;
    }

    /** The gradient accumulated on a leaf, or {@code null} if none arrived. */
    static NDArray gradientOrNull(NDArray leaf) {
        return Torch.gradientOrNull(leaf);
    }
}
