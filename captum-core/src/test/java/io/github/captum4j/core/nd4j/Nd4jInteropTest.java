package io.github.captum4j.core.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.testing.NDArrayAssert;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** ND4J's and DJL's PyTorch natives in one JVM, and the conversions between their arrays. */
class Nd4jInteropTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void bothEnginesComputeInOneJvm() {
        INDArray w = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {3, 2}, 'c');
        INDArray x = Nd4j.create(new float[] {1, 0, -1, 2, 1, 0}, new long[] {2, 3}, 'c');
        INDArray nd4j = x.mmul(w);
        NDArray djl = Nd4jArrays.toNDArray(x, manager).matMul(Nd4jArrays.toNDArray(w, manager));
        assertThat(djl.toFloatArray()).containsExactly(nd4j.data().asFloat());
    }

    @Test
    void roundTripsKeepShapeTypeAndValues() {
        NDArray f = manager.create(new float[] {1.5f, -2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray d = manager.create(new double[] {1e-300, 2, 3}, new Shape(3, 1));
        NDArray l = manager.create(new long[] {1L << 40, -3}, new Shape(2));
        NDArray i = manager.create(new int[] {7, 8, 9, 10}, new Shape(2, 2));
        for (NDArray a : List.of(f, d, l, i)) {
            INDArray converted = Nd4jArrays.toINDArray(a);
            assertThat(converted.shape()).containsExactly(a.getShape().getShape());
            NDArray back = Nd4jArrays.toNDArray(converted, manager);
            assertThat(back.getDataType()).isEqualTo(a.getDataType());
            assertThat(back.contentEquals(a)).isTrue();
        }
        assertThat(Nd4jArrays.toINDArray(l).getLong(0)).isEqualTo(1L << 40);
    }

    @Test
    void viewsAndFortranOrderAreCopiedInCOrder() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c');
        NDArray t = Nd4jArrays.toNDArray(x.transpose(), manager);
        assertThat(t.getShape()).isEqualTo(new Shape(3, 2));
        assertThat(t.toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        NDArray row = Nd4jArrays.toNDArray(x.getRow(1), manager);
        assertThat(row.toFloatArray()).containsExactly(4, 5, 6);
    }

    @Test
    void copiesAreIndependentAndViewsShareMemory() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, 'c');
        NDArray copy = Nd4jArrays.toNDArray(x, manager);
        NDArray view = Nd4jArrays.view(x, manager);
        x.putScalar(0, 42f);
        assertThat(copy.getFloat(0)).isEqualTo(1f);
        assertThat(view.getFloat(0)).isEqualTo(42f);
        assertThatThrownBy(() -> Nd4jArrays.view(x.reshape('f', 3, 1).transpose(), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("array must be contiguous in C order");
    }

    @Test
    void anNd4jModelIsABlackBoxForwardFunction() {
        INDArray w = Nd4j.create(new double[] {0.5, -1, 2, 0.25}, new long[] {2, 2}, 'c');
        ForwardFunction f = Nd4jModel.forwardFunction(x -> x.mmul(w));
        assertThat(f.isDifferentiable()).isFalse();
        NDArray x = manager.create(new double[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray out = f.forward(new NDList(x), List.of());
        NDArray expected =
                x.matMul(manager.create(new double[] {0.5, -1, 2, 0.25}, new Shape(2, 2)));
        NDArrayAssert.assertThat(out).isCloseTo(expected, 1e-12, 1e-12);
        assertThat(out.getManager()).isSameAs(x.getManager());
        ForwardFunction withArgs =
                Nd4jModel.forwardFunction((xs, args) -> xs[0].mul((INDArray) args.get(0)));
        NDArray scale = manager.create(new double[] {2, 3}, new Shape(2, 1));
        assertThat(withArgs.forward(new NDList(x), List.of(scale)).toDoubleArray())
                .containsExactly(2, 4, 9, 12);
        assertThat(Nd4jArrays.nd4jType(DataType.FLOAT32))
                .isEqualTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }
}
