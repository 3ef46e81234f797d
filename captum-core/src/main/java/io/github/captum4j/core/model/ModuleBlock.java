package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PyTorch container module as a DJL block: its children keep their PyTorch names exactly ({@code
 * conv1}, {@code 0}, {@code downsample}), in execution order, so {@link #getChildren()} can be
 * walked by dotted path; a child can be swapped in place ({@link #replaceChild}) and the next
 * forward pass uses the replacement.
 *
 * <p>Every child call goes through {@link #call}, which lets a per-call {@link BlockTap} (carried
 * by the parameter store of a tapped forward pass) capture, shift or replace a child's output or
 * input without modifying the tree.
 *
 * <p>Imported models are inference-only: a container calls its children with {@code training =
 * false} whatever flag it receives, so BatchNorm always uses (and never updates) its running
 * statistics.
 */
abstract class ModuleBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final String moduleType;

    /** Per convolution child, its folding with the BatchNorm child after it ({@link ConvBnFold}). */
    private final Map<String, ConvBnFold> folds = new ConcurrentHashMap<>();

    /** Where folded parameters live (the model's), or {@code null}: no folding. */
    private volatile NDManager foldManager;

    /**
     * Creates an empty container.
     *
     * @param moduleType the PyTorch class name, e.g. {@code Sequential}
     */
    ModuleBlock(String moduleType) {
        super(VERSION);
        this.moduleType = moduleType;
    }

    /** The PyTorch class name of this module. */
    final String moduleType() {
        return moduleType;
    }

    /** Adds a child under its PyTorch name (no DJL numbering prefix). */
    final void addModule(String name, Block block) {
        if (children.contains(name)) {
            throw new IllegalStateException("child '" + name + "' already exists");
        }
        children.add(name, block);
    }

    /**
     * The block currently installed under a child name.
     *
     * @param name the child's PyTorch name
     * @return the block
     */
    final Block child(String name) {
        Block b = children.get(name);
        if (b == null) {
            throw new IllegalArgumentException(
                    moduleType + " has no child '" + name + "', children: " + children.keys());
        }
        return b;
    }

    /**
     * Installs another block under a child name, in the same position.
     *
     * @param name the child's PyTorch name
     * @param replacement the new block
     * @return the block that was installed before
     */
    final Block replaceChild(String name, Block replacement) {
        int i = children.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(
                    moduleType + " has no child '" + name + "', children: " + children.keys());
        }
        Block old = children.valueAt(i);
        children.remove(i);
        children.add(i, name, replacement);
        return old;
    }

    /** Runs one child on one array, always in inference mode. */
    final NDArray call(String name, ParameterStore ps, NDArray x) {
        return call(name, ps, new NDList(x), null);
    }

    /** Runs one child, always in inference mode. */
    final NDArray call(
            String name, ParameterStore ps, NDList inputs, PairList<String, Object> params) {
        if (ps instanceof BlockTap.Store store) {
            // a tapped forward pass: the per-call tap decides how a tapped child runs
            NDList tapped = store.tap().intercept(this, name, ps, inputs, params);
            if (tapped != null) {
                return tapped.singletonOrThrow();
            }
        }
        if (ps instanceof InterceptStore store) {
            // an intercepted forward pass (rule-based backward): the interceptor runs the child
            return store.call(this, name, inputs, params);
        }
        return child(name).forward(ps, inputs, false, params).singletonOrThrow();
    }

    /**
     * Runs one child on an intermediate value of this module's pass and releases that value once
     * consumed ({@link #release}).
     */
    final NDArray callReleasing(String name, ParameterStore ps, NDArray intermediate) {
        NDArray y = call(name, ps, intermediate);
        release(ps, intermediate, y);
        return y;
    }

    /**
     * Runs a convolution child and the BatchNorm child that reads its output (and nothing else
     * does): as one folded convolution when the pass allows ({@link ConvBnFold}), else the two
     * children one after the other, releasing the convolution's output.
     *
     * @param conv the convolution's child name
     * @param bn the BatchNorm's child name
     * @param ps the pass's parameter store
     * @param x the convolution's input
     * @return the BatchNorm's output
     */
    final NDArray callConvBn(String conv, String bn, ParameterStore ps, NDArray x) {
        NDArray y = callFolded(conv, bn, ps, x);
        return y != null ? y : callReleasing(bn, ps, call(conv, ps, x));
    }

    /**
     * Runs two children as one folded convolution ({@link ConvBnFold}), if the pass and the
     * children allow it.
     *
     * @param conv the first child's name
     * @param bn the second child's name, the only reader of the first one's output
     * @param ps the pass's parameter store
     * @param x the first child's input
     * @return the second child's output, or {@code null} if the caller must run both children
     */
    final NDArray callFolded(String conv, String bn, ParameterStore ps, NDArray x) {
        NDManager manager = foldManager;
        Block c = child(conv);
        Block n = child(bn);
        if (manager == null || !ConvBnFold.pair(c, n) || !ConvBnFold.allowed(ps)) {
            return null;
        }
        return folds.computeIfAbsent(conv, k -> new ConvBnFold(manager)).apply(c, n, x);
    }

    /**
     * Lets this subtree fold convolution / BatchNorm pairs ({@link ConvBnFold}), keeping the
     * folded parameters in a manager that lives as long as the model.
     *
     * @param manager the model's manager for derived parameters
     */
    final void useFoldManager(NDManager manager) {
        foldManager = manager;
        for (Block b : children.values()) {
            if (b instanceof ModuleBlock m) {
                m.useFoldManager(manager);
            }
        }
    }

    /**
     * How many convolution / BatchNorm pairs of this subtree hold folded parameters, i.e. ran
     * folded at least once (for tests).
     *
     * @return the count
     */
    final int foldedPairs() {
        int n = (int) folds.values().stream().filter(ConvBnFold::holds).count();
        for (Block b : children.values()) {
            if (b instanceof ModuleBlock m) {
                n += m.foldedPairs();
            }
        }
        return n;
    }

    /**
     * Closes an intermediate value of a pass once its last consumer has run, as PyTorch frees a
     * tensor when its last reference goes: autograd holds its own reference to what its backward
     * needs, so this frees exactly the activations the backward does not save (a ResNet-18 pass
     * at 50 rows keeps about 1 GiB less). Only in a plain pass: a tap or an interceptor may keep a
     * child's output, so their passes keep every value until the caller's manager closes. Never
     * closes the value the consumer returned (an identity child returns its input).
     *
     * @param ps the pass's parameter store
     * @param consumed a value made during this module's pass and read by nobody after
     * @param result what its consumer returned
     */
    static void release(ParameterStore ps, NDArray consumed, NDArray result) {
        if (consumed != result && releases(ps)) {
            consumed.close();
        }
    }

    /**
     * Whether a pass may close its intermediate values early: only a plain pass, whose store
     * nobody else reads values of.
     */
    static boolean releases(ParameterStore ps) {
        return ps != null && ps.getClass() == ParameterStore.class;
    }

    /**
     * Checks the number of input arrays of one pass.
     *
     * @param inputs the block inputs
     * @param min the fewest arrays
     * @param max the most arrays
     * @param signature the accepted inputs, for the message, e.g. {@code [x] or [x, add_input]}
     * @throws IllegalArgumentException naming this module, the signature and the count given
     */
    final void checkInputCount(NDList inputs, int min, int max, String signature) {
        if (inputs.size() < min || inputs.size() > max) {
            throw new IllegalArgumentException(
                    moduleType
                            + " inputs must be "
                            + signature
                            + ", got "
                            + inputs.size()
                            + " arrays");
        }
    }

    /**
     * Checks the type of one extra forward argument.
     *
     * @param value the argument
     * @param name its name, for the message
     * @param nullable whether {@code null} is accepted
     * @param expected the accepted types, for the message, e.g. {@code a Boolean or null}
     * @param types the accepted types
     * @return the value
     * @throws IllegalArgumentException naming the argument, the types and the type given
     */
    static Object typed(
            Object value, String name, boolean nullable, String expected, Class<?>... types) {
        boolean ok =
                value == null ? nullable : Arrays.stream(types).anyMatch(t -> t.isInstance(value));
        if (!ok) {
            throw new IllegalArgumentException(
                    name
                            + " must be "
                            + expected
                            + ", got "
                            + (value == null ? "null" : value.getClass().getName()));
        }
        return value;
    }

    /** Output shapes of one child. */
    final Shape outputShape(String name, Shape input) {
        return child(name).getOutputShapes(new Shape[] {input})[0];
    }

    /**
     * The names of the children one forward pass calls, in call order (a child that exists but
     * never runs is left out).
     *
     * @return the child names
     */
    abstract List<String> callOrder();

    /**
     * Appends the dotted names of the leaf modules one forward pass calls, in call order: each
     * child of {@link #callOrder()}, expanded by its own trace if it is a container. Used to check
     * the recognised structure against the JSON's graph.
     *
     * @param prefix this module's dotted name plus a dot, or empty for the root
     * @param out the list to append to
     */
    final void trace(String prefix, List<String> out) {
        for (String name : callOrder()) {
            Block b = child(name);
            if (b instanceof ModuleBlock container) {
                container.trace(prefix + name + ".", out);
            } else {
                out.add(prefix + name);
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean isInitialized() {
        for (Block b : children.values()) {
            if (!b.isInitialized()) {
                return false;
            }
        }
        return true;
    }

    /** Children are initialised one by one when the model is imported. */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        // nothing: every leaf was initialised with its weights at import
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return moduleType + children.keys();
    }
}
