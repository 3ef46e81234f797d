package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The forward passes one call for several targets ({@code Target.many}) shares between its
 * targets: the targets are computed one after the other on the calling thread, each by the
 * method's ordinary single-target computation, and the <em>n</em>-th gradient pass of every target
 * reuses the autograd graph recorded by the <em>n</em>-th pass of the first target when its inputs
 * are the same. The first target's backward keeps the graph ({@code retain_graph}), every later
 * target selects its own values from the recorded output and runs only its backward pass, the last
 * one frees the graph. A pass whose inputs differ (an unseeded random draw) is computed on its own,
 * so sharing never changes a result: every target's attribution equals its single call.
 *
 * <p>Memory: the graphs of all the first target's passes stay alive until the last target has used
 * them, so a call with {@code internalBatchSize} holds the activations of every pass at once (as an
 * unbatched call does).
 *
 * <p>{@link Gradients} consults the scope of the calling thread; nothing else does. Not API: may
 * change without notice.
 */
public final class SharedPasses implements AutoCloseable {

    private static final ThreadLocal<SharedPasses> CURRENT = new ThreadLocal<>();

    private final SharedPasses previous;
    private final NDManager parent;
    private final int targets;
    private final List<Graph> graphs = new ArrayList<>();
    private NDManager manager;
    private int target = -1;
    private int pass;

    private SharedPasses(NDManager parent, int targets) {
        this.parent = parent;
        this.targets = targets;
        this.previous = CURRENT.get();
    }

    /**
     * Opens the scope of one several-target call on the calling thread; close it after the last
     * target (try-with-resources).
     *
     * @param parent the caller's manager; the recorded graphs live in a sub-manager of it
     * @param targets the number of targets
     * @return the scope
     */
    public static SharedPasses open(NDManager parent, int targets) {
        SharedPasses s = new SharedPasses(parent, targets);
        CURRENT.set(s);
        return s;
    }

    /** Starts the computation of the next target. */
    public void nextTarget() {
        target++;
        pass = 0;
    }

    /** Frees every graph still held and restores the enclosing scope. */
    @Override
    public void close() {
        if (CURRENT.get() == this) {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
        graphs.clear();
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    /**
     * A recorded forward pass: what a later target needs to run its own backward pass.
     *
     * @param inputs the pass's inputs (detached views, to recognise the same pass)
     * @param args the pass's additional arguments
     * @param key what else identifies the pass (the tapped layers), or {@code null}
     * @param output the model output, part of the graph
     * @param leaves the arrays whose gradients the pass returns (input or layer leaves)
     * @param values what the pass returns besides gradients (detached layer values), or {@code null}
     */
    record Graph(
            NDList inputs,
            List<Object> args,
            Object key,
            NDArray output,
            NDList leaves,
            NDList values) {}

    /**
     * Whether the calling thread is inside a several-target call.
     *
     * @return whether a scope is open
     */
    static boolean active() {
        SharedPasses s = CURRENT.get();
        return s != null && s.targets > 1 && s.target >= 0;
    }

    /**
     * The calling thread's slot for its next gradient pass: {@code null} outside a several-target
     * call (compute as usual), else a slot holding the recorded graph to reuse ({@link
     * Slot#graph()} non-null) or asking for the pass to be recorded.
     *
     * @param inputs the pass's inputs
     * @param args the pass's additional arguments
     * @param key what else identifies the pass, or {@code null}
     * @return the slot, or {@code null}
     */
    static Slot slot(NDList inputs, List<Object> args, Object key) {
        SharedPasses s = CURRENT.get();
        if (s == null || s.targets < 2 || s.target < 0) {
            return null;
        }
        int p = s.pass++;
        if (s.target == 0) {
            return new Slot(s, p, null, true);
        }
        Graph g = p < s.graphs.size() ? s.graphs.get(p) : null;
        if (g == null || !same(g, inputs, args, key)) {
            return null; // a different pass: computed on its own
        }
        return new Slot(s, p, g, s.target < s.targets - 1);
    }

    /**
     * One gradient pass inside a several-target call.
     *
     * @param scope the scope
     * @param index the pass's index within its target
     * @param graph the recorded graph to reuse, or {@code null} to record this pass
     * @param retain whether the backward pass must keep the graph for a later target
     */
    record Slot(SharedPasses scope, int index, Graph graph, boolean retain) {

        /**
         * Keeps a first target's pass for the later targets: its arrays move to the scope's
         * manager, so the pass's own manager may close.
         *
         * @param g the pass
         */
        void record(Graph g) {
            SharedPasses s = scope;
            if (s.manager == null) {
                s.manager = s.parent.newSubManager();
            }
            for (Object a : g.args()) {
                if (a instanceof NDArray x) {
                    x.attach(s.manager);
                }
            }
            for (NDList list : new NDList[] {g.inputs(), g.leaves(), g.values()}) {
                if (list != null) {
                    for (NDArray a : list) {
                        if (a != null) {
                            a.attach(s.manager);
                        }
                    }
                }
            }
            g.output().attach(s.manager);
            while (s.graphs.size() <= index) {
                s.graphs.add(null);
            }
            s.graphs.set(index, g);
        }

        /** Releases the reused graph after the last target's backward pass. */
        void done() {
            if (graph != null && !retain) {
                scope.graphs.set(index, null);
                close(graph.inputs());
                close(graph.leaves());
                close(graph.values());
                for (Object a : graph.args()) {
                    if (a instanceof NDArray x) {
                        x.close();
                    }
                }
                graph.output().close();
            }
        }

        private static void close(NDList list) {
            if (list != null) {
                for (NDArray a : list) {
                    if (a != null) {
                        a.close();
                    }
                }
            }
        }
    }

    /**
     * Detached views of a pass's inputs and arguments (no copy), to recognise the same pass later.
     *
     * @param inputs the inputs
     * @return the views
     */
    static NDList views(NDList inputs) {
        NDList out = new NDList(inputs.size());
        for (NDArray x : inputs) {
            out.add(x.stopGradient());
        }
        return out;
    }

    /**
     * Detached views of the array arguments; other arguments as they are.
     *
     * @param args the additional arguments
     * @return the views
     */
    static List<Object> argViews(List<Object> args) {
        List<Object> out = new ArrayList<>(args.size());
        for (Object a : args) {
            out.add(a instanceof NDArray x ? x.stopGradient() : a);
        }
        return out;
    }

    /** The same pass: equal keys, equal argument list, inputs of equal shapes, types and values. */
    private static boolean same(Graph g, NDList inputs, List<Object> args, Object key) {
        if (!Objects.equals(g.key(), key)
                || g.inputs().size() != inputs.size()
                || g.args().size() != args.size()) {
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!equalArrays(g.inputs().get(i), inputs.get(i))) {
                return false;
            }
        }
        for (int i = 0; i < args.size(); i++) {
            Object a = g.args().get(i);
            Object b = args.get(i);
            boolean eq =
                    a instanceof NDArray x && b instanceof NDArray y
                            ? equalArrays(x, y)
                            : !(a instanceof NDArray) && !(b instanceof NDArray) && Objects.equals(a, b);
            if (!eq) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalArrays(NDArray a, NDArray b) {
        if (a == b) {
            return true;
        }
        if (a.isReleased() || b.isReleased()
                || !a.getShape().equals(b.getShape())
                || a.getDataType() != b.getDataType()
                || !a.getDevice().equals(b.getDevice())) {
            return false;
        }
        try (NDArray eq = b.eq(a); NDArray all = eq.all()) {
            return all.getBoolean();
        }
    }
}
