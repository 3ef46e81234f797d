package io.github.captum4j.core.testing;

import ai.djl.ndarray.NDArray;

import org.assertj.core.api.AbstractAssert;

import java.util.Arrays;

/**
 * AssertJ assertions on NDArrays: shape first, then values within {@code atol + rtol·|expected|}.
 *
 * <pre>{@code
 * NDArrayAssert.assertThat(actual).isCloseTo(expected, 1e-4, 1e-6);
 * }</pre>
 */
public final class NDArrayAssert extends AbstractAssert<NDArrayAssert, NDArray> {

    private NDArrayAssert(NDArray actual) {
        super(actual, NDArrayAssert.class);
    }

    /**
     * Starts an assertion.
     *
     * @param actual the array
     * @return the assertion
     */
    public static NDArrayAssert assertThat(NDArray actual) {
        return new NDArrayAssert(actual);
    }

    /**
     * Checks the shape.
     *
     * @param dims expected dimensions
     * @return this
     */
    public NDArrayAssert hasShape(long... dims) {
        isNotNull();
        if (!Arrays.equals(actual.getShape().getShape(), dims)) {
            failWithMessage(
                    "expected shape %s but was %s", Arrays.toString(dims), actual.getShape());
        }
        return this;
    }

    /**
     * Checks shape and values against another array.
     *
     * @param expected the expected array
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @return this
     */
    public NDArrayAssert isCloseTo(NDArray expected, double rtol, double atol) {
        hasShape(expected.getShape().getShape());
        return isCloseTo(toDoubles(expected), rtol, atol);
    }

    /**
     * Checks values (row-major) against expected numbers.
     *
     * @param expected expected values, row-major
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @return this
     */
    public NDArrayAssert isCloseTo(double[] expected, double rtol, double atol) {
        isNotNull();
        double[] a = toDoubles(actual);
        if (a.length != expected.length) {
            failWithMessage(
                    "expected %s values but was %s (shape %s)",
                    expected.length, a.length, actual.getShape());
        }
        for (int i = 0; i < a.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            if (!(Math.abs(a[i] - expected[i]) <= tol)) {
                failWithMessage(
                        "element %s: expected %s but was %s (|diff| %s > tol %s)%nexpected:"
                            + " %s%nactual:   %s",
                        i,
                        expected[i],
                        a[i],
                        Math.abs(a[i] - expected[i]),
                        tol,
                        Arrays.toString(expected),
                        Arrays.toString(a));
            }
        }
        return this;
    }

    /**
     * Checks that every element equals the other array's bit for bit.
     *
     * @param expected the other array
     * @return this
     */
    public NDArrayAssert isIdenticalTo(NDArray expected) {
        hasShape(expected.getShape().getShape());
        if (!Arrays.equals(toDoubles(actual), toDoubles(expected))) {
            failWithMessage(
                    "arrays differ:%n%s%n%s",
                    Arrays.toString(toDoubles(actual)), Arrays.toString(toDoubles(expected)));
        }
        return this;
    }

    /**
     * The values of an array as doubles, row-major.
     *
     * @param a the array
     * @return the values
     */
    public static double[] toDoubles(NDArray a) {
        return Arrays.stream(a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray())
                .toArray();
    }
}
