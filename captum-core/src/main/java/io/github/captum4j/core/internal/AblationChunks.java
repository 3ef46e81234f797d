package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The two pieces of {@link Perturbations#ablate} that are plain array work: the first chunk with
 * the unperturbed batch prepended, and the per-chunk accumulation of output differences over the
 * ablated elements.
 *
 * <p>Not API: may change without notice.
 */
final class AblationChunks {

    private AblationChunks() {}

    /** The chunk with the unperturbed batch (keep everything) prepended. */
    static Perturbations.Chunk withIdentity(
            Perturbations.Chunk inner, NDList tensors, NDManager m) {
        int n = tensors.size();
        NDList keep = new NDList(n);
        NDList repl = inner == null || inner.replacements() == null ? null : new NDList(n);
        for (int i = 0; i < n; i++) {
            NDArray k = inner == null ? null : inner.keep().get(i);
            if (k == null) {
                keep.add(null);
                if (repl != null) {
                    repl.add(null);
                }
                continue;
            }
            NDArray all = m.ones(new Shape(1).addAll(k.getShape().slice(1)), DataType.BOOLEAN);
            keep.add(NDArrays.concat(new NDList(all, k.toType(DataType.BOOLEAN, false)), 0));
            if (repl != null) {
                NDArray r = inner.replacements().get(i);
                NDArray same =
                        r == null ? null : tensors.get(i).expandDims(0).toType(r.getDataType(), false);
                repl.add(r == null ? null : NDArrays.concat(new NDList(same, r), 0));
            }
        }
        return new Perturbations.Chunk(keep, repl);
    }

    /**
     * \( \sum_k d_{t,k,n}\, a_{k,(n),e} \) for every target {@code t} at once: a batched matrix
     * product when the masks are the same for every example, an element-wise product otherwise.
     *
     * @param diff output differences {@code (T, K, N)}
     * @param ablated which elements each perturbation ablated, {@code (K, 1 or N, rest...)}, 1 or 0
     * @param tensor the input tensor {@code (N, rest...)}
     * @return {@code (T, N, rest...)}
     */
    static NDArray weightedSum(NDArray diff, NDArray ablated, NDArray tensor) {
        Shape ts = tensor.getShape();
        long t = diff.getShape().get(0);
        long k = diff.getShape().get(1);
        long n = ts.get(0);
        long m = ts.size() / n;
        Shape out = new Shape(t).addAll(ts);
        if (ablated.getShape().get(1) == 1) {
            return diff.transpose(0, 2, 1).matMul(ablated.reshape(k, m)).reshape(out);
        }
        long[] dims = new long[ts.dimension() + 2];
        java.util.Arrays.fill(dims, 1);
        dims[0] = t;
        dims[1] = k;
        dims[2] = n;
        return diff.reshape(new Shape(dims)).mul(ablated).sum(new int[] {1});
    }
}
