package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.function.BinaryOperator;

/**
 * Array-by-number operations that stay right when a backward pass follows: use these, never DJL's
 * {@code NDArray} overloads taking a {@code Number} ({@code x.mul(2f)}, {@code div}, {@code pow},
 * {@code maximum}, {@code minimum}), in anything that runs with gradients recorded.
 *
 * <p>Why: DJL 0.36's PyTorch engine makes the number a scalar tensor over a Java direct buffer
 * ({@code torch::from_blob}, memory libtorch does not own) and closes it as soon as the operation
 * returns. Autograd saves that scalar for the backward pass of {@code mul}, {@code div}, {@code
 * pow}, {@code maximum} and {@code minimum}; once the garbage collector frees the buffer, the
 * backward pass reads freed memory and returns garbage gradients (1e10 and more, or exactly zero
 * through a ReLU6). It needs a GC between a forward and its backward pass, so it shows rarely: about
 * 1 in 4,000 gradient calls with 8 threads (more allocation, more GCs), never in a short
 * single-threaded run. Here the scalar is allocated by libtorch ({@code torch::full}), which the
 * saved tensor keeps alive. ({@code add} and {@code sub} save no operand, so their {@code Number}
 * overloads are safe.)
 *
 * <p>Each scalar is {@code float32}, as DJL's {@code create(float)}: the result's type and values
 * equal the {@code Number} overload's.
 *
 * <p>Not API: may change without notice.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A scalar in libtorch's own memory, in {@code like}'s manager.
     *
     * @param like an array whose manager receives the scalar
     * @param value the value
     * @return a {@code float32} scalar (shape {@code ()})
     */
    public static NDArray scalar(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, DataType.FLOAT32);
    }

    /**
     * {@code x * value}.
     *
     * @param x the array
     * @param value the factor
     * @return the product
     */
    public static NDArray mul(NDArray x, float value) {
        return apply(x, value, NDArray::mul);
    }

    /**
     * {@code x / value}.
     *
     * @param x the array
     * @param value the divisor
     * @return the quotient
     */
    public static NDArray div(NDArray x, float value) {
        return apply(x, value, NDArray::div);
    }

    /**
     * {@code x ^ value}.
     *
     * @param x the array
     * @param value the exponent
     * @return the power
     */
    public static NDArray pow(NDArray x, float value) {
        return apply(x, value, NDArray::pow);
    }

    /**
     * {@code max(x, value)} element-wise.
     *
     * @param x the array
     * @param value the bound
     * @return the maximum
     */
    public static NDArray maximum(NDArray x, float value) {
        return apply(x, value, NDArray::maximum);
    }

    /**
     * {@code min(x, value)} element-wise.
     *
     * @param x the array
     * @param value the bound
     * @return the minimum
     */
    public static NDArray minimum(NDArray x, float value) {
        return apply(x, value, NDArray::minimum);
    }

    /** {@code op(x, value)} with the scalar closed as soon as the result exists. */
    private static NDArray apply(NDArray x, float value, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, value)) {
            return op.apply(x, s);
        }
    }
}
