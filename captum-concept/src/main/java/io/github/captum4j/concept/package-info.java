/**
 * Concept-based interpretation (Captum's {@code captum.concept}): Testing with Concept Activation
 * Vectors ({@link io.github.captum4j.concept.TCAV}) over user-defined {@link
 * io.github.captum4j.concept.Concept}s, with a pluggable {@link
 * io.github.captum4j.concept.Classifier} and CAVs cached on disk.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.concept;
