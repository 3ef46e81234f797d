package io.github.captum4j.concept;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.attr.layer.LayerActivation;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layer activations of concepts' examples, flattened to rows (Captum's {@code
 * generate_activation}), and the content fingerprints of concepts for the CAV cache. Computed once
 * per concept and call. Not API.
 */
final class ConceptActivations {

    private final LayerAccess model;
    private final List<LayerPath> layers;
    private final boolean layerInput;
    private final Map<Integer, List<float[][]>> rows = new HashMap<>();
    private final Map<Integer, String> digests = new HashMap<>();

    ConceptActivations(LayerAccess model, List<LayerPath> layers, boolean layerInput) {
        this.model = model;
        this.layers = layers;
        this.layerInput = layerInput;
    }

    /** The concept's rows at the layer of index {@code layer}, {@code (n, F)}. */
    float[][] of(Concept c, int layer) {
        return rows.computeIfAbsent(c.id(), id -> compute(c)).get(layer);
    }

    private List<float[][]> compute(Concept c) {
        LayerActivation act = new LayerActivation(model, layers);
        List<List<float[]>> perLayer = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            perLayer.add(new ArrayList<>());
        }
        for (NDArray batch : c.examples()) {
            Checks.argument(
                    batch != null && batch.getShape().dimension() >= 1,
                    "concept %s's examples must be batches with the batch in dimension 0",
                    c.identifier());
            try (Attribution a =
                    act.attribute(
                            Inputs.of(batch),
                            Target.none(),
                            new LayerActivation.Options(layerInput))) {
                for (int l = 0; l < layers.size(); l++) {
                    perLayer.get(l).addAll(List.of(TCAV.flatRows(a.attribution(l))));
                }
            }
        }
        Checks.argument(
                !perLayer.get(0).isEmpty(), "concept %s has no examples", c.identifier());
        List<float[][]> out = new ArrayList<>();
        for (List<float[]> l : perLayer) {
            out.add(l.toArray(new float[0][]));
        }
        return out;
    }

    /** SHA-256 of a concept's id, name and example values (shapes, types and bytes). */
    String digest(Concept c) {
        return digests.computeIfAbsent(
                c.id(),
                id -> {
                    MessageDigest md = sha256();
                    md.update(c.identifier().getBytes(StandardCharsets.UTF_8));
                    for (NDArray batch : c.examples()) {
                        md.update(batch.getShape().toString().getBytes(StandardCharsets.UTF_8));
                        md.update(batch.getDataType().toString().getBytes(StandardCharsets.UTF_8));
                        NDArray dense =
                                batch.getDataType() == DataType.FLOAT32
                                        ? batch
                                        : batch.toType(DataType.FLOAT32, false);
                        float[] v = dense.toFloatArray();
                        ByteBuffer buf = ByteBuffer.allocate(v.length * 4);
                        buf.asFloatBuffer().put(v);
                        md.update(buf.array());
                        if (dense != batch) {
                            dense.close();
                        }
                    }
                    return hex(md.digest());
                });
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    /** Checks experimental sets: two or more concepts each, one concept object per id. */
    static void checkSets(List<List<Concept>> sets) {
        Checks.notNull(sets, "experimentalSets");
        Checks.argument(!sets.isEmpty(), "experimentalSets must hold at least one set, got none");
        Map<Integer, Concept> byId = new HashMap<>();
        for (int s = 0; s < sets.size(); s++) {
            List<Concept> set = sets.get(s);
            Checks.argument(
                    set != null && set.size() >= 2,
                    "experimentalSets[%s] must hold at least two concepts, got %s",
                    s,
                    set == null ? "null" : set.size());
            Set<Integer> seen = new HashSet<>();
            for (Concept c : set) {
                Checks.notNull(c, "experimentalSets[" + s + "] concept");
                Checks.argument(
                        seen.add(c.id()),
                        "experimentalSets[%s] must name each concept once, got id %s twice",
                        s,
                        c.id());
                Concept prev = byId.putIfAbsent(c.id(), c);
                Checks.argument(
                        prev == null || prev == c,
                        "experimentalSets must use one Concept per id, got two concepts with id %s"
                                + " (%s and %s)",
                        c.id(),
                        prev == null ? "" : prev.name(),
                        c.name());
            }
        }
    }
}
