package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

/**
 * Results are owned, contiguous arrays: reading them ({@code toFloatArray}) and closing them leaves
 * nothing behind in the caller's manager, call after call.
 */
class OwnedResultsTest {

    private static final int CALLS = 100;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Two inputs {@code (2, 3)} and {@code (2, 2)}, summed with weights: {@code (2, 2)}. */
    private static final ForwardFunction TWO_INPUTS =
            ForwardFunction.blackBox(
                    (inputs, args) -> {
                        NDArray a = inputs.get(0).mul(2).sum(new int[] {1}, true);
                        NDArray b = inputs.get(1).mul(-1).sum(new int[] {1}, true);
                        return a.concat(b, 1);
                    });

    @Test
    void kernelShapLimeAndShapleyValueSamplingLeaveNothingInTheCallersManager() {
        NDArray x0 = manager.create(TestModels.gaussian(6, 1), new Shape(2, 3));
        NDArray x1 = manager.create(TestModels.gaussian(4, 2), new Shape(2, 2));
        Inputs in = Inputs.of(x0, x1);
        assertOwned(
                in,
                i ->
                        new KernelShap(TWO_INPUTS)
                                .attribute(
                                        i,
                                        Target.index(0),
                                        Lime.Options.builder().nSamples(20).seed(1).build()));
        assertOwned(
                in,
                i ->
                        new Lime(TWO_INPUTS)
                                .attribute(
                                        i,
                                        Target.index(0),
                                        Lime.Options.builder().nSamples(20).seed(1).build()));
        assertOwned(
                in,
                i ->
                        new ShapleyValueSampling(TWO_INPUTS)
                                .attribute(
                                        i,
                                        Target.index(1),
                                        ShapleyValueSampling.Options.builder()
                                                .nSamples(2)
                                                .seed(1)
                                                .build()));
    }

    private void assertOwned(Inputs in, Function<Inputs, Attribution> method) {
        int before = manager.getManagedArrays().size();
        for (int k = 0; k < CALLS; k++) {
            try (Attribution a = method.apply(in)) {
                for (NDArray r : a.attributions()) {
                    assertThat(r.toFloatArray()).hasSize((int) r.size());
                }
            }
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
