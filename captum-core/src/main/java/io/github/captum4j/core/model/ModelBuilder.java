package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.util.Pair;

import io.github.captum4j.core.model.ModelSpec.Arg;
import io.github.captum4j.core.model.ModelSpec.ArgKind;
import io.github.captum4j.core.model.ModelSpec.GraphOp;
import io.github.captum4j.core.model.ModelSpec.Layer;
import io.github.captum4j.core.model.SequentialModule.FunctionStep;
import io.github.captum4j.core.model.SequentialModule.ModuleStep;
import io.github.captum4j.core.model.SequentialModule.Step;
import io.github.captum4j.core.model.WeightSource.Init;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link ModelSpec} into a tree of DJL blocks with PyTorch's module names.
 *
 * <p>The module tree comes from the dotted names of the JSON's leaf layers. Each container is
 * recognised from its children: {@code nn.Sequential} (children {@code 0..n-1}), torchvision's
 * {@code BasicBlock} / {@code Bottleneck}, and Captum's {@code BasicModel_MultiLayer} family. A
 * root that is none of these must be a chain, read from the JSON graph (ops that run a sub-module
 * of a top-level container are grouped into one step of that container). When the JSON has a graph,
 * the sequence of leaf calls the recognised structure makes is checked against it, so a model that
 * only looks like a known family is rejected rather than run wrongly.
 */
final class ModelBuilder {

    /** Leaf module types this importer builds. */
    static final List<String> LEAF_TYPES = leafTypes();

    private static List<String> leafTypes() {
        List<String> types =
                new ArrayList<>(
                        List.of(
                                "Linear",
                                "Conv2d",
                                "BatchNorm2d",
                                "ReLU",
                                "Tanh",
                                "Sigmoid",
                                "MaxPool2d",
                                "AdaptiveAvgPool2d",
                                "Embedding",
                                "Dropout",
                                "Identity",
                                "Flatten"));
        types.addAll(TorchLayers.TYPES);
        return Collections.unmodifiableList(types);
    }

    private static final String SUPPORTED =
            "supported are (1) chains of modules described by the JSON graph, with leaf types "
                    + LEAF_TYPES
                    + ", containers nn.Sequential and torchvision BasicBlock / Bottleneck"
                    + " (ResNets), and the functions flatten(start_dim=k) and mean(dim=k) between"
                    + " modules; (2) Captum's test models BasicModel_MultiLayer,"
                    + " BasicModel_MultiLayer_MultiInput and BasicModel_MultiLayer_TrueMultiInput";

    private static final Pattern FLATTEN =
            Pattern.compile(
                    "flatten\\(\\s*(?:start_dim\\s*=\\s*)?(-?\\d+)\\s*"
                            + "(?:,\\s*(?:end_dim\\s*=\\s*)?(-?\\d+)\\s*)?\\)");
    private static final Pattern MEAN =
            Pattern.compile("mean\\(\\s*(?:dim\\s*=\\s*)?(-?\\d+)\\s*\\)");
    private static final Pattern SCALE = Pattern.compile("scale\\s*=\\s*(-?\\d+)");
    private static final Pattern LEADING_NAME = Pattern.compile("^[A-Za-z0-9_.]+");
    private static final Set<String> RESIDUAL_CHILDREN =
            Set.of(
                    "conv1",
                    "bn1",
                    "relu",
                    "conv2",
                    "bn2",
                    "conv3",
                    "bn3",
                    "relu2",
                    "relu3",
                    "downsample");

    /**
     * What the builder produced.
     *
     * @param root the root block
     * @param names every module's dotted name, pre-order, children in execution order
     * @param types PyTorch class name per dotted name
     * @param parents the container holding each module
     */
    record Built(
            ModuleBlock root,
            List<String> names,
            Map<String, String> types,
            Map<String, ModuleBlock> parents) {}

    /** A node of the PyTorch module tree. */
    static final class Node {
        final String path;
        final Layer layer;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String path, Layer layer) {
            this.path = path;
            this.layer = layer;
        }

