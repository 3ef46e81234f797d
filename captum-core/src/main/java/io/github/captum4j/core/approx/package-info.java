/**
 * Approximation of path integrals (API): {@link io.github.captum4j.core.approx.ApproximationMethod}
 * gives the {@link io.github.captum4j.core.approx.Quadrature} (points and step sizes) Captum uses
 * for {@code riemann_left/right/middle/trapezoid} and {@code gausslegendre}.
 */
package io.github.captum4j.core.approx;
