/**
 * Robustness of models (Captum's {@code captum.robust}): adversarial attacks ({@link
 * io.github.captum4j.robust.FGSM}, {@link io.github.captum4j.robust.PGD}), the smallest
 * perturbation that changes a prediction ({@link io.github.captum4j.robust.MinParamPerturbation})
 * and a comparison of a model's metric under several attacks ({@link
 * io.github.captum4j.robust.AttackComparator}).
 *
 * <p>Every entry point takes a {@link io.github.captum4j.core.ForwardFunction} and {@link
 * io.github.captum4j.core.Inputs}; arrays it returns belong to the inputs' manager, everything else
 * lives in a per-call sub-manager.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.robust;
