/**
 * Primary attribution algorithms (API), one class per algorithm, named after Captum's: {@link
 * io.github.captum4j.attr.IntegratedGradients}, {@link io.github.captum4j.attr.Saliency}, {@link
 * io.github.captum4j.attr.InputXGradient}, {@link io.github.captum4j.attr.GradientShap} and {@link
 * io.github.captum4j.attr.NoiseTunnel} over any of them. Each implements {@link
 * io.github.captum4j.attr.AttributionMethod}, whose Javadoc states the threading and memory
 * contract.
 */
package io.github.captum4j.attr;
