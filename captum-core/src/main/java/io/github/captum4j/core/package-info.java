/**
 * Core abstractions of captum4j (API): the model seen by attribution methods ({@link
 * io.github.captum4j.core.ForwardFunction}), what one call explains ({@link
 * io.github.captum4j.core.Inputs}, {@link io.github.captum4j.core.Target}, {@link
 * io.github.captum4j.core.Baselines}) and its result ({@link io.github.captum4j.core.Attribution}).
 *
 * <p>Everything public here is API. Algorithms live in {@code captum-attr}.
 */
package io.github.captum4j.core;
