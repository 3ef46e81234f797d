package io.github.captum4j.attr;

import io.github.captum4j.core.internal.LinearModels;

/**
 * The built-in surrogate instances that {@link Lime} recognises to fit from its samples in place.
 */
final class Surrogates {

    /** {@link InterpretableModel#linearRegression()}. */
    static final InterpretableModel LINEAR_REGRESSION = LinearModels::linearRegression;

    private Surrogates() {}
}
