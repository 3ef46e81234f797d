package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;


import io.github.captum4j.core.model.GraphModule.FunctionNode;
import io.github.captum4j.core.model.GraphModule.ModuleNode;
import io.github.captum4j.core.model.ModuleTree.Node;
import io.github.captum4j.core.model.ModelSpec.Arg;
import io.github.captum4j.core.model.ModelSpec.ArgKind;
import io.github.captum4j.core.model.ModelSpec.GraphOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the graph executor of a model from its JSON {@code graph}: the root is a {@link
 * GraphModule} running the graph's nodes; the ops of each sub-module ({@code h.0.ln1} ... {@code
 * h.0.mlp.fc2} plus the residual {@code add} that closes the block) are grouped into a nested
 * {@code GraphModule} under that sub-module's name, recursively, so every container of the PyTorch
 * module tree is a module again. A container the graph calls as a whole is built from its children
 * (explicit q/k/v/out attention, or a recognised pattern such as {@code nn.Sequential}). Not API.
 */
final class GraphBuilder {

    private static final Pattern LEADING_NAME = Pattern.compile("^[A-Za-z0-9_.]+");
    private static final String GRAPH_INPUT = "x";
    private static final String GRAPH_OUTPUT = "y";
    private static final String CONSTANT = "constant";

    /** What a graph op calls: a module (by dotted path), and whether on position ids. */
    private record Target(String path, boolean positions) {}

    private final ModelSpec spec;
    private final LayerFactory factory;
    private final Function<Node, Block> wholeContainer;
    private final Map<String, Node> nodes = new HashMap<>();

    /**
     * Creates the builder.
     *
     * @param spec the model
     * @param factory builds leaves
     * @param wholeContainer builds a container the graph calls as a whole (recognised patterns)
     * @param root the module tree
     */
    GraphBuilder(
            ModelSpec spec, LayerFactory factory, Function<Node, Block> wholeContainer, Node root) {
        this.spec = spec;
        this.factory = factory;
        this.wholeContainer = wholeContainer;
        index(root);
    }

    private void index(Node node) {
        nodes.put(node.path, node);
        for (Node c : node.children.values()) {
            index(c);
        }
    }

    /**
     * Builds the root.
     *
     * @param root the module tree's root
     * @return the executor
     */
    GraphModule build(Node root) {
        List<String> inputs = new ArrayList<>();
        boolean readsX = false;
        for (GraphOp op : spec.graph()) {
            readsX |= op.in().contains(GRAPH_INPUT);
        }
        for (Arg a : spec.args()) {
            if (a.kind() != ArgKind.TENSOR) {
                throw new IllegalArgumentException(
                        "model '"
                                + spec.id()
                                + "': the graph executor takes tensor inputs only, input '"
                                + a.name()
                                + "' is a "
                                + a.kind().name().toLowerCase());
            }
            inputs.add(a.name());
        }
        if (readsX && !inputs.contains(GRAPH_INPUT) && !inputs.isEmpty()) {
            // the fixtures' convention: x is the (first) input
            inputs.set(0, GRAPH_INPUT);
        }
        List<GraphOp> ops = new ArrayList<>();
        for (GraphOp op : spec.graph()) {
            // a constant reads nothing; it is made in the manager of the pass's first input
            boolean constant = op.op().startsWith(CONSTANT + "(") && !inputs.isEmpty();
            ops.add(constant ? new GraphOp(op.out(), op.op(), List.of(inputs.get(0))) : op);
        }
        String output = GRAPH_OUTPUT;
        boolean hasY = false;
        for (GraphOp op : ops) {
            hasY |= op.out().equals(GRAPH_OUTPUT);
        }
        if (!hasY) {
            output = ops.get(ops.size() - 1).out();
        }
        // SSA: every value read is an input or defined by an earlier node
        Set<String> defined = new HashSet<>(inputs);
        for (GraphOp op : ops) {
            checkDefined(op, defined);
            defined.add(op.out());
        }
        return build(root, spec.id(), ops, inputs, output);
    }

