package io.github.captum4j.attr.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.neuron.NeuronSelector.Dim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Captum's three neuron_selector forms: index tuple, slices (summed), function. */
class NeuronSelectorTest {

    private NDManager manager;
    private NDList layer;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        // (N=2, C=3, H=2, W=2): value = 100 n + 10 c + 2 h + w
        float[] v = new float[24];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 2; w++) {
                        v[((n * 3 + c) * 2 + h) * 2 + w] = 100 * n + 10 * c + 2 * h + w;
                    }
                }
            }
        }
        layer = new NDList(manager.create(v, new ai.djl.ndarray.types.Shape(2, 3, 2, 2)));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void anIndexTupleSelectsOneNeuronPerExample() {
        assertThat(NeuronSelector.index(2, 1, 0).select(layer).toFloatArray())
                .containsExactly(22f, 122f);
    }

    @Test
    void slicesSumTheSelectedBoxPerExample() {
        NDArray s = NeuronSelector.slices(Dim.at(1), Dim.range(0, 2)).select(layer);
        // c = 1, all h, all w: 4 values 10 + {0, 1, 2, 3}
        assertThat(s.toFloatArray()).containsExactly(46f, 446f);
    }

    @Test
    void aFunctionMayAggregateTheLayer() {
        NDArray s = NeuronSelector.function(v -> v.get(0).get(":, 0, 0, 0").mul(2)).select(layer);
        assertThat(s.toFloatArray()).containsExactly(0f, 200f);
    }

    @Test
    void selectorsThatDoNotFitTheLayerAreRejected() {
        assertThatThrownBy(() -> NeuronSelector.index(1, 1).select(layer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one index per non-batch dimension");
        assertThatThrownBy(() -> NeuronSelector.index(3, 0, 0).select(layer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> NeuronSelector.index(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> NeuronSelector.function(v -> v.get(0)).select(layer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one value per example");
    }
}
