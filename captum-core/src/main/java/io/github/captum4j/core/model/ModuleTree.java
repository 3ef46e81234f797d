package io.github.captum4j.core.model;

import io.github.captum4j.core.model.ModelSpec.Layer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PyTorch module tree of an imported model, read from the dotted names of its JSON's leaf
 * layers, and the fixed container patterns recognised on it: {@code nn.Sequential} (children {@code
 * 0..n-1}), torchvision's {@code BasicBlock} / {@code Bottleneck} and ResNet root, and Captum's
 * {@code BasicModel_MultiLayer} family. Pure structure: no blocks, no weights. Not API.
 */
final class ModuleTree {

    private ModuleTree() {}

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
     * The module tree of a model: one node per dotted name of its leaf layers.
     *
     * @param spec the model
     * @return the root node
     */
    static Node of(ModelSpec spec) {
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

    static boolean isSequential(Node node) {
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

    static boolean isResidual(Node node) {
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

    static boolean isMultiLayer(Node node) {
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

    static boolean isMultiInput(Node node) {
        Map<String, Node> c = node.children;
        return node.layer == null
                && c.size() == 1
                && c.containsKey(MultiInputModule.MODEL)
                && isMultiLayer(c.get(MultiInputModule.MODEL));
    }

    static boolean isTrueMultiInput(Node node) {
        Map<String, Node> c = node.children;
        return node.layer == null
                && c.size() == 2
                && c.containsKey(TrueMultiInputModule.M1)
                && c.containsKey(TrueMultiInputModule.M234)
                && isMultiLayer(c.get(TrueMultiInputModule.M1))
                && isMultiInput(c.get(TrueMultiInputModule.M234));
    }

    static boolean isResNetRoot(Node root) {
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

    /** The top-level child a graph op runs (part of), or {@code null} if it names no module. */
    static String topLevel(Node root, String op) {
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

    /**
     * Execution order of the children that run, each child that never runs (Captum's {@code
     * linear1_alt}) kept right after the child registered before it.
     */
    static List<String> withUnused(List<String> registration, List<String> executed) {
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

    static boolean isLeaf(Node node, String type) {
        return node != null && node.layer != null && node.layer.type().equals(type);
    }
}
