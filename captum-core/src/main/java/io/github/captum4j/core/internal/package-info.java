/**
 * Shared machinery of every algorithm module: autograd ({@code Gradients}), the path integral with
 * step batching ({@code PathIntegral}), target selection, baseline and batch expansion, convergence
 * delta, scoped memory ({@code Scope}, {@code RunningSum}) and seeded randomness.
 *
 * <p><b>Not API:</b> public only so that other captum4j modules can use it; it may change without
 * notice.
 */
package io.github.captum4j.core.internal;