    private GraphModule build(
            Node container, String type, List<GraphOp> ops, List<String> inputs, String output) {
        Set<String> defined = new HashSet<>(inputs);
        List<GraphModule.Node> steps = new ArrayList<>();
        Map<String, Block> children = new LinkedHashMap<>();
        int i = 0;
        while (i < ops.size()) {
            GraphOp op = ops.get(i);
            checkDefined(op, defined);
            Target t = target(op);
            if (t == null) {
                Function<List<NDArray>, NDArray> fn =
                        op.op().startsWith(CONSTANT + "(")
                                ? constant(op)
                                : GraphFunctions.parse(op.op(), op.in().size());
                if (fn == null) {
                    throw new IllegalArgumentException(
                            "model '"
                                    + spec.id()
                                    + "': graph node '"
                                    + op.out()
                                    + "' has op '"
                                    + op.op()
                                    + "', which is neither a module of the JSON's layers nor a"
                                    + " supported function (add, sub, mul, div, matmul, bmm,"
                                    + " flatten, transpose, permute, reshape, view, unsqueeze,"
                                    + " squeeze, cat, mean, sum, relu, gelu, tanh, sigmoid,"
                                    + " softmax, eq, ne, adaptive_avg_pool2d, causal_mask,"
                                    + " positions, constant)");
                }
                steps.add(new FunctionNode(op.op(), fn, op.in(), op.out()));
                defined.add(op.out());
                i++;
                continue;
            }
            String local = localName(container, t.path(), op);
            Node child = container.children.get(local);
            if (t.path().equals(child.path)) {
                children.computeIfAbsent(local, k -> whole(child));
                if (t.positions()) {
                    if (op.in().size() != 1) {
                        throw new IllegalArgumentException(
                                "model '"
                                        + spec.id()
                                        + "': graph node '"
                                        + op.out()
                                        + "' (position embedding) must read one value, got "
                                        + op.in());
                    }
                    String ids = op.out() + "#positions";
                    steps.add(
                            new FunctionNode(
                                    "positions",
                                    GraphFunctions.parse("positions", 1),
                                    op.in(),
                                    ids));
                    steps.add(new ModuleNode(local, List.of(ids), op.out()));
                } else {
                    steps.add(new ModuleNode(local, op.in(), op.out()));
                }
                defined.add(op.out());
                i++;
                continue;
            }
            // the ops of one sub-module: from here to its last call, plus the functions that
            // close it (a residual add), until one value leaves the group
            int j = i;
            for (int k = i + 1; k < ops.size(); k++) {
                Target tk = target(ops.get(k));
                if (tk != null && under(tk.path(), child.path)) {
                    j = k;
                }
            }
            for (int k = i; k <= j; k++) {
                Target tk = target(ops.get(k));
                if (tk != null && !under(tk.path(), child.path)) {
                    throw new IllegalArgumentException(
                            "model '"
                                    + spec.id()
                                    + "': graph node '"
                                    + ops.get(k).out()
                                    + "' calls '"
                                    + tk.path()
                                    + "' between two calls inside module '"
                                    + child.path
                                    + "'; the graph executor needs each module's ops contiguous");
                }
            }
            List<String> outs = outputs(ops, i, j, output);
            while (j + 1 < ops.size()
                    && target(ops.get(j + 1)) == null
                    && (outs.size() > 1 || joins(ops, i, j))) {
                j++;
                outs = outputs(ops, i, j, output);
            }
            if (outs.size() != 1) {
                throw new IllegalArgumentException(
                        "model '"
                                + spec.id()
                                + "': the ops of module '"
                                + child.path
                                + "' must produce one value used outside it, got "
                                + outs);
            }
            if (children.containsKey(local)) {
                throw new IllegalArgumentException(
                        "model '"
                                + spec.id()
                                + "': the graph runs the ops of module '"
                                + child.path
                                + "' twice, in separate places");
            }
            List<GraphOp> group = ops.subList(i, j + 1);
            List<String> groupInputs = inputs(group);
            for (String v : groupInputs) {
                if (!defined.contains(v)) {
                    throw dangling(ops.get(i), v);
                }
            }
            children.put(local, build(child, "Module", group, groupInputs, outs.get(0)));
            steps.add(new ModuleNode(local, groupInputs, outs.get(0)));
            defined.add(outs.get(0));
            i = j + 1;
        }
        if (!defined.contains(output)) {
            throw new IllegalArgumentException(
                    "model '" + spec.id() + "': no graph node defines the output '" + output + "'");
        }
        GraphModule g = new GraphModule(type, inputs, steps, output);
        for (Map.Entry<String, Block> e : children.entrySet()) {
            g.addModule(e.getKey(), e.getValue());
        }
        for (Node c : container.children.values()) {
            String local = c.path.substring(c.path.lastIndexOf('.') + 1);
            if (!children.containsKey(local)) {
                // listed but not called: built (its weights are checked) and never run
                g.addModule(local, unused(c));
            }
        }
        return g;
    }

