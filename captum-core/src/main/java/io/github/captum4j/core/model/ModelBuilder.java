package io.github.captum4j.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import io.github.captum4j.core.model.ModelSpec.ArgKind;
import io.github.captum4j.core.model.ModelSpec.GraphOp;
import io.github.captum4j.core.model.ModuleTree.Node;
import io.github.captum4j.core.model.SequentialModule.ModuleStep;
import io.github.captum4j.core.model.SequentialModule.Step;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    static final String SUPPORTED =
            "supported are (1) chains of modules described by the JSON graph, with leaf types "
                    + LEAF_TYPES
                    + ", containers nn.Sequential and torchvision BasicBlock / Bottleneck"
                    + " (ResNets), and the functions flatten(start_dim=k) and mean(dim=k) between"
                    + " modules; (2) Captum's test models BasicModel_MultiLayer,"
                    + " BasicModel_MultiLayer_MultiInput and BasicModel_MultiLayer_TrueMultiInput";

    private static final Pattern SCALE = Pattern.compile("scale\\s*=\\s*(-?\\d+)");
    private static final Pattern LEADING_NAME = Pattern.compile("^[A-Za-z0-9_.]+");

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



    private final ModelSpec spec;
    private final NDManager manager;
    private final WeightSource weights;
    private final LayerFactory factory;
    private final ModelSignatures signatures;
    private final ChainReader chains;
    private boolean graphExecuted;

    private ModelBuilder(ModelSpec spec, NDManager manager, WeightSource weights) {
        this.spec = spec;
        this.manager = manager;
        this.weights = weights;
        this.factory = new LayerFactory(spec.id(), manager, weights);
        this.signatures = new ModelSignatures(spec);
        this.chains = new ChainReader(spec, signatures, this::node);
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
        Node tree = ModuleTree.of(spec);
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


    // ---------------------------------------------------------------- containers

    private ModuleBlock root(Node root) {
        if (ModuleTree.isTrueMultiInput(root)) {
            signatures.expectArgs(
                    "BasicModel_MultiLayer_TrueMultiInput",
                    "(x1, x2, x3)",
                    ArgKind.TENSOR,
                    ArgKind.TENSOR,
                    ArgKind.TENSOR);
            return trueMultiInput(root);
        }
        if (ModuleTree.isMultiInput(root)) {
            signatures.expectArgs(
                    "BasicModel_MultiLayer_MultiInput",
                    "(x1, x2, x3, scale: int)",
                    ArgKind.TENSOR,
                    ArgKind.TENSOR,
                    ArgKind.TENSOR,
                    ArgKind.INT);
            if (!spec.args().get(3).name().equals(MultiInputModule.SCALE)) {
                throw signatures.signatureMismatch(
                        "BasicModel_MultiLayer_MultiInput", "(x1, x2, x3, scale: int)");
            }
            return multiInput(root);
        }
        if (ModuleTree.isMultiLayer(root)) {
            signatures.checkMultiLayerArgs();
            return multiLayer(root);
        }
        if (!spec.graph().isEmpty()) {
            if (chains.needsGraphExecutor(root)) {
                graphExecuted = true;
                return new GraphBuilder(spec, factory, this::container, root).build(root);
            }
            return chains.chain(root);
        }
        if (ModuleTree.isResNetRoot(root)) {
            signatures.singleTensorInput();
            return resNetWithoutGraph(root);
        }
        if (ModuleTree.isSequential(root)) {
            signatures.singleTensorInput();
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
        if (ModuleTree.isSequential(node)) {
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
        if (ModuleTree.isResidual(node)) {
            return residual(node);
        }
        if (ModuleTree.isTrueMultiInput(node)) {
            return trueMultiInput(node);
        }
        if (ModuleTree.isMultiInput(node)) {
            return multiInput(node);
        }
        if (ModuleTree.isMultiLayer(node)) {
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


    private ModuleBlock multiLayer(Node node) {
        MultiLayerModule m = new MultiLayerModule();
        List<String> order =
                ModuleTree.withUnused(new ArrayList<>(node.children.keySet()), MultiLayerModule.USED);
        for (String name : order) {
            m.addModule(name, node(node.children.get(name)));
        }
        return m;
    }


    private ModuleBlock multiInput(Node node) {
        MultiInputModule m = new MultiInputModule();
        m.addModule(MultiInputModule.MODEL, node(node.children.get(MultiInputModule.MODEL)));
        return m;
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


    private ModuleBlock resNetWithoutGraph(Node root) {
        List<Step> steps = new ArrayList<>();
        for (String name : List.of("conv1", "bn1", "relu", "maxpool")) {
            steps.add(new ModuleStep(name));
        }
        for (int i = 1; root.children.containsKey("layer" + i); i++) {
            steps.add(new ModuleStep("layer" + i));
        }
        steps.add(new ModuleStep("avgpool"));
        steps.add(chains.function("flatten(start_dim=1)"));
        steps.add(new ModuleStep("fc"));
        return chains.chainModule(root, steps);
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
