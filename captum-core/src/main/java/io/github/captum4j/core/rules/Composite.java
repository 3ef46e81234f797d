package io.github.captum4j.core.rules;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An ordered map from modules to {@link Rule}s: the first binding that matches a module call gives
 * its rule; modules no binding matches keep autograd's gradient. Immutable: {@code with...} return
 * a new composite. Bindings match by PyTorch class name ({@link #withType}, appended, so earlier
 * types win) or by dotted module name ({@link #withLayer}, prepended, so a named layer wins over
 * any type binding), as Zennit's composites do.
 *
 * <pre>{@code
 * Composite c = Composite.guidedBackprop().withLayer("fc2", Rules.identity());
 * }</pre>
 */
public final class Composite {

    /** PyTorch activation classes DeepLift's Rescale rule applies to (as in Captum). */
    public static final Set<String> NONLINEAR_TYPES =
            Set.of("ReLU", "ELU", "LeakyReLU", "Sigmoid", "Tanh", "Softplus");

    /** PyTorch max-pooling classes DeepLift's max-pool rule applies to (as in Captum). */
    public static final Set<String> MAX_POOL_TYPES = Set.of("MaxPool1d", "MaxPool2d", "MaxPool3d");

    private record Binding(Predicate<ModuleCall> matches, Rule rule, String description) {}

    private static final float ZENNIT_EPSILON = 1e-6f;

    private static final Composite EMPTY = new Composite(List.of(), false);

    private final List<Binding> bindings;
    private final boolean captumHookOrder;

    private Composite(List<Binding> bindings, boolean captumHookOrder) {
        this.bindings = Collections.unmodifiableList(bindings);
        this.captumHookOrder = captumHookOrder;
    }

    /**
     * Whether a ruled module whose output feeds another ruled module directly (a ReLU before a max
     * pooling) sees, as its output gradient, autograd's gradient of the consumer rather than the
     * consumer's rule gradient. Captum's module hooks behave so (the producer's output hook fires
     * before the consumer's input hook rewrites the gradient); DeepLift's Captum numbers depend on
     * it. The rule gradient still flows on down the network.
     *
     * @return the flag
     */
    public boolean captumHookOrder() {
        return captumHookOrder;
    }

    /**
     * This composite with {@link #captumHookOrder()} set.
     *
     * @param value the flag
     * @return a new composite
     */
    public Composite withCaptumHookOrder(boolean value) {
        return new Composite(bindings, value);
    }

    /**
     * The composite without rules: plain autograd.
     *
     * @return the empty composite
     */
    public static Composite empty() {
        return EMPTY;
    }

    /**
     * DeepLift's Rescale rule on activations, its max-pool rule on max pooling and Captum's softmax
     * rule ({@link Rules#rescaleSoftmax}) on {@code nn.Softmax} modules (Captum's {@code
     * SUPPORTED_NON_LINEAR}), for a batch holding the inputs then the baselines, with Captum's hook
     * order ({@link #captumHookOrder()}). Every other module (GELU, LayerNorm, Linear, ...) and every
     * function between modules (matmul, add, mean) is differentiated by autograd, as in Captum.
     *
     * @param eps below this \( |x - x'| \) the module's gradient is used instead of the ratio
     * @return the composite
     */
    public static Composite deepLift(float eps) {
        Composite c = EMPTY;
        for (String t : NONLINEAR_TYPES) {
            c = c.withType(t, Rules.rescale(eps));
        }
        for (String t : MAX_POOL_TYPES) {
            c = c.withType(t, Rules.rescaleMaxPool(eps));
        }
        c = c.withType("Softmax", Rules.rescaleSoftmax(eps));
        return c.withCaptumHookOrder(true);
    }

    /**
     * Guided backpropagation: ReLU modules pass \( \max(0, \partial_x) \).
     *
     * @return the composite
     */
    public static Composite guidedBackprop() {
        return EMPTY.withType("ReLU", Rules.guided());
    }

    /**
     * Deconvolution: ReLU modules pass \( \max(0, g) \) of the gradient at their output.
     *
     * @return the composite
     */
    public static Composite deconvolution() {
        return EMPTY.withType("ReLU", Rules.deconvolution());
    }

    /** PyTorch classes Captum's LRP gives the epsilon rule by default. */
    public static final Set<String> LRP_EPSILON_TYPES =
            Set.of(
                    "Linear",
                    "Conv2d",
                    "MaxPool1d",
                    "MaxPool2d",
                    "MaxPool3d",
                    "AvgPool2d",
                    "AdaptiveAvgPool2d",
                    "BatchNorm2d");

    /** PyTorch classes Captum's LRP passes relevance through unchanged. */
    public static final Set<String> LRP_PASS_TYPES = Set.of("ReLU", "Dropout", "Tanh");

    /**
     * Captum's default LRP rules: epsilon ({@value LrpRules#DEFAULT_EPSILON}) on linear,
     * convolution, pooling and BatchNorm modules; relevance passed through ReLU, Dropout and Tanh.
     *
     * @return the composite
     */
    public static Composite lrp() {
        Composite c = EMPTY;
        for (String t : new TreeSet<>(LRP_EPSILON_TYPES)) {
            c = c.withType(t, LrpRules.epsilon(LrpRules.DEFAULT_EPSILON));
        }
        for (String t : new TreeSet<>(LRP_PASS_TYPES)) {
            c = c.withType(t, LrpRules.pass());
        }
        return c;
    }

    /**
     * Zennit's EpsilonGammaBox: the z-box rule on the first layer, gamma ({@value
     * LrpRules#DEFAULT_GAMMA}) on convolutions, epsilon ({@code 1e-6}) on linear layers, the rest
     * of {@link #lrp()}.
     *
     * @param firstLayer the dotted name of the layer that sees the input
     * @param low the lowest input value
     * @param high the highest input value
     * @return the composite
     */
    public static Composite epsilonGammaBox(String firstLayer, float low, float high) {
        return lrp().overrideType("Conv2d", LrpRules.gamma(LrpRules.DEFAULT_GAMMA))
                .overrideType("Linear", LrpRules.epsilon(ZENNIT_EPSILON))
                .withLayer(firstLayer, LrpRules.zBox(low, high));
    }

    /**
     * Adds a binding by PyTorch class name after the existing ones.
     *
     * @param type the class name, e.g. {@code ReLU}
     * @param rule the rule
     * @return a new composite
     */
    public Composite withType(String type, Rule rule) {
        Checks.notNull(type, "type");
        Checks.notNull(rule, "rule");
        List<Binding> out = new ArrayList<>(bindings);
        out.add(new Binding(c -> !c.container() && c.type().equals(type), rule, "type " + type));
        return new Composite(out, captumHookOrder);
    }

    /**
     * Adds a binding by PyTorch class name before the existing ones (overriding a preset's).
     *
     * @param type the class name, e.g. {@code Conv2d}
     * @param rule the rule
     * @return a new composite
     */
    public Composite overrideType(String type, Rule rule) {
        Checks.notNull(type, "type");
        Checks.notNull(rule, "rule");
        return prepend(
                new Binding(c -> !c.container() && c.type().equals(type), rule, "type " + type));
    }

    private Composite prepend(Binding b) {
        List<Binding> out = new ArrayList<>(bindings.size() + 1);
        out.add(b);
        out.addAll(bindings);
        return new Composite(out, captumHookOrder);
    }

    /**
     * Adds a binding for one module, by dotted name, before the existing ones.
     *
     * @param name the module's dotted name, e.g. {@code layer4.1.conv2}
     * @param rule the rule
     * @return a new composite
     */
    public Composite withLayer(String name, Rule rule) {
        Checks.notNull(name, "name");
        Checks.notNull(rule, "rule");
        return prepend(new Binding(c -> c.name().equals(name), rule, "layer " + name));
    }

    /**
     * The rule of the first binding matching a call.
     *
     * @param call the module call
     * @return the rule, or empty for autograd
     */
    public Optional<Rule> ruleFor(ModuleCall call) {
        for (Binding b : bindings) {
            if (b.matches().test(call)) {
                return Optional.of(b.rule());
            }
        }
        return Optional.empty();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        List<String> d = new ArrayList<>();
        for (Binding b : bindings) {
            d.add(b.description());
        }
        return "Composite" + d;
    }
}
