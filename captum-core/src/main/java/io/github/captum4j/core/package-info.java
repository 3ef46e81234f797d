/**
 * Core abstractions of captum4j (API): the model seen by attribution methods ({@link
 * io.github.captum4j.core.ForwardFunction}), what one call explains ({@link
 * io.github.captum4j.core.Inputs}, {@link io.github.captum4j.core.Target}, {@link
 * io.github.captum4j.core.Baselines}), its result ({@link io.github.captum4j.core.Attribution},
 * with its {@link io.github.captum4j.core.Provenance}), what a method is ({@link
 * io.github.captum4j.core.MethodInfo}) and progress reporting for long runs ({@link
 * io.github.captum4j.core.ProgressListener}).
 *
 * <p>Everything public here is API. Algorithms live in {@code captum-attr}; model loading in {@code
 * core.model}; layer access in {@code core.layer}.
 */
package io.github.captum4j.core;
