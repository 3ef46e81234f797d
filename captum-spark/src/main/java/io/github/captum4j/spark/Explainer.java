package io.github.captum4j.spark;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How a batch of rows is explained on an executor: any captum4j attribution method with its
 * options, as a serializable function of the executor's model. Stochastic methods take the batch's
 * seed ({@link DatasetExplainer#batchSeed}), so a job is reproducible for a given partitioning.
 *
 * <pre>{@code
 * Explainer ig = (model, inputs, target, seed) ->
 *         new IntegratedGradients(model).attribute(inputs, target,
 *                 IntegratedGradients.Options.builder().nSteps(32).build());
 * Explainer shap = Explainer.named("KernelShap");
 * }</pre>
 */
@FunctionalInterface
public interface Explainer extends Serializable {

    /**
     * Explains one batch.
     *
     * @param model the executor's model
     * @param inputs the batch, one tensor {@code (rows, features)}
     * @param target the batch's target
     * @param seed the batch's seed, for stochastic methods
     * @return the attributions, the first of the input's shape
     */
    Attribution explain(ForwardFunction model, Inputs inputs, Target target, int seed);

    /** The method names {@link #named} knows. */
    List<String> NAMES =
            List.of(
                    "IntegratedGradients",
                    "Saliency",
                    "InputXGradient",
                    "FeatureAblation",
                    "ShapleyValueSampling",
                    "Lime",
                    "KernelShap");

    /**
     * A method with Captum's default options (seeded per batch where stochastic).
     *
     * @param name one of {@link #NAMES} (case-insensitive)
     * @return the explainer
     */
    static Explainer named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "integratedgradients":
                return (m, in, t, s) -> new IntegratedGradients(m).attribute(in, t);
            case "saliency":
                return (m, in, t, s) -> new Saliency(m).attribute(in, t);
            case "inputxgradient":
                return (m, in, t, s) -> new InputXGradient(m).attribute(in, t);
            case "featureablation":
                return (m, in, t, s) -> new FeatureAblation(m).attribute(in, t);
            case "shapleyvaluesampling":
                return (m, in, t, s) ->
                        new ShapleyValueSampling(m)
                                .attribute(in, t, ShapleyValueSampling.Options.builder().seed(s).build());
            case "lime":
                return (m, in, t, s) ->
                        new Lime(m).attribute(in, t, Lime.Options.builder().seed(s).build());
            case "kernelshap":
                return (m, in, t, s) ->
                        new KernelShap(m).attribute(in, t, Lime.Options.builder().seed(s).build());
            default:
                throw new IllegalArgumentException(
                        "method must be one of " + NAMES + ", got '" + name + "'");
        }
    }
}
