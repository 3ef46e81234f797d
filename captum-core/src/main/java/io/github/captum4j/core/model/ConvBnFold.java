package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;

import io.github.captum4j.core.internal.Torch;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An eval-mode {@code BatchNorm2d} folded into the {@code Conv2d} it directly follows, for forward
 * passes nobody differentiates or looks into: one convolution with {@code W' = W·s} and {@code b' =
 * (b − μ)·s + β}, where {@code s = γ / √(σ² + ε)}, instead of a convolution and a normalisation
 * (one op, one activation tensor and one pass over it less per pair; the numbers differ from the
 * two-op pass by float rounding only, as the folded parameters are computed in float64).
 *
 * <p>A pass folds only when all of these hold, else both modules run as usual:
 *
 * <ul>
 *   <li>it is a plain pass ({@link ModuleBlock#releases}): no layer tap and no rule interceptor,
 *       so a method that asks for the BatchNorm (or the convolution) by name sees it run;
 *   <li>libtorch records no gradient on this thread ({@link Torch#gradMode()} off), so a
 *       differentiated forward keeps its exact graph;
 *   <li>the two children are a DJL {@link Conv2d} and a {@link BatchNorm} made by the importer
 *       (whose ε is {@linkplain #register registered}); a replaced child (a canonizer's merged
 *       convolution, an identity) is run as it is;
 *   <li>the input is float32 on the parameters' device.
 * </ul>
 *
 * <p>The folded parameters are computed once and kept for the exact blocks and parameter arrays
 * they came from (a different block or array at the next pass recomputes them and frees the
 * previous ones). A block the caller holds — handed out by {@link ImportedModel#layer} or {@link
 * ImportedModel#block}, or handed in by {@link ImportedModel#replaceLayer} — is never folded
 * again, whatever is under it, because writing into its parameter arrays in place could not be
 * seen. Folded parameters live in the model's own manager for derived parameters (not under the
 * caller's manager) and are freed with the model. Thread-safe.
 */
final class ConvBnFold {

    /**
     * Blocks a caller holds ({@link ImportedModel#layer}, {@link ImportedModel#block}, {@link
     * ImportedModel#replaceLayer}) and their descendants: never folded, since the caller may
     * write into their parameter arrays in place (a model-randomisation check does), which a
     * folding could not see.
     */
    private static final Map<Block, Boolean> EXPOSED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** ε of each BatchNorm the importer built (DJL keeps it private). */
    private static final Map<BatchNorm, Float> EPSILONS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** The folded parameters of one pair and what they were computed from. */
    private record Folded(
            Block conv,
            Block bn,
            Parameter[] params,
            NDArray[] sources,
            NDManager owner,
            NDArray w,
            NDArray b) {

        boolean current(Block c, Block n) {
            if (c != conv || n != bn) {
                return false;
            }
            for (int i = 0; i < params.length; i++) {
                if (params[i] != null && params[i].getArray() != sources[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private final NDManager manager;
    private volatile Folded folded;

    /**
     * @param manager the model's manager for derived parameters, closed with the model
     */
    ConvBnFold(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Records the ε of a BatchNorm built by the importer, so that it may be folded.
     *
     * @param bn the block (axis 1)
     * @param epsilon its ε
     */
    static void register(BatchNorm bn, float epsilon) {
        EPSILONS.put(bn, epsilon);
    }

    /**
     * Whether two blocks are a convolution and a BatchNorm this class can fold.
     *
     * @param conv the first block
     * @param bn the second block
     * @return whether they are a {@link Conv2d} and a registered {@link BatchNorm}
     */
    static boolean pair(Block conv, Block bn) {
        return conv instanceof Conv2d
                && bn instanceof BatchNorm n
                && EPSILONS.containsKey(n)
                && !EXPOSED.containsKey(conv)
                && !EXPOSED.containsKey(bn);
    }

    /**
     * Stops folding a block and everything under it for good: its parameters are in a caller's
     * hands.
     *
     * @param block the block handed out
     */
    static void expose(Block block) {
        EXPOSED.put(block, Boolean.TRUE);
        for (Block child : block.getChildren().values()) {
            expose(child);
        }
    }

    /**
     * Whether a pass may fold: a plain pass without gradient recording.
     *
     * @param ps the pass's parameter store
     * @return whether {@link #apply} may be tried
     */
    static boolean allowed(ParameterStore ps) {
        return ModuleBlock.releases(ps) && !Torch.gradMode();
    }

    /**
     * Whether folded parameters were computed (the pair ran folded at least once).
     *
     * @return whether this pair holds a folding
     */
    boolean holds() {
        return folded != null;
    }

    /**
     * Runs the pair as one convolution, if the blocks are a foldable pair.
     *
     * @param conv the block installed as the convolution
     * @param bn the block installed as the BatchNorm
     * @param x the convolution's input
     * @return the BatchNorm's output, or {@code null} if this pair or input cannot be folded (the
     *     caller then runs both modules)
     */
    NDArray apply(Block conv, Block bn, NDArray x) {
        if (!(conv instanceof Conv2d c) || !(bn instanceof BatchNorm n)) {
            return null;
        }
        Folded f = folded;
        if (f == null || !f.current(c, n)) {
            f = fold(c, n);
            if (f == null) {
                return null;
            }
        }
        if (x.getDataType() != DataType.FLOAT32 || !x.getDevice().equals(f.w().getDevice())) {
            return null;
        }
        return Conv2d.conv2d(
                        x,
                        f.w(),
                        f.b(),
                        c.getStride(),
                        c.getPadding(),
                        c.getDilation(),
                        c.getGroups())
                .singletonOrThrow();
    }

    private synchronized Folded fold(Conv2d conv, BatchNorm bn) {
        Folded f = folded;
        if (f != null && f.current(conv, bn)) {
            return f;
        }
        Float eps = EPSILONS.get(bn);
        if (eps == null) {
            return null;
        }
        Parameter[] params = {
            conv.getParameters().get("weight"),
            conv.isIncludeBias() ? conv.getParameters().get("bias") : null,
            bn.getParameters().get("gamma"),
            bn.getParameters().get("beta"),
            bn.getParameters().get("runningMean"),
            bn.getParameters().get("runningVar")
        };
        NDArray[] sources = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            sources[i] = params[i] == null ? null : params[i].getArray();
        }
        NDArray weight = sources[0];
        if (weight.getDataType() != DataType.FLOAT32) {
            return null;
        }
        // a replaced folding is freed: layers are replaced only while no pass runs
        NDManager owner = manager.newSubManager();
        NDArray w;
        NDArray b;
        try (NDManager tmp = owner.newSubManager()) {
            long channels = weight.getShape().get(0);
            NDArray scale =
                    f64(tmp, sources[2]).div(f64(tmp, sources[5]).add(eps.doubleValue()).sqrt());
            NDArray shift =
                    sources[1] == null
                            ? f64(tmp, sources[4]).neg()
                            : f64(tmp, sources[1]).sub(f64(tmp, sources[4]));
            w =
                    f64(tmp, weight)
                            .mul(scale.reshape(channels, 1, 1, 1))
                            .toType(DataType.FLOAT32, false);
            b = shift.mul(scale).add(f64(tmp, sources[3])).toType(DataType.FLOAT32, false);
            w.attach(owner);
            b.attach(owner);
        }
        Folded previous = folded;
        f = new Folded(conv, bn, params, sources, owner, w, b);
        folded = f;
        if (previous != null) {
            previous.owner().close();
        }
        return f;
    }

    /** A float64 copy of a parameter in a manager of the fold. */
    private static NDArray f64(NDManager manager, NDArray value) {
        NDArray copy = value.toType(DataType.FLOAT64, true);
        copy.attach(manager);
        return copy;
    }
}
