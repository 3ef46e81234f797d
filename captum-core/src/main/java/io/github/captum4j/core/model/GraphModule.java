package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A container whose forward pass is an SSA graph: each node runs a child module or a function
 * ({@code add}, {@code matmul}, {@code transpose}, ...) on named values and binds its result to a
 * new name. The graph executor of imported models: the architecture JSON's {@code graph}, with the
 * ops of each sub-module grouped into a nested {@code GraphModule} (so {@code h.0} or {@code
 * block.mlp} are modules that can be tapped like any other). Children run through {@link #call},
 * so taps and the rule engine see every module call. Not API.
 */
final class GraphModule extends ModuleBlock {

    /** One node of the graph. */
    sealed interface Node permits ModuleNode, FunctionNode {
        /** The names of the values the node reads. */
        List<String> in();

        /** The name of the value the node binds. */
        String out();
    }

    /**
     * Runs a child module on the node's inputs.
     *
     * @param child the child's local name
     * @param in input value names
     * @param out output value name
     */
    record ModuleNode(String child, List<String> in, String out) implements Node {}

    /**
     * Applies a function that is not a module.
     *
     * @param description the op as written in the graph, e.g. {@code transpose(1, 2)}
     * @param function the computation on the input values
     * @param in input value names
     * @param out output value name
     */
    record FunctionNode(
            String description, Function<List<NDArray>, NDArray> function, List<String> in, String out)
            implements Node {}

    private final List<String> inputs;
    private final List<Node> nodes;
    private final String output;
    /** For each node, the values whose last use it is (released from the environment after it). */
    private final List<List<String>> lastUses;
    /**
     * For each node, whether it runs a module whose output only the next node, a module, reads
     * (a convolution and its BatchNorm may then run folded, {@link ConvBnFold}).
     */
    private final boolean[] pairs;

    /**
     * Creates the graph; children are added by the caller.
     *
     * @param moduleType the PyTorch class name (or a description)
     * @param inputs the names the module's input tensors are bound to, in order
     * @param nodes the nodes in execution order
     * @param output the name of the returned value
     */
    GraphModule(String moduleType, List<String> inputs, List<Node> nodes, String output) {
        super(moduleType);
        this.inputs = List.copyOf(inputs);
        this.nodes = List.copyOf(nodes);
        this.output = output;
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String v : nodes.get(i).in()) {
                last.put(v, i);
            }
        }
        List<List<String>> uses = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            uses.add(new ArrayList<>());
        }
        for (Map.Entry<String, Integer> e : last.entrySet()) {
            if (!e.getKey().equals(output)) {
                uses.get(e.getValue()).add(e.getKey());
            }
        }
        this.lastUses = Collections.unmodifiableList(uses);
        this.pairs = new boolean[nodes.size()];
        for (int i = 0; i + 1 < nodes.size(); i++) {
            String v = nodes.get(i).out();
            pairs[i] =
                    nodes.get(i) instanceof ModuleNode
                            && nodes.get(i).in().size() == 1
                            && nodes.get(i + 1) instanceof ModuleNode
                            && nodes.get(i + 1).in().equals(List.of(v))
                            && !v.equals(output)
                            && last.get(v) == i + 1;
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList args, boolean training, PairList<String, Object> params) {
        if (args.size() != inputs.size()) {
            throw new IllegalArgumentException(
                    moduleType()
                            + " takes "
                            + inputs.size()
                            + " tensors "
                            + inputs
                            + ", got "
                            + args.size());
        }
        Map<String, NDArray> env = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            env.put(inputs.get(i), args.get(i));
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<NDArray> in = new ArrayList<>(node.in().size());
            for (String v : node.in()) {
                in.add(env.get(v));
            }
            NDArray y =
                    pairs[i]
                            ? callFolded(
                                    ((ModuleNode) node).child(),
                                    ((ModuleNode) nodes.get(i + 1)).child(),
                                    ps,
                                    in.get(0))
                            : null;
            if (y != null) {
                // the pair ran as one op: the first node's output was never bound
                releaseLastUses(i, ps, env, args, y);
                node = nodes.get(++i);
            } else if (node instanceof ModuleNode m) {
                y = call(m.child(), ps, new NDList(in), null);
            } else {
                y = ((FunctionNode) node).function().apply(in);
            }
            releaseLastUses(i, ps, env, args, y);
            env.put(node.out(), y);
        }
        return new NDList(env.get(output));
    }

    /** Releases the values whose last reader is node {@code i}, which returned {@code y}. */
    private void releaseLastUses(
            int i, ParameterStore ps, Map<String, NDArray> env, NDList args, NDArray y) {
        boolean release = releases(ps);
        for (String v : lastUses.get(i)) {
            NDArray consumed = env.remove(v);
            // a value bound to several names (identity ops) or passed in stays open
            if (release && consumed != null && !isArg(consumed, args) && !holds(env, consumed)) {
                release(ps, consumed, y);
            }
        }
    }

    private static boolean isArg(NDArray value, NDList args) {
        for (NDArray a : args) {
            if (a == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(Map<String, NDArray> env, NDArray value) {
        for (NDArray a : env.values()) {
            if (a == value) {
                return true;
            }
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                moduleType() + ": output shapes are known only by running the graph");
    }

    @Override
    List<String> callOrder() {
        return nodes.stream()
                .filter(ModuleNode.class::isInstance)
                .map(n -> ((ModuleNode) n).child())
                .toList();
    }
}
