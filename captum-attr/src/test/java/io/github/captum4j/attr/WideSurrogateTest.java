package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KernelShap and Lime on an unmasked image, one feature per element (49,152 for 3x128x128): the
 * surrogate is solved in the samples' dimension, as Captum's underdetermined least squares.
 */
class WideSurrogateTest {

    private static final Shape IMAGE = new Shape(1, 3, 128, 128);

    private static final int FEATURES = 3 * 128 * 128;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * KernelShap's first two samples are the full and the empty coalition with the largest
     * weights; with fewer samples than features the minimum-norm fit interpolates them, so the
     * coefficients sum to {@code f(x) - f(baseline)}.
     */
    @Test
    void kernelShapOnAnUnmaskedImageSumsToTheOutputDifference() {
        ForwardFunction f = ForwardFunction.blackBox(TestModels.linear(FEATURES, 2, 7));
        NDArray x = manager.create(TestModels.gaussian(FEATURES, 8), IMAGE);
        Inputs in = Inputs.of(x).withBaselines(Baselines.scalar(0f));
        float fx = f.forward(new NDList(x), null).getFloat(0, 1);
        float f0 =
                f.forward(new NDList(manager.zeros(IMAGE)), null)
                        
                        .getFloat(0, 1);
        try (Attribution a =
                new KernelShap(f)
                        .attribute(
                                in,
                                Target.index(1),
                                Lime.Options.builder().nSamples(30).seed(1).build())) {
            NDArray attr = a.attribution(0);
            assertThat(attr.getShape()).isEqualTo(IMAGE);
            double sum = attr.toType(DataType.FLOAT64, false).sum().getDouble();
            assertThat(sum).isCloseTo(fx - f0, within(1e-3 * (1 + Math.abs(fx - f0))));
        }
    }

    @Test
    void aSampleCountThatCannotFitFailsUpFrontNamingNSamples() {
        ForwardFunction f = ForwardFunction.blackBox(TestModels.linear(FEATURES, 2, 7));
        NDArray x = manager.create(TestModels.gaussian(FEATURES, 8), IMAGE);
        Inputs in = Inputs.of(x).withBaselines(Baselines.scalar(0f));
        int before = manager.getManagedArrays().size();
        // 50,000 samples x 49,152 features: 2.5e9 samples' entries, beyond any Java array.
        Lime.Options options = Lime.Options.builder().nSamples(50_000).seed(1).build();
        assertThatThrownBy(() -> new KernelShap(f).attribute(in, Target.index(1), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSamples")
                .hasMessageContaining("50000");
        assertThatThrownBy(() -> new Lime(f).attribute(in, Target.index(1), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSamples")
                .hasMessageContaining("50000");
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
