package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.model.ModelSpec.Layer;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A garbage collection between the forward and the backward pass changes no gradient of an
 * imported model's layers. DJL's {@code Number} overloads ({@code x.mul(2f)}) put the number in a
 * Java direct buffer that autograd saves without owning: once the GC frees it, the backward pass
 * read freed memory (the 8-thread "race" of issue 19 and the MobileNetV2 LRP relevance of exactly
 * 0). Before the fix every case here returned garbage on most calls.
 */
class GcBetweenPassesTest {

    private static final int CALLS = 4;

    private static NDManager base;

    @BeforeAll
    static void openManager() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ReLU6", "Hardswish", "GELU-tanh", "Softplus"})
    void activationGradientsSurviveAGcBeforeTheBackwardPass(String type) {
        try (NDManager m = base.newSubManager()) {
            Map<String, Object> attributes =
                    switch (type) {
                        case "GELU-tanh" -> Map.of("approximate", "tanh");
                        case "Softplus" -> Map.of("beta", 2.0, "threshold", 3.0);
                        default -> Map.of();
                    };
            String torchType = type.equals("GELU-tanh") ? "GELU" : type;
            Block leaf = new LayerFactory("gc", m, null).leaf(new Layer("act", torchType, attributes));
            ForwardFunction f = ForwardFunction.of(leaf);
            // values across every branch: below -3, between -3 and 3 (Hardswish), above 6 (ReLU6)
            float[] v = TestModels.gaussian(2 * 40, 3);
            for (int i = 0; i < v.length; i++) {
                v[i] *= 5;
            }
            NDArray x = m.create(v, new Shape(2, 40));
            assertGcChangesNothing(f, new NDList(x), Target.index(7));
        }
    }

    @Test
    void attentionGradientsSurviveAGcBeforeTheBackwardPass() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model =
                        ImportedModel.load(
                                TestModels.model("bert_encoder_embeddings.json"), m)) {
            NDArray x = m.create(TestModels.gaussian(2 * 12 * 16, 5), new Shape(2, 12, 16));
            assertGcChangesNothing(model.forwardFunction(), new NDList(x), Target.index(1));
        }
    }

    private static void assertGcChangesNothing(ForwardFunction f, NDList x, Target target) {
        float[] expected = gradient(f, x, target);
        ForwardFunction collecting =
                (in, args) -> {
                    NDArray out = f.forward(in, args);
                    collectGarbage();
                    return out;
                };
        for (int call = 0; call < CALLS; call++) {
            assertThat(gradient(collecting, x, target)).as("call %d", call).containsExactly(expected);
        }
    }

    private static float[] gradient(ForwardFunction f, NDList x, Target target) {
        try (NDManager scratch = x.head().getManager().newSubManager()) {
            NDList inputs = new NDList(x.head().duplicate());
            inputs.attach(scratch);
            return Gradients.compute(f, inputs, List.of(), target).gradients().head().toFloatArray();
        }
    }

    /** A full GC, then time for the reference handler to free unreachable direct buffers. */
    static void collectGarbage() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
