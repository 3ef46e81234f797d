/**
 * Primary attribution algorithms (API), one class per algorithm, named after Captum's:
 *
 * <ul>
 *   <li>gradient methods: {@link io.github.captum4j.attr.IntegratedGradients}, {@link
 *       io.github.captum4j.attr.Saliency}, {@link io.github.captum4j.attr.InputXGradient}, {@link
 *       io.github.captum4j.attr.GradientShap};
 *   <li>perturbation methods (any model, black boxes included): {@link
 *       io.github.captum4j.attr.FeatureAblation}, {@link
 *       io.github.captum4j.attr.FeaturePermutation}, {@link io.github.captum4j.attr.Occlusion},
 *       {@link io.github.captum4j.attr.ShapleyValueSampling}, {@link
 *       io.github.captum4j.attr.ShapleyValues}, {@link io.github.captum4j.attr.Lime}, {@link
 *       io.github.captum4j.attr.KernelShap}, with Lime's surrogates {@link
 *       io.github.captum4j.attr.SkLearnLasso}, {@link
 *       io.github.captum4j.attr.SkLearnLinearRegression} and {@link
 *       io.github.captum4j.attr.SkLearnRidge};
 *   <li>rule-based backward methods on imported Block models (DeepLift, GuidedBackprop, ...);
 *   <li>{@link io.github.captum4j.attr.NoiseTunnel} over any of them.
 * </ul>
 *
 * <p>Each implements {@link io.github.captum4j.attr.AttributionMethod}, whose Javadoc states the
 * threading and memory contract, and describes itself by a {@link
 * io.github.captum4j.core.MethodInfo}; every result records its {@link
 * io.github.captum4j.core.Provenance}. Option groups shared by several methods are declared once:
 * {@link io.github.captum4j.attr.PathOptions} (path methods) and {@link
 * io.github.captum4j.attr.SamplingOptions} (the GradientShap family). Layer and neuron methods are
 * in {@code attr.layer} and {@code attr.neuron}.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.attr;
