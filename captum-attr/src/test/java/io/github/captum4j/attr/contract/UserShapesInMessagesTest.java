package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every registered algorithm's errors quote the caller's shapes, never the expanded batches the
 * model runs on internally (path steps, noise samples, perturbed copies): a bad target index, a
 * per-example target out of range, and (on the lambda fixture, whose model can be swapped) a model
 * returning one row for the batch or a flat output. Only the shape the model itself returned may
 * differ from the caller's.
 */
class UserShapesInMessagesTest {

    /** A shape as messages print it: {@code (2, 4)} or {@code (8,)}. */
    private static final Pattern SHAPE = Pattern.compile("\\((\\d+(?:, \\d+)+|\\d+,)\\)");

    /** The model's own returned shape, the one shape a message may quote from inside. */
    private static final Pattern RETURNED = Pattern.compile("returned shape \\([^)]*\\)");

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static List<AlgorithmSpec> algorithms() {
        return AlgorithmRegistry.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void errorsQuoteTheCallersShapes(AlgorithmSpec spec) {
        Fixture fx = spec.fixture;
        try (NDManager local = manager.newSubManager()) {
            Inputs in = fx.inputs(local, 3);
            Set<String> allowed = allowedShapes(in, fx);
            AlgorithmSpec.Call call = spec.factory.apply(fx.model());
            check(spec, allowed, () -> call.attribute(in, Target.index(99), 1).close());
            int[] rows = new int[fx.batch()];
            rows[fx.batch() - 1] = 99;
            check(spec, allowed, () -> call.attribute(in, Target.perExample(rows), 1).close());
            if (fx.lambda()) {
                ForwardFunction f = fx.model();
                ForwardFunction oneRow = (x, args) -> f.forward(x, args).get("0:1");
                ForwardFunction flat = (x, args) -> f.forward(x, args).flatten();
                for (ForwardFunction bad : List.of(oneRow, flat)) {
                    AlgorithmSpec.Call c = spec.factory.apply(bad);
                    check(spec, allowed, () -> c.attribute(in, fx.target(), 1).close());
                }
            }
        }
    }

    private static Set<String> allowedShapes(Inputs in, Fixture fx) {
        Set<String> allowed = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            Shape s = in.get(i).getShape();
            allowed.add(print(s));
            allowed.add(print(s.slice(1)));
        }
        allowed.add(print(new Shape(fx.batch(), fx.outputs())));
        allowed.add(print(new Shape(fx.batch())));
        return allowed;
    }

    private static void check(AlgorithmSpec spec, Set<String> allowed, Runnable call) {
        String message = null;
        try {
            call.run();
        } catch (IllegalArgumentException | AttributionException e) {
            message = e.getMessage();
        }
        if (message == null) {
            return; // a method that does not read this target or output (LayerActivation)
        }
        Matcher m = SHAPE.matcher(RETURNED.matcher(message).replaceAll(""));
        while (m.find()) {
            assertThat(allowed)
                    .as("%s: shape %s in \"%s\"", spec, m.group(), message)
                    .contains(m.group());
        }
    }

    private static String print(Shape s) {
        long[] d = s.getShape();
        if (d.length == 1) {
            return "(" + d[0] + ",)";
        }
        String t = java.util.Arrays.toString(d);
        return "(" + t.substring(1, t.length() - 1) + ")";
    }
}
