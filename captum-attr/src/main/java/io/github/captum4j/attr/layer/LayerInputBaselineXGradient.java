package io.github.captum4j.attr.layer;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;

import java.util.List;

/**
 * One sample of Layer GradientShap per row (Captum's {@code LayerInputBaselineXGradient}): the
 * layer gradient at a random point between each input row and its baseline row, times the layer's
 * difference between them. {@link LayerGradientShap} averages it over noisy samples with a {@link
 * io.github.captum4j.attr.NoiseTunnel}.
 */
final class LayerInputBaselineXGradient extends LayerMethod<LayerInputBaselineXGradient.Options> {

    /**
     * How one call runs.
     *
     * @param returnConvergenceDelta whether to return the delta per row
     * @param attributeToLayerInput attribute to the layer's input
     */
    /**
     * How one call runs.
     *
     * @param returnConvergenceDelta whether to return the delta per row
     * @param attributeToLayerInput attribute to the layer's input
     * @param seed seed of the path points, or {@code null}: a seeded caller passes one, so that its
     *     result does not depend on what other threads draw between its draws
     */
    record Options(boolean returnConvergenceDelta, boolean attributeToLayerInput, Integer seed) {}

    LayerInputBaselineXGradient(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(
                MethodInfo.gradient("Layer GradientShap", new Options(false, false, null))
                        .withMultiplyByInputs(multiplyByInputs)
                        .withConvergenceDelta()
                        .withBaselines(),
                model,
                List.of(layer));
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList baselines = BaselineExpansion.expand(inputs.baselines(), x, scratch);
        int n = inputs.batchSize();
        NDArray alpha =
                Randomness.draw(options.seed(), () ->
                                Randomness.uniform(
                                        scratch, 0f, 1f, new Shape(n), DataType.FLOAT32));
        NDList scaled = new NDList(x.size());
        NDList both = new NDList(x.size());
        for (int i = 0; i < x.size(); i++) {
            NDArray xi = x.get(i);
            long[] dims = new long[xi.getShape().dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = n;
            NDArray a = alpha.reshape(new Shape(dims)).toType(xi.getDataType(), false);
            // Captum's order of operations: alpha * input + (1 - alpha) * baseline
            scaled.add(a.mul(xi).add(a.neg().add(1f).mul(baselines.get(i))));
            both.add(baselines.get(i).concat(xi, 0));
        }
        List<Object> args = inputs.additionalArgs();
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            NDList grads =
                    Gradients.computeAtLayers(tap, scaled, args, target, null).layerGradients();
            NDList attributions = grads;
            if (multipliesByInputs()) {
                NDList values =
                        Gradients.layerValues(
                                tap, both, Expansion.expandArgs(args, n, 2, Expansion.Layout.TILE));
                NDArray v = values.get(0);
                attributions = times(grads, new NDList(v.get(n + ":").sub(v.get("0:" + n))));
            }
            NDArray delta =
                    options.returnConvergenceDelta()
                            ? Convergence.delta(
                                    forwardFunction, attributions, x, baselines, args, target)
                            : null;
            return new Result(attributions, delta);
        }
    }
}
