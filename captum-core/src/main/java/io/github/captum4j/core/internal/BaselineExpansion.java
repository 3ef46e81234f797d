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
     * One baseline tensor per input, of the input's full shape, for gradient (path, DeepLift, layer
     * and neuron) methods: numbers are filled in; a tensor of the input's shape is used as it is; a
     * tensor with batch size 1, or of one example's shape without the batch dimension, is broadcast
     * over the batch. Any other shape is rejected, naming the input and both shapes.
     *
     * @param baselines the baselines
     * @param inputs the inputs (borrowed into {@code scratch})
     * @param scratch the per-call manager
     * @return the baseline tensors
     */
    public static NDList expand(Baselines baselines, NDList inputs, NDManager scratch) {
        return expand(baselines, inputs, scratch, false);
    }

    /**
     * {@link #expand(Baselines, NDList, NDManager)} for perturbation methods, which only ever pick
     * baseline values in place of input values: besides the forms {@code expand} accepts, any
     * tensor that PyTorch broadcasts to the input's shape (trailing dimensions aligned, each equal
     * or 1, no more dimensions than the input), as Captum's perturbation methods accept it.
     *
     * @param baselines the baselines
     * @param inputs the inputs (borrowed into {@code scratch})
     * @param scratch the per-call manager
     * @return the baseline tensors, of the inputs' shapes
     */
    public static NDList expandBroadcast(Baselines baselines, NDList inputs, NDManager scratch) {
        return expand(baselines, inputs, scratch, true);
    }

    private static NDList expand(
            Baselines baselines, NDList inputs, NDManager scratch, boolean anyBroadcast) {
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
            boolean accepted =
                    anyBroadcast ? broadcastsTo(bs, xs) : isBatchForm(bs, xs) || isExample(bs, xs);
            Checks.argument(
                    accepted,
                    "baselines[%s] shape %s does not match inputs[%s] shape %s (expected the same"
                            + " shape, batch size 1, or one example's shape %s%s)",
                    i,
                    bs,
                    i,
                    xs,
                    xs.slice(1),
                    anyBroadcast ? ", or any shape that broadcasts to the input's" : "");
            NDArray typed =
                    b.getDataType() == x.getDataType() ? b : b.toType(x.getDataType(), false);
            out.add(bs.equals(xs) ? typed : typed.broadcast(xs));
        }
        return out;
    }

    /** The input's shape, or batch size 1 and the rest of the input's shape. */
    private static boolean isBatchForm(Shape bs, Shape xs) {
        return bs.dimension() == xs.dimension()
                && bs.slice(1).equals(xs.slice(1))
                && (bs.get(0) == xs.get(0) || bs.get(0) == 1);
    }

    /** One example's shape: the input's shape without the batch dimension. */
    private static boolean isExample(Shape bs, Shape xs) {
        return xs.dimension() >= 1 && bs.equals(xs.slice(1));
    }

    /** PyTorch's broadcasting of {@code bs} to exactly {@code xs}. */
    private static boolean broadcastsTo(Shape bs, Shape xs) {
        int lead = xs.dimension() - bs.dimension();
        if (lead < 0) {
            return false;
        }
        for (int d = 0; d < bs.dimension(); d++) {
            long b = bs.get(d);
            if (b != 1 && b != xs.get(lead + d)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per input, the reference samples to draw from, shape {@code (S, ...)} where {@code ...} is
     * the input's shape without the batch. Numbers, zeros and a tensor of one example's shape
     * (without the sample dimension) become one sample.
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
            boolean oneExample = isExample(b.getShape(), x.getShape());
            Checks.argument(
                    oneExample
                            || b.getShape().dimension() == x.getShape().dimension()
                                    && b.getShape().slice(1).equals(rest),
                    "baselines[%s] shape %s does not match inputs[%s] shape %s (expected (S, %s)"
                            + " for S reference samples, or one example's shape %s)",
                    i,
                    b.getShape(),
                    i,
                    x.getShape(),
                    Checks.shape(rest).replaceAll("^\\(|,?\\)$", ""),
                    rest);
            NDArray samples = oneExample ? b.expandDims(0) : b;
            out.add(
                    samples.getDataType() == x.getDataType()
                            ? samples
                            : samples.toType(x.getDataType(), false));
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

    /**
     * The baseline of one input when it is a number (zeros, a scalar, or a number in a per-input
     * list, whose count is checked as by {@link #expandBroadcast}).
     *
     * @param baselines the baselines
     * @param inputs the inputs
     * @param i the input's index
     * @return the number, or {@code null} when the baseline is a tensor or a distribution
     */
    public static Number number(Baselines baselines, NDList inputs, int i) {
        if (baselines instanceof Baselines.Distribution) {
            return null;
        }
        if (baselines instanceof Baselines.PerInput) {
            checkCount(((Baselines.PerInput) baselines).values().size(), inputs);
        }
        Object v = valueFor(baselines, i);
        return v instanceof Number ? (Number) v : null;
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
