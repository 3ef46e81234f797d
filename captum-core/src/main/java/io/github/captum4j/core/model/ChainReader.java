package io.github.captum4j.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import io.github.captum4j.core.model.ModelSpec.GraphOp;
import io.github.captum4j.core.model.ModuleTree.Node;
import io.github.captum4j.core.model.SequentialModule.FunctionStep;
import io.github.captum4j.core.model.SequentialModule.ModuleStep;
import io.github.captum4j.core.model.SequentialModule.Step;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a model whose JSON graph is a chain of top-level modules with {@code flatten} / {@code
 * mean} between them (and residual adds inside one top-level container) into a {@link
 * SequentialModule}; anything else goes to the general graph executor ({@link GraphBuilder}). Not
 * API.
 */
final class ChainReader {

    private final ModelSpec spec;
    private final ModelSignatures signatures;
    private final Function<Node, Block> node;

    /**
     * A reader of one model.
     *
     * @param spec the model
     * @param signatures its signature checks
     * @param node builds the block of a module-tree node
     */
    ChainReader(ModelSpec spec, ModelSignatures signatures, Function<Node, Block> node) {
        this.spec = spec;
        this.signatures = signatures;
        this.node = node;
    }

    static final Pattern FLATTEN =
            Pattern.compile(
                    "flatten\\(\\s*(?:start_dim\\s*=\\s*)?(-?\\d+)\\s*"
                            + "(?:,\\s*(?:end_dim\\s*=\\s*)?(-?\\d+)\\s*)?\\)");
    static final Pattern MEAN =
            Pattern.compile("mean\\(\\s*(?:dim\\s*=\\s*)?(-?\\d+)\\s*\\)");
    /**
     * Whether the graph is more than a chain of top-level modules with flatten / mean between them
     * (and residual adds inside a top-level container): then the general graph executor runs it.
     */
    boolean needsGraphExecutor(Node root) {
        List<GraphOp> graph = spec.graph();
        for (int i = 0; i < graph.size(); i++) {
            String op = graph.get(i).op();
            if (op.equals("identity") || FLATTEN.matcher(op).matches() || MEAN.matcher(op).matches()) {
                continue;
            }
            if (op.equals("add")) {
                String before = nearestTop(root, graph, i, -1);
                String after = nearestTop(root, graph, i, 1);
                if (before == null || !before.equals(after) || root.children.get(before).layer != null) {
                    return true;
                }
                continue;
            }
            if (ModuleTree.topLevel(root, op) == null) {
                return true;
            }
        }
        return false;
    }

    private static String nearestTop(Node root, List<GraphOp> graph, int i, int step) {
        for (int k = i + step; k >= 0 && k < graph.size(); k += step) {
            String top = ModuleTree.topLevel(root, graph.get(k).op());
            if (top != null) {
                return top;
            }
        }
        return null;
    }

    /** The root as a chain read from the graph. */
    ModuleBlock chain(Node root) {
        String current = signatures.singleTensorInput();
        List<GraphOp> graph = spec.graph();
        List<Step> steps = new ArrayList<>();
        Set<String> used = new HashSet<>();
        int i = 0;
        while (i < graph.size()) {
            GraphOp op = graph.get(i);
            String name = op.op();
            if (name.equals("identity")) {
                checkChainInput(op, current);
                current = op.out();
                i++;
                continue;
            }
            String top = ModuleTree.topLevel(root, name);
            if (top != null) {
                int end = i;
                if (!name.equals(top)) {
                    // the ops of one top-level container, with its internal functions ("add")
                    for (int j = i + 1; j < graph.size(); j++) {
                        String other = graph.get(j).op();
                        if (other.equals("identity")) {
                            break;
                        }
                        String otherTop = ModuleTree.topLevel(root, other);
                        if (otherTop == null) {
                            continue;
                        }
                        if (!otherTop.equals(top)) {
                            break;
                        }
                        end = j;
                    }
                }
                checkChainInput(op, current);
                if (!used.add(top)) {
                    throw new IllegalArgumentException(
                            "model '"
                                    + spec.id()
                                    + "': the graph runs top-level module '"
                                    + top
                                    + "' twice; "
                                    + ModelBuilder.SUPPORTED);
                }
                steps.add(new ModuleStep(top));
                current = graph.get(end).out();
                i = end + 1;
                continue;
            }
            checkChainInput(op, current);
            steps.add(function(name));
            current = op.out();
            i++;
        }
        return chainModule(root, steps);
    }

    ModuleBlock chainModule(Node root, List<Step> steps) {
        SequentialModule m = new SequentialModule(spec.id(), steps);
        List<String> executed = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof ModuleStep s) {
                executed.add(s.child());
            }
        }
        for (String name : ModuleTree.withUnused(new ArrayList<>(root.children.keySet()), executed)) {
            m.addModule(name, node.apply(root.children.get(name)));
        }
        return m;
    }

    private void checkChainInput(GraphOp op, String current) {
        if (op.in().size() != 1 || !op.in().get(0).equals(current)) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "' is not a supported architecture: graph op '"
                            + op.op()
                            + "' must read the previous value '"
                            + current
                            + "' only, got "
                            + op.in()
                            + "; "
                            + ModelBuilder.SUPPORTED);
        }
    }

    FunctionStep function(String op) {
        Matcher flatten = FLATTEN.matcher(op);
        if (flatten.matches()) {
            int start = Integer.parseInt(flatten.group(1));
            int end = flatten.group(2) == null ? -1 : Integer.parseInt(flatten.group(2));
            return new FunctionStep(
                    op, x -> x.flatten(start, end), s -> flattenShape(s, start, end));
        }
        Matcher mean = MEAN.matcher(op);
        if (mean.matches()) {
            int dim = Integer.parseInt(mean.group(1));
            return new FunctionStep(
                    op,
                    x -> x.mean(new int[] {dim}),
                    s -> {
                        int d = dim < 0 ? dim + s.dimension() : dim;
                        long[] dims = new long[s.dimension() - 1];
                        for (int i = 0, j = 0; i < s.dimension(); i++) {
                            if (i != d) {
                                dims[j++] = s.get(i);
                            }
                        }
                        return new Shape(dims);
                    });
        }
        throw new IllegalArgumentException(
                "model '"
                        + spec.id()
                        + "' is not a supported architecture: graph op '"
                        + op
                        + "' is neither a module of the JSON's layers nor a supported function"
                        + " (identity, flatten(start_dim=k), mean(dim=k)); "
                        + ModelBuilder.SUPPORTED);
    }

    private static Shape flattenShape(Shape s, int start, int end) {
        int n = s.dimension();
        int a = start < 0 ? start + n : start;
        int b = end < 0 ? end + n : end;
        long[] dims = new long[n - (b - a)];
        int j = 0;
        for (int i = 0; i < a; i++) {
            dims[j++] = s.get(i);
        }
        long product = 1;
        for (int i = a; i <= b; i++) {
            product *= s.get(i);
        }
        dims[j++] = product;
        for (int i = b + 1; i < n; i++) {
            dims[j++] = s.get(i);
        }
        return new Shape(dims);
    }
}