        String child(String local) {
            return path.isEmpty() ? local : path + "." + local;
        }

        String describe() {
            return path.isEmpty() ? "the root module" : "module '" + path + "'";
        }
    }


    private final ModelSpec spec;
    private final NDManager manager;
    private final WeightSource weights;
    private final LayerFactory factory;
    private boolean graphExecuted;

    private ModelBuilder(ModelSpec spec, NDManager manager, WeightSource weights) {
        this.spec = spec;
        this.manager = manager;
        this.weights = weights;
        this.factory = new LayerFactory(spec.id(), manager, weights);
    }

    /**
     * Builds the block tree and loads or initialises every parameter (frozen).
     *
     * @param spec the model
     * @param manager the manager that will own the parameters
     * @param weights where the parameter values come from
     * @return the tree and its name maps
     */
    static Built build(ModelSpec spec, NDManager manager, WeightSource weights) {
        return new ModelBuilder(spec, manager, weights).build();
    }

    private Built build() {
        Node tree = tree();
        ModuleBlock root = root(tree);
        weights.finish();

        List<String> names = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Map<String, ModuleBlock> parents = new HashMap<>();
        Map<String, ModuleBlock> containers = new HashMap<>();
        walk(root, "", names, types, parents, containers);
        for (String layer : spec.layers().keySet()) {
            if (!types.containsKey(layer)) {
                throw new IllegalStateException("layer '" + layer + "' was not attached");
            }
        }
        if (!graphExecuted) {
            checkAgainstGraph(root, types, containers);
        }
        return new Built(
                root,
                Collections.unmodifiableList(names),
                Collections.unmodifiableMap(types),
                Collections.unmodifiableMap(parents));
    }

    private void walk(
            ModuleBlock module,
            String prefix,
            List<String> names,
            Map<String, String> types,
            Map<String, ModuleBlock> parents,
            Map<String, ModuleBlock> containers) {
        for (Pair<String, Block> child : module.getChildren()) {
            String name = prefix + child.getKey();
            names.add(name);
            parents.put(name, module);
            if (child.getValue() instanceof ModuleBlock m) {
                types.put(name, m.moduleType());
                containers.put(name, m);
                walk(m, name + ".", names, types, parents, containers);
            } else {
                types.put(name, spec.layers().get(name).type());
            }
        }
    }

    // ---------------------------------------------------------------- module tree

    private Node tree() {
        Node root = new Node("", null);
        if (spec.layers().isEmpty()) {
            throw new IllegalArgumentException(
                    "model '" + spec.id() + "' must list at least one layer, got none");
        }
        for (Layer layer : spec.layers().values()) {
            String[] parts = layer.name().split("\\.", -1);
            Node node = root;
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty()) {
                    throw new IllegalArgumentException(
                            "layer name must be a dotted path, got '" + layer.name() + "'");
                }
                if (node.layer != null) {
                    throw new IllegalArgumentException(
                            "layer '"
                                    + layer.name()
                                    + "' cannot be inside leaf layer '"
                                    + node.path
                                    + "'");
                }
                boolean last = i == parts.length - 1;
                Node next = node.children.get(part);
                if (next == null) {
                    next = new Node(node.child(part), last ? layer : null);
                    node.children.put(part, next);
                } else if (last) {
                    throw new IllegalArgumentException(
                            "layer '" + layer.name() + "' is also a container of other layers");
                }
                node = next;
            }
        }
        return root;
    }

    // ---------------------------------------------------------------- containers

    private ModuleBlock root(Node root) {
        if (isTrueMultiInput(root)) {
            expectArgs(
                    "BasicModel_MultiLayer_TrueMultiInput",
                    "(x1, x2, x3)",
                    ArgKind.TENSOR,
                    ArgKind.TENSOR,
                    ArgKind.TENSOR);
            return trueMultiInput(root);
        }
        if (isMultiInput(root)) {
            expectArgs(
                    "BasicModel_MultiLayer_MultiInput",
                    "(x1, x2, x3, scale: int)",
                    ArgKind.TENSOR,
                    ArgKind.TENSOR,
                    ArgKind.TENSOR,
                    ArgKind.INT);
            if (!spec.args().get(3).name().equals(MultiInputModule.SCALE)) {
                throw signatureMismatch(
                        "BasicModel_MultiLayer_MultiInput", "(x1, x2, x3, scale: int)");
            }
            return multiInput(root);
        }
        if (isMultiLayer(root)) {
            checkMultiLayerArgs();
            return multiLayer(root);
        }
        if (!spec.graph().isEmpty()) {
            if (needsGraphExecutor(root)) {
                graphExecuted = true;
                return new GraphBuilder(spec, factory, this::container, root).build(root);
            }
            return chain(root);
        }
        if (isResNetRoot(root)) {
            singleTensorInput();
            return resNetWithoutGraph(root);
        }
        if (isSequential(root)) {
            singleTensorInput();
            return container(root);
        }
        throw new IllegalArgumentException(
                "model '"
                        + spec.id()
                        + "' is not a supported architecture: its JSON has no graph and its"
                        + " top-level modules "
                        + root.children.keySet()
                        + " match no known family; "
                        + SUPPORTED);
    }

    private Block node(Node node) {
        return node.layer != null ? factory.leaf(node.layer) : container(node);
    }

    private ModuleBlock container(Node node) {
        if (isSequential(node)) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < node.children.size(); i++) {
                steps.add(new ModuleStep(Integer.toString(i)));
            }
            SequentialModule m = new SequentialModule("Sequential", steps);
            for (int i = 0; i < node.children.size(); i++) {
                String name = Integer.toString(i);
                m.addModule(name, node(node.children.get(name)));
            }
            return m;
        }
        if (isResidual(node)) {
            return residual(node);
        }
        if (isTrueMultiInput(node)) {
            return trueMultiInput(node);
        }
        if (isMultiInput(node)) {
            return multiInput(node);
        }
        if (isMultiLayer(node)) {
            return multiLayer(node);
        }
        throw new IllegalArgumentException(
                "model '"
                        + spec.id()
                        + "': "
                        + node.describe()
                        + " with children "
                        + node.children.keySet()
                        + " is not a supported container; "
                        + SUPPORTED);
    }

    private static boolean isSequential(Node node) {
        if (node.layer != null || node.children.isEmpty()) {
            return false;
        }
        for (int i = 0; i < node.children.size(); i++) {
            if (!node.children.containsKey(Integer.toString(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isResidual(Node node) {
        Map<String, Node> c = node.children;
        if (node.layer != null
                || !RESIDUAL_CHILDREN.containsAll(c.keySet())
                || !c.keySet().containsAll(List.of("conv1", "bn1", "relu", "conv2", "bn2"))
                || c.containsKey("conv3") != c.containsKey("bn3")) {
            return false;
        }
        for (String name : c.keySet()) {
            String type =
                    name.startsWith("conv")
                            ? "Conv2d"
                            : name.startsWith("bn")
                                    ? "BatchNorm2d"
                                    : name.startsWith("relu") ? "ReLU" : null;
            Node child = c.get(name);
            if (type == null ? child.layer != null : !isLeaf(child, type)) {
                return false;
            }
        }
        return true;
    }

    private ModuleBlock residual(Node node) {
        Map<String, Node> c = node.children;
        boolean bottleneck = c.containsKey("conv3");
        boolean downsample = c.containsKey("downsample");
        String[] relus;
        if (bottleneck) {
            if (c.containsKey("relu2") && c.containsKey("relu3")) {
                relus = new String[] {"relu", "relu2", "relu3"};
            } else if (!c.containsKey("relu2") && !c.containsKey("relu3")) {
                relus = new String[] {"relu", "relu", "relu"};
            } else {
                throw new IllegalArgumentException(
                        "model '"
                                + spec.id()
                                + "': Bottleneck "
                                + node.describe()
                                + " must have ReLU modules relu (reused, as torchvision) or"
                                + " relu, relu2, relu3, got "
                                + c.keySet());
            }
        } else {
            if (c.containsKey("relu3")) {
                throw new IllegalArgumentException(
                        "model '"
                                + spec.id()
                                + "': BasicBlock "
                                + node.describe()
                                + " must have ReLU modules relu (reused, as torchvision) or"
                                + " relu, relu2, got "
                                + c.keySet());
            }
            relus =
                    c.containsKey("relu2")
                            ? new String[] {"relu", "relu2"}
                            : new String[] {"relu", "relu"};
        }
        List<String> order = new ArrayList<>(List.of("conv1", "bn1", "relu", "conv2", "bn2"));
        if (bottleneck) {
            if (c.containsKey("relu2")) {
                order.add("relu2");
            }
            order.addAll(List.of("conv3", "bn3"));
        }
        if (downsample) {
            order.add("downsample");
        }
        String last = relus[relus.length - 1];
        if (!order.contains(last)) {
            order.add(last);
        }
        ResidualModule m = new ResidualModule(bottleneck, downsample, relus);
        for (String name : order) {
            m.addModule(name, node(c.get(name)));
        }
        return m;
    }

    private static boolean isMultiLayer(Node node) {
        Map<String, Node> c = node.children;
        Set<String> allowed = new HashSet<>(MultiLayerModule.USED);
        allowed.add(MultiLayerModule.UNUSED);
        return node.layer == null
                && c.keySet().containsAll(MultiLayerModule.USED)
                && allowed.containsAll(c.keySet())
                && isLeaf(c.get("linear0"), "Linear")
                && isLeaf(c.get("linear1"), "Linear")
                && isLeaf(c.get("relu"), "ReLU")
                && isLeaf(c.get("linear2"), "Linear")
                && (!c.containsKey(MultiLayerModule.UNUSED)
                        || isLeaf(c.get(MultiLayerModule.UNUSED), "Linear"));
    }

    private ModuleBlock multiLayer(Node node) {
        MultiLayerModule m = new MultiLayerModule();
        List<String> order =
                withUnused(new ArrayList<>(node.children.keySet()), MultiLayerModule.USED);
        for (String name : order) {
            m.addModule(name, node(node.children.get(name)));
        }
        return m;
    }

    private static boolean isMultiInput(Node node) {
        Map<String, Node> c = node.children;
        return node.layer == null
                && c.size() == 1
                && c.containsKey(MultiInputModule.MODEL)
                && isMultiLayer(c.get(MultiInputModule.MODEL));
    }

    private ModuleBlock multiInput(Node node) {
        MultiInputModule m = new MultiInputModule();
        m.addModule(MultiInputModule.MODEL, node(node.children.get(MultiInputModule.MODEL)));
        return m;
    }

    private static boolean isTrueMultiInput(Node node) {
        Map<String, Node> c = node.children;
        return node.layer == null
                && c.size() == 2
                && c.containsKey(TrueMultiInputModule.M1)
                && c.containsKey(TrueMultiInputModule.M234)
                && isMultiLayer(c.get(TrueMultiInputModule.M1))
                && isMultiInput(c.get(TrueMultiInputModule.M234));
    }

    private ModuleBlock trueMultiInput(Node node) {
        // Captum calls m234(x2, x3, x1, 1); a graph op such as "m234 (... scale=1)" may say so
        long scale = 1;
        for (GraphOp op : spec.graph()) {
            if (leadingName(op.op()).equals(node.child(TrueMultiInputModule.M234))) {
                Matcher matcher = SCALE.matcher(op.op());
                if (matcher.find()) {
                    scale = Long.parseLong(matcher.group(1));
                }
            }
        }
        TrueMultiInputModule m = new TrueMultiInputModule(scale);
        m.addModule(TrueMultiInputModule.M1, node(node.children.get(TrueMultiInputModule.M1)));
        m.addModule(TrueMultiInputModule.M234, node(node.children.get(TrueMultiInputModule.M234)));
        return m;
    }

    private static boolean isResNetRoot(Node root) {
        Map<String, Node> c = root.children;
        if (!isLeaf(c.get("conv1"), "Conv2d")
                || !isLeaf(c.get("bn1"), "BatchNorm2d")
                || !isLeaf(c.get("relu"), "ReLU")
                || !isLeaf(c.get("maxpool"), "MaxPool2d")
                || !isLeaf(c.get("avgpool"), "AdaptiveAvgPool2d")
                || !isLeaf(c.get("fc"), "Linear")) {
            return false;
        }
        int stages = 0;
        while (c.containsKey("layer" + (stages + 1))) {
            stages++;
        }
        return stages > 0 && c.size() == 6 + stages;
    }

    private ModuleBlock resNetWithoutGraph(Node root) {
        List<Step> steps = new ArrayList<>();
        for (String name : List.of("conv1", "bn1", "relu", "maxpool")) {
            steps.add(new ModuleStep(name));
        }
        for (int i = 1; root.children.containsKey("layer" + i); i++) {
            steps.add(new ModuleStep("layer" + i));
        }
        steps.add(new ModuleStep("avgpool"));
        steps.add(function("flatten(start_dim=1)"));
        steps.add(new ModuleStep("fc"));
        return chainModule(root, steps);
    }

    /**
     * Whether the graph is more than a chain of top-level modules with flatten / mean between them
     * (and residual adds inside a top-level container): then the general graph executor runs it.
     */
    private boolean needsGraphExecutor(Node root) {
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
            if (topLevel(root, op) == null) {
                return true;
            }
        }
        return false;
    }

    private static String nearestTop(Node root, List<GraphOp> graph, int i, int step) {
        for (int k = i + step; k >= 0 && k < graph.size(); k += step) {
            String top = topLevel(root, graph.get(k).op());
            if (top != null) {
                return top;
            }
        }
        return null;
    }

    /** The root as a chain read from the graph. */
    private ModuleBlock chain(Node root) {
        String current = singleTensorInput();
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
            String top = topLevel(root, name);
            if (top != null) {
                int end = i;
                if (!name.equals(top)) {
                    // the ops of one top-level container, with its internal functions ("add")
                    for (int j = i + 1; j < graph.size(); j++) {
                        String other = graph.get(j).op();
                        if (other.equals("identity")) {
                            break;
                        }
                        String otherTop = topLevel(root, other);
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
                                    + SUPPORTED);
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

    private ModuleBlock chainModule(Node root, List<Step> steps) {
        SequentialModule m = new SequentialModule(spec.id(), steps);
        List<String> executed = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof ModuleStep s) {
                executed.add(s.child());
            }
        }
        for (String name : withUnused(new ArrayList<>(root.children.keySet()), executed)) {
            m.addModule(name, node(root.children.get(name)));
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
                            + SUPPORTED);
        }
    }

    /** The top-level child a graph op runs (part of), or {@code null} if it names no module. */
    private static String topLevel(Node root, String op) {
        String[] parts = op.split("\\.", -1);
        Node node = root;
        for (String part : parts) {
            node = node.layer == null ? node.children.get(part) : null;
            if (node == null) {
                return null;
            }
        }
        return parts[0];
    }

    private FunctionStep function(String op) {
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
                        + SUPPORTED);
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

    /**
     * Execution order of the children that run, each child that never runs (Captum's {@code
     * linear1_alt}) kept right after the child registered before it.
     */
    private static List<String> withUnused(List<String> registration, List<String> executed) {
        List<String> order = new ArrayList<>(executed);
        for (int i = 0; i < registration.size(); i++) {
            String name = registration.get(i);
            if (order.contains(name)) {
                continue;
            }
            int at = 0;
            for (int k = i - 1; k >= 0; k--) {
                int pos = order.indexOf(registration.get(k));
                if (pos >= 0) {
                    at = pos + 1;
                    break;
                }
            }
            order.add(at, name);
        }
        return order;
    }

    private static boolean isLeaf(Node node, String type) {
        return node != null && node.layer != null && node.layer.type().equals(type);
    }

    // ---------------------------------------------------------------- signatures

    private String singleTensorInput() {
        List<Arg> args = spec.args();
        if (args.size() != 1 || args.get(0).kind() != ArgKind.TENSOR) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': a chain model must take exactly one tensor input, got inputs "
                            + argNames()
                            + "; "
                            + SUPPORTED);
        }
        return args.get(0).name();
    }

    private void expectArgs(String family, String signature, ArgKind... kinds) {
        List<Arg> args = spec.args();
        if (args.size() != kinds.length) {
            throw signatureMismatch(family, signature);
        }
        for (int i = 0; i < kinds.length; i++) {
            if (args.get(i).kind() != kinds[i] || args.get(i).optional()) {
                throw signatureMismatch(family, signature);
            }
        }
    }

    private void checkMultiLayerArgs() {
        String family = MultiLayerModule.TYPE;
        String signature = "(x, add_input=None, multidim_output=False)";
        List<Arg> args = spec.args();
        if (args.isEmpty()
                || args.size() > 3
                || args.get(0).kind() != ArgKind.TENSOR
                || args.get(0).optional()) {
            throw signatureMismatch(family, signature);
        }
        int i = 1;
        if (i < args.size() && args.get(i).name().equals(MultiLayerModule.ADD_INPUT)) {
            if (args.get(i).kind() != ArgKind.TENSOR || !args.get(i).optional()) {
                throw signatureMismatch(family, signature);
            }
            i++;
        }
        if (i < args.size() && args.get(i).name().equals(MultiLayerModule.MULTIDIM_OUTPUT)) {
            if (args.get(i).kind() != ArgKind.BOOL || !args.get(i).optional()) {
                throw signatureMismatch(family, signature);
            }
            i++;
        }
        if (i != args.size()) {
            throw signatureMismatch(family, signature);
        }
    }

    private IllegalArgumentException signatureMismatch(String family, String signature) {
        return new IllegalArgumentException(
                "model '"
                        + spec.id()
                        + "' has the modules of Captum's "
                        + family
                        + ", whose forward is "
                        + signature
                        + ", but its JSON inputs are "
                        + argNames());
    }

    private List<String> argNames() {
        List<String> names = new ArrayList<>();
        for (Arg a : spec.args()) {
            names.add(a.name() + ":" + a.kind().name().toLowerCase() + (a.optional() ? "?" : ""));
        }
        return names;
    }

    // ---------------------------------------------------------------- graph check

    private void checkAgainstGraph(
            ModuleBlock root, Map<String, String> types, Map<String, ModuleBlock> containers) {
        if (spec.graph().isEmpty()) {
            return;
        }
        List<String> expected = new ArrayList<>();
        for (GraphOp op : spec.graph()) {
            String name = types.containsKey(op.op()) ? op.op() : leadingName(op.op());
            ModuleBlock container = containers.get(name);
            if (container != null) {
                container.trace(name + ".", expected);
            } else if (types.containsKey(name)) {
                expected.add(name);
            }
        }
        List<String> actual = new ArrayList<>();
        root.trace("", actual);
        if (!expected.equals(actual)) {
            int i = 0;
            while (i < expected.size()
                    && i < actual.size()
                    && expected.get(i).equals(actual.get(i))) {
                i++;
            }
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': the graph does not match the recognised "
                            + root.moduleType()
                            + " structure: module call #"
                            + i
                            + " is '"
                            + (i < expected.size() ? expected.get(i) : "(end)")
                            + "' in the graph but '"
                            + (i < actual.size() ? actual.get(i) : "(end)")
                            + "' in the structure; "
                            + SUPPORTED);
        }
    }

    private static String leadingName(String op) {
        Matcher m = LEADING_NAME.matcher(op);
        return m.find() ? m.group() : "";
    }

}
