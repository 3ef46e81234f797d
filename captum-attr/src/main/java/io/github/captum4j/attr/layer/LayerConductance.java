package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.approx.Quadrature;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.RunningSum;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.attr.internal.PathRun;

import org.immutables.value.Value;

import java.util.List;

/**
 * Layer Conductance: the flow of the target's change from the baseline to the input through each
 * neuron of a layer, the chain rule summed along the straight input path:
 *
 * <p>\( \mathrm{Cond}(x) = \int_0^1 \frac{\partial F}{\partial a_\ell}(x_\alpha)\, \frac{\partial
 * a_\ell}{\partial \alpha}(x_\alpha)\, d\alpha \approx \sum_{k=0}^{n-1} \frac{\partial F}{\partial
 * a_\ell}(x_{\alpha_k}) \big(a_\ell(x_{\alpha_{k+1}}) - a_\ell(x_{\alpha_k})\big),\quad x_\alpha =
 * x' + \alpha (x - x') \)
 *
 * <p>with the {@code nSteps + 1} points \( \alpha_0 &lt; \dots &lt; \alpha_n \) of {@link
 * Options#method()} (Captum's rule: the quadrature's points, its weights unused). Summed over the
 * layer, conductance approximates \( F(x) - F(x') \); the gap is the convergence delta. Dhamdhere,
 * Sundararajan and Yan, "How Important Is a Neuron?", 2018, <a
 * href="https://arxiv.org/abs/1805.12233">arXiv:1805.12233</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)} with {@link io.github.captum4j.core.Baselines}
 * of their shapes (default zeros). Output: one tensor of the layer value's shape; the delta has
 * shape {@code (N)}.
 *
 * <pre>{@code
 * LayerConductance lc = new LayerConductance(model, LayerPath.of("lin1"));
 * try (Attribution a = lc.attribute(Inputs.of(x), Target.index(0),
 *         LayerConductance.Options.builder().returnConvergenceDelta(true).build())) {
 *     NDArray conductance = a.attribution(0);
 * }
 * }</pre>
 */
@Value.Enclosing
public final class LayerConductance extends LayerMethod<LayerConductance.Options> {

    /**
     * Conductance of one layer.
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerConductance(LayerAccess model, LayerPath layer) {
        super(completeness("Layer Conductance", Options.DEFAULTS, true), model, layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSteps number of path segments (the quadrature has {@code nSteps + 1} points), {@code
     *     >= 1} (default 50)
     * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
     * @param internalBatchSize at most this many rows per forward pass, or {@code null} (default)
     * @param returnConvergenceDelta whether to compute the convergence delta (default false)
     * @param attributeToLayerInput attribute to the layer's input (default false)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSteps,
            ApproximationMethod method,
            Integer internalBatchSize,
            boolean returnConvergenceDelta,
            boolean attributeToLayerInput,
            ProgressListener progress)
            implements PathOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(50, ApproximationMethod.GAUSS_LEGENDRE, null, false, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSteps number of path segments (the quadrature has {@code nSteps + 1} points),
         *     {@code >= 1} (default 50)
         * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
         * @param internalBatchSize at most this many rows per forward pass, or {@code null}
         *     (default)
         * @param returnConvergenceDelta whether to compute the convergence delta (default false)
         * @param attributeToLayerInput attribute to the layer's input (default false)
         * @param progress told after every forward + backward pass (default {@link
         *     ProgressListener#NONE})
         */
        public Options {
            progress = PathOptions.progress(progress);
            // nSteps segments: a quadrature of nSteps + 1 points
            PathOptions.checkSegments(nSteps, method, internalBatchSize);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends LayerConductanceBuilders.OptionsBuilder
                implements PathOptions.Builder<Builder> {
            Builder() {}
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        // nSteps segments need nSteps + 1 points; Captum uses the points only, not the weights
        PathRun run = PathRun.of(inputs, target, name(), options, scratch);
        Quadrature q = options.method().quadrature(options.nSteps() + 1);
        int n = inputs.batchSize();
        RunningSum total = new RunningSum(scratch);
        NDList[] previous = new NDList[1]; // the last point: its values and gradients
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            run.passes(
                    q,
                    (scaled, args, t, part, pass) -> {
                        Gradients.LayerResult r = atLayersByRow(tap, scaled, args, t);
                        NDArray a = r.values().get(0);
                        NDArray g = r.layerGradients().get(0);
                        total.add(new NDList(segments(a, g, previous, n, part.size())));
                        NDList last = new NDList(lastPoint(a, n), lastPoint(g, n));
                        last.attach(scratch);
                        if (previous[0] != null) {
                            previous[0].close();
                        }
                        previous[0] = last;
                    });
        }
        NDList attributions = total.total();
        return new Result(
                attributions,
                run.delta(options.returnConvergenceDelta(), forwardFunction, attributions));
    }

    /**
     * \( \sum_k g_k (a_{k+1} - a_k) \) over the segments that end in this pass: the one from the
     * previous pass's last point, then those between this pass's points.
     */
    private static NDArray segments(NDArray a, NDArray g, NDList[] previous, int n, int points) {
        NDArray sum = null;
        if (previous[0] != null) {
            NDArray first = a.get("0:" + n);
            sum = first.sub(previous[0].get(0)).mul(previous[0].get(1));
        }
        if (points > 1) {
            long rows = (long) (points - 1) * n;
            NDArray diffs = a.get(n + ":").sub(a.get("0:" + rows));
            Shape perStep = new Shape(points - 1, n).addAll(a.getShape().slice(1));
            NDArray inner = diffs.mul(g.get("0:" + rows)).reshape(perStep).sum(new int[] {0});
            sum = sum == null ? inner : inner.add(sum);
        }
        return sum;
    }

    private static NDArray lastPoint(NDArray stacked, int n) {
        return stacked.get((stacked.getShape().get(0) - n) + ":");
    }
}
