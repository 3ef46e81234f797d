/**
 * One class per family of golden cases; they never reference each other (shared pieces live in
 * {@code conformance.check}, Captum argument names in the package-private {@code CaptumArgs}). A
 * new family is one class here plus one line in {@link
 * io.github.captum4j.conformance.CaseRegistry}.
 */
package io.github.captum4j.conformance.families;
