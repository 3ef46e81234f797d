package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Baselines;

/**
 * Turns {@link Baselines} into tensors checked against the inputs, once per call.
 *
 * <p>Not API: may change without notice.
 */
public final class BaselineExpansion {

    private BaselineExpansion() {}

    /**
     * One baseline tensor per input, of the input's full shape: numbers are filled in, tensors of
     * the input's shape are used as they are, tensors with batch size 1 are broadcast over the
     * batch (Captum's rule for path and perturbation methods).
     *
     * @param baselines the baselines
     * @param inputs the inputs (borrowed into {@code scratch})
     * @param scratch the per-call manager
     * @return the baseline tensors
     */
    public static NDList expand(Baselines baselines, NDList inputs, NDManager scratch) {
        NDList out = new NDList(inputs.size());
        if (baselines instanceof Baselines.Distribution) {
            throw new IllegalArgumentException(
                    "baselines must be zeros, a scalar, or one tensor/number per input for this"
                            + " method, got a distribution (only GradientShap-like methods and"
                            + " NoiseTunnel with drawBaselineFromDistrib draw from one)");
        }
        if (baselines instanceof Baselines.PerInput) {
            checkCount(((Baselines.PerInput) baselines).values().size(), inputs);
        }
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            Object v = valueFor(baselines, i);
            if (v instanceof Number) {
                out.add(scratch.full(x.getShape(), ((Number) v).floatValue(), x.getDataType()));
                continue;
            }
            NDArray b = (NDArray) v;
            Shape xs = x.getShape();
            Shape bs = b.getShape();
            boolean sameRest = bs.dimension() == xs.dimension() && bs.slice(1).equals(xs.slice(1));
            Checks.argument(
                    sameRest && (bs.get(0) == xs.get(0) || bs.get(0) == 1),
                    "baselines[%s] shape %s does not match inputs[%s] shape %s (expected the same"
                            + " shape, or batch size 1)",
                    i,
                    bs,
                    i,
                    xs);
            NDArray typed =
                    b.getDataType() == x.getDataType() ? b : b.toType(x.getDataType(), false);
            out.add(bs.get(0) == xs.get(0) ? typed : typed.broadcast(xs));
        }
        return out;
    }

    /**
     * Per input, the reference samples to draw from, shape {@code (S, ...)} where {@code ...} is
     * the input's shape without the batch. Numbers and zeros become one sample.
     *
     * @param baselines the baselines
     * @param inputs the inputs (borrowed into {@code scratch})
     * @param scratch the per-call manager
     * @return the samples per input
     */
    public static NDList distribution(Baselines baselines, NDList inputs, NDManager scratch) {
        NDList out = new NDList(inputs.size());
        int count =
                baselines instanceof Baselines.Distribution
                        ? ((Baselines.Distribution) baselines).samples().size()
                        : baselines instanceof Baselines.PerInput
                                ? ((Baselines.PerInput) baselines).values().size()
                                : inputs.size();
        checkCount(count, inputs);
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            Object v =
                    baselines instanceof Baselines.Distribution
                            ? ((Baselines.Distribution) baselines).samples().get(i)
                            : valueFor(baselines, i);
            Shape rest = x.getShape().slice(1);
            if (v instanceof Number) {
                out.add(
                        scratch.full(
                                new Shape(1).addAll(rest),
                                ((Number) v).floatValue(),
                                x.getDataType()));
                continue;
            }
            NDArray b = (NDArray) v;
            Checks.argument(
                    b.getShape().dimension() == x.getShape().dimension()
                            && b.getShape().slice(1).equals(rest),
                    "baselines[%s] shape %s does not match inputs[%s] shape %s (expected (S, %s)"
                            + " for S reference samples)",
                    i,
                    b.getShape(),
                    i,
                    x.getShape(),
                    Checks.shape(rest).replaceAll("^\\(|,?\\)$", ""));
            out.add(b.getDataType() == x.getDataType() ? b : b.toType(x.getDataType(), false));
        }
        return out;
    }

    /**
     * Whether the baselines are zero for every input whatever the inputs' shapes (zeros, or all
     * numbers equal to 0), so that methods may skip adding them.
     *
     * @param baselines the baselines
     * @return true if known to be zero
     */
    public static boolean isZero(Baselines baselines) {
        if (baselines instanceof Baselines.Zeros) {
            return true;
        }
        if (baselines instanceof Baselines.Scalar) {
            return ((Baselines.Scalar) baselines).value() == 0f;
        }
        if (baselines instanceof Baselines.PerInput) {
            for (Object v : ((Baselines.PerInput) baselines).values()) {
                if (!(v instanceof Number) || ((Number) v).doubleValue() != 0) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static void checkCount(int count, NDList inputs) {
        Checks.argument(
                count == inputs.size(),
                "baselines must hold one value per input (%s), got %s",
                inputs.size(),
                count);
    }

    private static Object valueFor(Baselines baselines, int i) {
        if (baselines instanceof Baselines.Zeros) {
            return 0f;
        }
        if (baselines instanceof Baselines.Scalar) {
            return ((Baselines.Scalar) baselines).value();
        }
        return ((Baselines.PerInput) baselines).values().get(i);
    }
}
