package io.github.captum4j.conformance.cases;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code attribute_args.target} as a {@link Target}, per the case's {@code target_kind}. */
final class CaseTargets {

    private CaseTargets() {}

    /**
     * The target: {@code int} → {@link Target#index}, {@code per_example_list} → {@link
     * Target#perExample(int...)}, {@code tuple} → {@link Target#position}, {@code
     * per_example_tuples} → {@link Target#perExample(List)}, {@code tensor} → by the tensor's rank,
     * {@code none} (or no target at all) → {@link Target#none()}.
     *
     * @param t the raw {@code attribute_args.target}, {@code null} if absent
     * @param kind the case's target kind, {@code null} to infer it from the value
     * @return the target
     * @throws IllegalArgumentException if the target does not have the stated form
     */
    static Target parse(JsonElement t, GoldenCase.TargetKind kind) {
        GoldenCase.TargetKind k = kind;
        if (k == null) {
            k =
                    t == null
                            ? GoldenCase.TargetKind.NONE
                            : t.isJsonArray()
                                    ? GoldenCase.TargetKind.PER_EXAMPLE_LIST
                                    : GoldenCase.TargetKind.INT;
        }
        String where = "attribute_args.target";
        if (k != GoldenCase.TargetKind.NONE && t == null) {
            throw new IllegalArgumentException(
                    where + " is required by target_kind " + k + ", got nothing");
        }
        switch (k) {
            case NONE:
                return Target.none();
            case INT:
                return Target.index(Math.toIntExact(CaseTensors.parseLong(t, where)));
            case PER_EXAMPLE_LIST:
                return Target.perExample(ints(t, where));
            case TUPLE:
                return Target.position(ints(t, where));
            case PER_EXAMPLE_TUPLES:
                return Target.perExample(tuples(t, where));
            case TENSOR:
                return tensorTarget(t, where);
            default:
                throw new IllegalStateException("unknown target kind " + k);
        }
    }

    private static int[] ints(JsonElement t, String where) {
        if (!t.isJsonArray()) {
            throw new IllegalArgumentException(
                    where + " must be a list of integers, got " + CaseArgs.describe(t));
        }
        JsonArray a = t.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(CaseTensors.parseLong(a.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static List<int[]> tuples(JsonElement t, String where) {
        if (!t.isJsonArray()) {
            throw new IllegalArgumentException(
                    where + " must be a list of index lists, got " + CaseArgs.describe(t));
        }
        JsonArray a = t.getAsJsonArray();
        List<int[]> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(ints(a.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static Target tensorTarget(JsonElement t, String where) {
        if (!CaseTensors.isTensor(t)) {
            throw new IllegalArgumentException(
                    where + " must be a tensor, got " + CaseArgs.describe(t));
        }
        JsonObject o = t.getAsJsonObject();
        int rank = o.getAsJsonArray("shape").size();
        JsonArray data = o.getAsJsonArray("data");
        int[] values = new int[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] =
                    Math.toIntExact(CaseTensors.parseLong(data.get(i), where + ".data[" + i + "]"));
        }
        if (rank == 0) {
            return Target.index(values[0]);
        }
        if (rank == 1) {
            return Target.perExample(values);
        }
        if (rank == 2) {
            int width = o.getAsJsonArray("shape").get(1).getAsInt();
            List<int[]> tuples = new ArrayList<>();
            for (int n = 0; n < values.length / width; n++) {
                int[] tuple = new int[width];
                System.arraycopy(values, n * width, tuple, 0, width);
                tuples.add(tuple);
            }
            return Target.perExample(tuples);
        }
        throw new IllegalArgumentException(
                where + " tensor must have rank 0, 1 or 2, got rank " + rank);
    }
}
