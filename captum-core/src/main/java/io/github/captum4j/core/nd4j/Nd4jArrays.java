package io.github.captum4j.core.nd4j;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.lang.ref.Reference;

/**
 * Conversion between ND4J's {@link INDArray} and DJL's {@link NDArray}, native memory to native
 * memory: {@link #toNDArray} and {@link #toINDArray} copy once (no round trip through Java arrays);
 * {@link #view} shares ND4J's memory without any copy.
 *
 * <p>Supported types: float32, float64, float16, int8, uint8, int32, int64, boolean. Views and
 * Fortran-ordered ND4J arrays are first made contiguous in C order.
 *
 * <pre>{@code
 * NDArray x = Nd4jArrays.toNDArray(features, manager);     // INDArray -> NDArray
 * INDArray heat = Nd4jArrays.toINDArray(a.attribution(0)); // NDArray -> INDArray
 * }</pre>
 */
public final class Nd4jArrays {

    /** Corresponding types, pairwise. */
    private static final DataType[] DJL_TYPES = {
        DataType.FLOAT32,
        DataType.FLOAT64,
        DataType.FLOAT16,
        DataType.INT8,
        DataType.UINT8,
        DataType.INT32,
        DataType.INT64,
        DataType.BOOLEAN
    };

    private static final org.nd4j.linalg.api.buffer.DataType[] ND4J_TYPES = {
        org.nd4j.linalg.api.buffer.DataType.FLOAT,
        org.nd4j.linalg.api.buffer.DataType.DOUBLE,
        org.nd4j.linalg.api.buffer.DataType.HALF,
        org.nd4j.linalg.api.buffer.DataType.BYTE,
        org.nd4j.linalg.api.buffer.DataType.UBYTE,
        org.nd4j.linalg.api.buffer.DataType.INT,
        org.nd4j.linalg.api.buffer.DataType.LONG,
        org.nd4j.linalg.api.buffer.DataType.BOOL
    };

    private Nd4jArrays() {}

    /**
     * Copies an ND4J array into a new DJL array (one native copy).
     *
     * @param array the ND4J array
     * @param manager the manager of the new array
     * @return the DJL array, same shape, type and values
     */
    public static NDArray toNDArray(INDArray array, NDManager manager) {
        Checks.notNull(manager, "manager");
        Checks.notNull(array, "array");
        INDArray c = array.ordering() == 'c' && !array.isView() ? array : array.dup('c');
        if (c.length() == 0) {
            return manager.create(shape(c), djlType(c));
        }
        // DJL wraps a direct buffer without copying: wrap, clone into memory libtorch owns (the
        // one copy), drop the wrapper; ND4J's memory must stay reachable until then.
        try (NDArray shared = manager.create(bytes(c), shape(c), djlType(c))) {
            return shared.duplicate();
        } finally {
            Reference.reachabilityFence(c);
        }
    }

    /**
     * A DJL array over the same memory as an ND4J array (no copy): writes through either are seen
     * by both. The ND4J array (C-ordered, not a view) must stay reachable while the DJL array is
     * used, since ND4J frees its memory when it is garbage collected.
     *
     * @param array the ND4J array, contiguous in C order
     * @param manager the manager of the new array
     * @return the DJL array sharing the memory
     */
    public static NDArray view(INDArray array, NDManager manager) {
        Checks.notNull(array, "array");
        Checks.notNull(manager, "manager");
        Checks.argument(
                array.ordering() == 'c' && !array.isView(),
                "array must be contiguous in C order to be shared without a copy, got ordering"
                        + " '%s'%s; use toNDArray",
                array.ordering(),
                array.isView() ? " (a view)" : "");
        return manager.create(bytes(array), shape(array), djlType(array));
    }

    /**
     * Copies a DJL array into a new ND4J array (C order).
     *
     * @param array the DJL array
     * @return the ND4J array, same shape, type and values
     */
    public static INDArray toINDArray(NDArray array) {
        Checks.notNull(array, "array");
        org.nd4j.linalg.api.buffer.DataType type = nd4jType(array.getDataType());
        long[] shape = array.getShape().getShape();
        INDArray out = Nd4j.create(type, shape, 'c');
        if (array.getShape().size() > 0) {
            ByteBuffer target = out.data().asNio().order(ByteOrder.nativeOrder());
            ByteBuffer source = array.toByteBuffer().order(ByteOrder.nativeOrder());
            target.put(source);
        }
        return out;
    }

    /**
     * The DJL type of an ND4J type.
     *
     * @param type the ND4J type
     * @return the DJL type
     */
    public static DataType djlType(org.nd4j.linalg.api.buffer.DataType type) {
        for (int i = 0; i < ND4J_TYPES.length; i++) {
            if (ND4J_TYPES[i] == type) {
                return DJL_TYPES[i];
            }
        }
        throw new IllegalArgumentException(
                "array type must be one of " + Arrays.toString(ND4J_TYPES) + ", got " + type);
    }

    /**
     * The ND4J type of a DJL type.
     *
     * @param type the DJL type
     * @return the ND4J type
     */
    public static org.nd4j.linalg.api.buffer.DataType nd4jType(DataType type) {
        for (int i = 0; i < DJL_TYPES.length; i++) {
            if (DJL_TYPES[i] == type) {
                return ND4J_TYPES[i];
            }
        }
        throw new IllegalArgumentException(
                "array type must be one of " + Arrays.toString(DJL_TYPES) + ", got " + type);
    }

    private static DataType djlType(INDArray array) {
        return djlType(array.dataType());
    }

    private static Shape shape(INDArray array) {
        return new Shape(array.shape());
    }

    /** The bytes of a C-ordered, non-view array, as a direct buffer over ND4J's memory. */
    private static ByteBuffer bytes(INDArray c) {
        int width = c.dataType().width();
        ByteBuffer all = c.data().asNio().order(ByteOrder.nativeOrder());
        all.position(Math.toIntExact(c.offset() * width));
        all.limit(Math.toIntExact((c.offset() + c.length()) * width));
        return all.slice().order(ByteOrder.nativeOrder());
    }
}