    private Block unused(Node node) {
        if (node.layer != null) {
            return factory.leaf(node.layer);
        }
        GraphModule g = new GraphModule("Module", List.of(), List.of(), "");
        for (Node c : node.children.values()) {
            g.addModule(c.path.substring(c.path.lastIndexOf('.') + 1), unused(c));
        }
        return g;
    }

    private Block whole(Node child) {
        if (child.layer != null) {
            return factory.leaf(child.layer);
        }
        if (child.children.keySet().containsAll(AttentionModule.REQUIRED)) {
            return attention(child);
        }
        return wholeContainer.apply(child);
    }

    private Block attention(Node node) {
        Map<String, Object> config = spec.attention();
        if (config == null || !(config.get("n_head") instanceof Number nHead)) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': attention module '"
                            + node.path
                            + "' needs the JSON's \"attention\": {\"n_head\": .., \"causal\": ..}");
        }
        int heads = nHead.intValue();
        boolean causal = Boolean.TRUE.equals(config.get("causal"));
        boolean softmax = node.children.containsKey(AttentionModule.SOFTMAX);
        Set<String> allowed = new HashSet<>(AttentionModule.REQUIRED);
        allowed.add(AttentionModule.SOFTMAX);
        if (!allowed.containsAll(node.children.keySet())) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': attention module '"
                            + node.path
                            + "' must have children q, k, v, out and optionally softmax, got "
                            + node.children.keySet());
        }
        AttentionModule m = new AttentionModule(heads, causal, softmax);
        List<String> order = new ArrayList<>(List.of("q", "k", "v"));
        if (softmax) {
            order.add(AttentionModule.SOFTMAX);
        }
        order.add(AttentionModule.OUT);
        for (String name : order) {
            Node c = node.children.get(name);
            if (c.layer == null) {
                throw new IllegalArgumentException(
                        "model '"
                                + spec.id()
                                + "': attention child '"
                                + c.path
                                + "' must be a leaf layer");
            }
            m.addModule(name, factory.leaf(c.layer));
        }
        return m;
    }

    /**
     * A tensor attribute of the model ({@code constant(name, dtype, d0, d1, ...)}: a registered
     * buffer such as a causal mask, or a parameter used outside a module such as a learned
     * position table), read once from the state dict and made anew in each pass's manager.
     */
    private Function<List<NDArray>, NDArray> constant(GraphOp op) {
        String text = op.op().trim();
        String[] parts = text.substring(CONSTANT.length() + 1, text.length() - 1).split(",");
        if (!text.endsWith(")") || parts.length < 2) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': graph node '"
                            + op.out()
                            + "' must read constant(name, dtype, dims...), got '"
                            + text
                            + "'");
        }
        String name = parts[0].trim();
        String dtype = parts[1].trim();
        long[] dims = new long[parts.length - 2];
        try {
            for (int d = 0; d < dims.length; d++) {
                dims[d] = Long.parseLong(parts[d + 2].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "model '" + spec.id() + "': constant '" + name + "' has a non-integer shape in '"
                            + text + "'");
        }
        if (!dtype.equals("float32") && !dtype.equals("bool")) {
            throw new IllegalArgumentException(
                    "model '" + spec.id() + "': constant '" + name
                            + "' must be float32 or bool, got " + dtype);
        }
        Shape shape = new Shape(dims);
        float[] values = factory.constant(name, shape);
        if (dtype.equals("bool")) {
            boolean[] flags = new boolean[values.length];
            for (int k = 0; k < values.length; k++) {
                flags[k] = values[k] != 0;
            }
            return in -> in.get(0).getManager().create(flags, shape);
        }
        return in -> in.get(0).getManager().create(values, shape);
    }

    /**
     * Whether the op after {@code ops[i..j]} joins the group's result with the group's own input
     * (a residual {@code x + block(x)}): it then belongs to the group, as in PyTorch's module.
     */
    private static boolean joins(List<GraphOp> ops, int i, int j) {
        GraphOp next = ops.get(j + 1);
        if (next.in().size() < 2) {
            return false;
        }
        List<GraphOp> group = ops.subList(i, j + 1);
        Set<String> defined = new HashSet<>();
        for (GraphOp op : group) {
            defined.add(op.out());
        }
        List<String> groupInputs = inputs(group);
        boolean readsResult = false;
        for (String v : next.in()) {
            if (defined.contains(v)) {
                readsResult = true;
            } else if (!groupInputs.contains(v)) {
                return false;
            }
        }
        return readsResult;
    }

    /** Values a group reads that it does not define, in first-use order. */
    private static List<String> inputs(List<GraphOp> group) {
        Set<String> defined = new HashSet<>();
        Set<String> in = new LinkedHashSet<>();
        for (GraphOp op : group) {
            for (String v : op.in()) {
                if (!defined.contains(v)) {
                    in.add(v);
                }
            }
            defined.add(op.out());
        }
        return new ArrayList<>(in);
    }

    /** Values defined in ops[i..j] that later ops read or that are the output. */
    private static List<String> outputs(List<GraphOp> ops, int i, int j, String output) {
        Set<String> out = new LinkedHashSet<>();
        for (int k = i; k <= j; k++) {
            String v = ops.get(k).out();
            boolean used = v.equals(output);
            for (int l = j + 1; l < ops.size() && !used; l++) {
                used = ops.get(l).in().contains(v);
            }
            if (used) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    private void checkDefined(GraphOp op, Set<String> defined) {
        for (String v : op.in()) {
            if (!defined.contains(v)) {
                throw dangling(op, v);
            }
        }
    }

    private IllegalArgumentException dangling(GraphOp op, String value) {
        return new IllegalArgumentException(
                "model '"
                        + spec.id()
                        + "': graph node '"
                        + op.out()
                        + "' ("
                        + op.op()
                        + ") reads '"
                        + value
                        + "', which is neither an input nor defined by an earlier node");
    }

    private static boolean under(String path, String container) {
        return container.isEmpty() || path.equals(container) || path.startsWith(container + ".");
    }

    private String localName(Node container, String path, GraphOp op) {
        if (!under(path, container.path)) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': graph node '"
                            + op.out()
                            + "' calls '"
                            + path
                            + "' inside the ops of '"
                            + container.path
                            + "'");
        }
        String rest = container.path.isEmpty() ? path : path.substring(container.path.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** The module an op calls, or {@code null} for a function. */
    private Target target(GraphOp op) {
        String text = op.op();
        if (nodes.containsKey(text) && !text.isEmpty()) {
            return new Target(text, false);
        }
        Matcher m = LEADING_NAME.matcher(text);
        if (!m.find()) {
            return null;
        }
        String name = m.group();
        String rest = text.substring(name.length());
        if (name.isEmpty() || !nodes.containsKey(name)) {
            return null;
        }
        if (rest.replace(" ", "").startsWith("(arange(")) {
            return new Target(name, true);
        }
        // an annotated call, e.g. "block.attn (q,k,v,softmax,out; see notes)"
        return rest.startsWith(" ") ? new Target(name, false) : null;
    }
}
