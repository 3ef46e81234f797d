package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Captum's {@code custom_attribution_func} of DeepLift, DeepLiftShap, LayerDeepLift and
 * LayerDeepLiftShap: turns DeepLift's multipliers into attributions instead of the default \( A =
 * (x - x')\, m \) (or \( A = m \) without {@code multiplyByInputs}).
 *
 * <p>Captum calls the function with one, two or three arguments depending on its signature
 * ({@code f(multipliers)}, {@code f(multipliers, inputs)}, {@code f(multipliers, inputs,
 * baselines)}); in Java there is one signature and a function ignores what it does not need. For
 * the input methods, {@code inputs} and {@code baselines} are the (expanded) inputs and baselines;
 * for the layer methods, they are the layer's values for the inputs and for the baselines. The
 * function must return one tensor per multiplier, of the multiplier's shape. As in Captum, {@code
 * multiplyByInputs} is then ignored, DeepLiftShap averages the returned tensors over the baseline
 * samples, and the convergence delta is \( \sum A - (F(x) - F(x')) \) of the returned tensors, so
 * it is near 0 only if the function keeps DeepLift's summation-to-delta.
 *
 * <pre>{@code
 * // attribution = multiplier * (x - x')^2, a "squared difference" variant
 * CustomAttributionFunction f = (m, x, b) -> {
 *     NDList out = new NDList();
 *     for (int i = 0; i < m.size(); i++) {
 *         NDArray d = x.get(i).sub(b.get(i));
 *         out.add(m.get(i).mul(d).mul(d));
 *     }
 *     return out;
 * };
 * dl.attribute(Inputs.of(x), Target.index(0), new DeepLift.Options(false, f));
 * }</pre>
 */
@FunctionalInterface
public interface CustomAttributionFunction {

    /**
     * The attributions from DeepLift's multipliers.
     *
     * @param multipliers one multiplier tensor per input (or per layer value)
     * @param inputs the inputs (or layer values for the inputs), same order
     * @param baselines the baselines (or layer values for the baselines), same order
     * @return one attribution tensor per multiplier, of its shape
     */
    NDList apply(NDList multipliers, NDList inputs, NDList baselines);

    /**
     * What DeepLift and Layer DeepLift do with their multipliers (Captum's {@code
     * _call_custom_attribution_func} and the default around it): the function's result if one is
     * given, checked; else \( (x - x')\, m \) or \( m \).
     *
     * @param function the custom function, or {@code null} for Captum's default
     * @param multiplyByInputs the method's {@code multiply_by_inputs} (used without a function)
     * @param multipliers the multipliers
     * @param inputs the inputs or layer values
     * @param baselines the baselines or their layer values
     * @return the attributions
     * @throws IllegalArgumentException if the function returns a different number of tensors or a
     *     tensor of another shape than its multiplier
     */
    static NDList attributions(
            CustomAttributionFunction function,
            boolean multiplyByInputs,
            NDList multipliers,
            NDList inputs,
            NDList baselines) {
        if (function == null) {
            NDList out = new NDList(multipliers.size());
            for (int i = 0; i < multipliers.size(); i++) {
                NDArray m = multipliers.get(i);
                out.add(multiplyByInputs ? m.mul(inputs.get(i).sub(baselines.get(i))) : m);
            }
            return out;
        }
        NDList out = function.apply(multipliers, inputs, baselines);
        if (out == null || out.size() != multipliers.size()) {
            throw new IllegalArgumentException(
                    "customAttributionFunc must return one tensor per multiplier ("
                            + multipliers.size()
                            + "), got "
                            + (out == null ? "null" : out.size()));
        }
        for (int i = 0; i < out.size(); i++) {
            NDArray a = out.get(i);
            if (a == null || !a.getShape().equals(multipliers.get(i).getShape())) {
                throw new IllegalArgumentException(
                        "customAttributionFunc must return tensor "
                                + i
                                + " of the multiplier's shape "
                                + multipliers.get(i).getShape()
                                + ", got "
                                + (a == null ? "null" : a.getShape()));
            }
        }
        return out;
    }
}
