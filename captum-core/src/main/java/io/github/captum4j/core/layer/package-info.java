/**
 * Layer access (API): PyTorch-style dotted layer names ({@link
 * io.github.captum4j.core.layer.LayerPath}), models whose layers can be reached ({@link
 * io.github.captum4j.core.layer.LayerAccess}: imported Block models and TorchScript modules
 * exported with taps), and per-call taps ({@link io.github.captum4j.core.layer.LayerTap}) that
 * capture, replace or shift a layer's output (or input) for the forward passes run through them,
 * and expose the gradient of the model with respect to it.
 *
 * <p>A tap never mutates the model: it is a per-call object handed down the forward pass, so a
 * model may be shared by any number of threads, each with its own taps. This is what Captum does
 * with forward hooks, without global hook state.
 */
package io.github.captum4j.core.layer;
