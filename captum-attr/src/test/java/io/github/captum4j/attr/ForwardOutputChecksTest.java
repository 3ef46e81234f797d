package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A forward output with the wrong batch, or non-finite gradients, fails loudly. */
class ForwardOutputChecksTest {

    private NDManager manager;

    private Inputs in;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        in = Inputs.of(manager.create(new float[] {1, -2, 3, -4, 5, 6, -7, 8}, new Shape(2, 4)));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void anOutputWithOneRowForTwoExamplesIsReported() {
        ForwardFunction oneRow = (x, args) -> x.get(0).get("0:1").mul(2);
        assertThatThrownBy(() -> new Saliency(oneRow).attribute(in, Target.index(0)).close())
                .isInstanceOf(AttributionException.class)
                .hasMessageContaining("one row per example")
                .hasMessageContaining("(2, 4)")
                .hasMessageContaining("(1, 4)");
    }

    @Test
    void anOutputWithTwiceTheRowsIsReported() {
        ForwardFunction twice = (x, args) -> x.get(0).concat(x.get(0), 0);
        assertThatThrownBy(() -> new Saliency(twice).attribute(in, Target.index(0)).close())
                .isInstanceOf(AttributionException.class)
                .hasMessageContaining("(4, 4)");
    }

    @Test
    void nanInANonTargetColumnIsReportedNamingTheMethodAndTheInput() {
        ForwardFunction nanColumn =
                (x, args) -> {
                    NDArray v = x.get(0);
                    return v.sum(new int[] {1}, true).concat(v.sqrt().sum(new int[] {1}, true), 1);
                };
        assertThatThrownBy(() -> new Saliency(nanColumn).attribute(in, Target.index(0)).close())
                .isInstanceOf(AttributionException.class)
                .hasMessageContaining("Saliency")
                .hasMessageContaining("input 0");
        int before = manager.getManagedArrays().size();
        ForwardFunction fine = (x, args) -> x.get(0).mul(3);
        try (Attribution a = new Saliency(fine).attribute(in, Target.index(1))) {
            assertThat(a.attribution(0).toFloatArray())
                    .containsExactly(0, 3, 0, 0, 0, 3, 0, 0);
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
