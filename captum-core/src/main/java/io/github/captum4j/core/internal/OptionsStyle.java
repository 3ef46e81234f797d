package io.github.captum4j.core.internal;

import org.immutables.value.Value;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the options builders are generated (not API). An options record annotated {@code
 * @Value.Builder}, nested in a class annotated {@code @Value.Enclosing}, in a package annotated
 * {@code @OptionsStyle}, gets from the Immutables annotation processor, at compile time only, a
 * package-private {@code <Class>Builders.OptionsBuilder} with one setter per record component and a
 * {@code build()} that calls the record's canonical constructor; the record's public nested {@code
 * Builder} extends it, so its setters return {@code Options.Builder}.
 *
 * <ul>
 *   <li>no validation in the builder: it starts from a complete record ({@code DEFAULTS} or {@code
 *       this}), and the record's compact constructor validates once, on {@code build()};
 *   <li>a {@code List} component is one value (no {@code add*} methods);
 *   <li>the generated classes are package-private and carry no annotation of the processor, so
 *       nothing of Immutables is needed at run time.
 * </ul>
 */
@Target(ElementType.PACKAGE)
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
        validationMethod = Value.Style.ValidationMethod.NONE,
        builtinContainerAttributes = false,
        typeImmutableEnclosing = "*Builders",
        visibility = Value.Style.ImplementationVisibility.PACKAGE,
        builderVisibility = Value.Style.BuilderVisibility.PACKAGE,
        allowedClasspathAnnotations = Override.class)
public @interface OptionsStyle {}
