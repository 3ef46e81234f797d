/**
 * Machinery shared by the attribution packages of this module ({@code attr}, {@code attr.layer},
 * {@code attr.neuron}): one call of a straight-line path method ({@code PathRun}), the method
 * families' descriptions ({@code MethodFamilies}), DeepLift SHAP's pairs of examples and baseline
 * samples ({@code ShapPairs}) and a Block model under LRP rules ({@code LrpModel}).
 *
 * <p><b>Not API:</b> public only so that the three packages can share it; it may change without
 * notice.
 */
package io.github.captum4j.attr.internal;
