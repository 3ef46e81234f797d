package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-example gradients of one batch at one checkpoint, kept factored where the maths allows. Each
 * part is a pair {@code (L, R)} of {@code (N, p)} and {@code (N, q)} rows standing for the
 * per-example gradient {@code flatten(outer(L_i, R_i))} (a Linear weight: output gradient times
 * input activation), or a single {@code (N, d)} matrix of flattened gradients ({@code R == null}).
 * Dot products of examples then never build the outer products: \( \langle L_i R_i^T, L_j R_j^T
 * \rangle = (L_i \cdot L_j)(R_i \cdot R_j) \). Not API.
 */
final class GradientFactors {

    private final List<NDArray[]> parts = new ArrayList<>();

    /** Adds a factored part {@code outer(left_i, right_i)}. */
    GradientFactors outer(NDArray left, NDArray right) {
        parts.add(new NDArray[] {left, right});
        return this;
    }

    /** Adds a part of plain rows. */
    GradientFactors rows(NDArray rows) {
        parts.add(new NDArray[] {rows, null});
        return this;
    }

    /**
     * The dot products of these examples' gradients with another batch's.
     *
     * @return {@code (N_this, N_other)}, in the manager of this batch's arrays
     */
    NDArray dot(GradientFactors other) {
        NDArray sum = null;
        for (int p = 0; p < parts.size(); p++) {
            NDArray[] a = parts.get(p);
            NDArray[] b = other.parts.get(p);
            NDArray s = a[0].matMul(b[0].transpose());
            if (a[1] != null) {
                s = s.mul(a[1].matMul(b[1].transpose()));
            }
            sum = sum == null ? s : sum.add(s);
        }
        return sum;
    }

    /**
     * The squared norm of each example's gradient.
     *
     * @return {@code (N)}
     */
    NDArray squaredNorms() {
        NDArray sum = null;
        for (NDArray[] a : parts) {
            NDArray s = a[0].square().sum(new int[] {1});
            if (a[1] != null) {
                s = s.mul(a[1].square().sum(new int[] {1}));
            }
            sum = sum == null ? s : sum.add(s);
        }
        return sum;
    }
}
