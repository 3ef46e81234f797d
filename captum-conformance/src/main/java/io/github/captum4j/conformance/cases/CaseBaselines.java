package io.github.captum4j.conformance.cases;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code baselines} of a case as written: absent ({@code null}), one number, one tensor, or a
 * list with one number or tensor per input. How a method reads them (fixed baselines or a
 * distribution to draw from) is the caller's decision.
 *
 * <p>Not API: may change without notice.
 *
 * @param form which of the four forms the case uses
 * @param values empty for {@link Form#NONE}; one {@link Double} for {@link Form#NUMBER}; one {@link
 *     NDArray} for {@link Form#TENSOR}; one {@link Double} or {@link NDArray} per input for {@link
 *     Form#PER_INPUT}
 */
public record CaseBaselines(Form form, List<Object> values) {

    /** The forms the fixture format allows. */
    public enum Form {
        /** {@code null}: the method's default (zeros). */
        NONE,
        /** One number for every element of every input. */
        NUMBER,
        /** One tensor (for one input, or a distribution of reference samples). */
        TENSOR,
        /** A list: one number or tensor per input. */
        PER_INPUT
    }

    /**
     * Validates the values against the form.
     *
     * @param form which of the four forms the case uses
     * @param values empty for {@link Form#NONE}; one {@link Double} for {@link Form#NUMBER}; one
     *     {@link NDArray} for {@link Form#TENSOR}; one {@link Double} or {@link NDArray} per input
     *     for {@link Form#PER_INPUT}
     */
    public CaseBaselines {
        if (form == null) {
            throw new IllegalArgumentException("form must not be null");
        }
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        int expected = form == Form.NONE ? 0 : form == Form.PER_INPUT ? -1 : 1;
        if (expected >= 0 && values.size() != expected) {
            throw new IllegalArgumentException(
                    "baselines of form "
                            + form
                            + " must hold "
                            + expected
                            + " values, got "
                            + values.size());
        }
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            boolean ok =
                    form == Form.NUMBER
                            ? v instanceof Double
                            : form == Form.TENSOR
                                    ? v instanceof NDArray
                                    : v instanceof Double || v instanceof NDArray;
            if (!ok) {
                throw new IllegalArgumentException(
                        "baselines["
                                + i
                                + "] of form "
                                + form
                                + " must be "
                                + (form == Form.NUMBER
                                        ? "a Double"
                                        : form == Form.TENSOR
                                                ? "an NDArray"
                                                : "a Double or an NDArray")
                                + ", got "
                                + (v == null ? "null" : v.getClass().getName()));
            }
        }
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /**
     * Whether every value is a tensor (a per-input list of tensors, or one tensor).
     *
     * @return {@code true} if there is at least one value and all are NDArrays
     */
    public boolean allTensors() {
        if (values.isEmpty()) {
            return false;
        }
        for (Object v : values) {
            if (!(v instanceof NDArray)) {
                return false;
            }
        }
        return true;
    }
}
