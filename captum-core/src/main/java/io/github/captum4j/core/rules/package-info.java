/**
 * The rule-based backward engine behind DeepLift, GuidedBackprop, Deconvolution and LRP: a {@link
 * io.github.captum4j.core.rules.Rule} overrides the vector-Jacobian product of one module call, a
 * {@link io.github.captum4j.core.rules.Composite} binds rules to modules (first match wins), and
 * the engine in {@code core.rules.internal} runs one forward and one backward pass of a {@link
 * io.github.captum4j.core.rules.RuleModel} (an imported Block model) applying them.
 *
 * <p>API: {@code Rule}, {@code RuleContext}, {@code Composite}, {@code Rules}, {@code LrpRules},
 * {@code RuleModel}, {@code ModuleCall}, {@code ModuleInterceptor}, {@code Canonizer}, {@code
 * Canonizers}.
 */
package io.github.captum4j.core.rules;
