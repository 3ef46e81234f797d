/**
 * The rule engine's machinery, shared by the rule-based algorithms of captum-attr: {@link
 * io.github.captum4j.core.rules.internal.RuleBackward} (one recorded forward and one rule-aware
 * backward pass), {@link io.github.captum4j.core.rules.internal.DeepLiftPass} and {@link
 * io.github.captum4j.core.rules.internal.LrpPass} (DeepLift's and LRP's passes on top of it) and
 * {@link io.github.captum4j.core.rules.internal.LayerValueModel} (a model whose output is one
 * layer's value). Not API: may change without notice.
 */
package io.github.captum4j.core.rules.internal;
