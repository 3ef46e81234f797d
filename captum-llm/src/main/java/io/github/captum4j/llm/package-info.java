/**
 * LLM attribution (Captum's {@code llm_attr}): which features of a prompt made a causal language
 * model produce its output.
 *
 * <p>{@link io.github.captum4j.llm.LLMAttribution} wraps the perturbation methods
 * (FeatureAblation, ShapleyValues, ShapleyValueSampling, KernelShap, Lime) over an {@link
 * io.github.captum4j.llm.InterpretableInput} ({@link io.github.captum4j.llm.TextTemplateInput},
 * {@link io.github.captum4j.llm.TextTokenInput}); {@link
 * io.github.captum4j.llm.LLMGradientAttribution} wraps LayerIntegratedGradients and
 * LayerGradientXActivation on the embedding layer. Results ({@link
 * io.github.captum4j.llm.LLMAttributionResult}) carry sequence and per-token attributions and draw
 * Captum's plots. {@link io.github.captum4j.llm.InterpretableForward} lets the perturbation methods
 * run on any interpretable input, e.g. image segments ({@link
 * io.github.captum4j.llm.ImageMaskInput}). Tokenizers: {@link io.github.captum4j.llm.Tokenizer},
 * implemented over DJL's HuggingFace tokenizers by {@link io.github.captum4j.llm.HfTokenizer}.
 *
 * <pre>{@code
 * try (HfTokenizer tokenizer = HfTokenizer.load(Path.of("tokenizer.json"));
 *         TorchScriptModel lm = TorchScriptModel.load(Path.of("lm.pt"))) {
 *     LLMAttributionResult r = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer)
 *             .attribute(TextTokenInput.of("the cat sat on the mat", tokenizer, "<unk>",
 *                     List.of("<bos>")), LLMTarget.generate(5));
 *     r.plotTokenAttr(Path.of("heat.png"));
 * }
 * }</pre>
 */
package io.github.captum4j.llm;
