package io.github.captum4j.conformance.cases;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a case's {@code baselines} and {@code additional_forward_args}. */
final class CaseInputs {

    private CaseInputs() {}

    /**
     * The baselines as written.
     *
     * @param e the raw {@code baselines} value, possibly {@code null}
     * @param manager where tensors are created
     * @return the baselines
     */
    static CaseBaselines baselines(JsonElement e, NDManager manager) {
        if (e == null || e.isJsonNull()) {
            return new CaseBaselines(CaseBaselines.Form.NONE, List.of());
        }
        if (CaseTensors.isTensor(e)) {
            return new CaseBaselines(
                    CaseBaselines.Form.TENSOR, List.of(CaseTensors.read(e, manager, "baselines")));
        }
        if (isNumber(e)) {
            return new CaseBaselines(CaseBaselines.Form.NUMBER, List.of(e.getAsDouble()));
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            List<Object> values = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                JsonElement v = a.get(i);
                String where = "baselines[" + i + "]";
                if (isNumber(v)) {
                    values.add(v.getAsDouble());
                } else if (CaseTensors.isTensor(v)) {
                    values.add(CaseTensors.read(v, manager, where));
                } else {
                    throw new IllegalArgumentException(
                            where + " must be a number or a tensor, got " + CaseArgs.describe(v));
                }
            }
            return new CaseBaselines(CaseBaselines.Form.PER_INPUT, values);
        }
        throw new IllegalArgumentException(
                "baselines must be null, a number, a tensor or a list, got "
                        + CaseArgs.describe(e));
    }

    /**
     * The additional forward arguments: tensors become NDArrays, integers Integers, other numbers
     * Doubles, booleans Booleans and JSON null stays {@code null}.
     *
     * @param e the raw, non-null {@code additional_forward_args} value
     * @param manager where tensors are created
     * @return the arguments in order (unmodifiable, may contain nulls)
     */
    static List<Object> additionalForwardArgs(JsonElement e, NDManager manager) {
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(
                    "additional_forward_args must be null or a list, got " + CaseArgs.describe(e));
        }
        JsonArray a = e.getAsJsonArray();
        List<Object> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement v = a.get(i);
            String where = "additional_forward_args[" + i + "]";
            if (v.isJsonNull()) {
                out.add(null);
            } else if (CaseTensors.isTensor(v)) {
                out.add(CaseTensors.read(v, manager, where));
            } else if (v.isJsonPrimitive() && ((JsonPrimitive) v).isBoolean()) {
                out.add(v.getAsBoolean());
            } else if (isNumber(v)) {
                String text = v.getAsString();
                if (text.matches("-?\\d+")) {
                    out.add(Math.toIntExact(Long.parseLong(text)));
                } else {
                    out.add(Double.parseDouble(text));
                }
            } else {
                throw new IllegalArgumentException(
                        where
                                + " must be a tensor, number, boolean or null, got "
                                + CaseArgs.describe(v));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
    }
}
