package io.github.captum4j.concept;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CAVs on disk, under {@code savePath/modelId/<concept ids>-<layer>-<fingerprint>.cav}. The
 * fingerprint hashes everything that changes a CAV besides the model (the concepts' ids, names and
 * example values, the layer and site, the classifier's cache key), and is stored in the file and
 * checked on load, so a changed concept or classifier never reuses a stale CAV. Not API.
 */
final class CavStore {

    private static final int MAGIC = 0x43415631; // "CAV1"

    private final Path dir;

    CavStore(Path savePath, String modelId) {
        this.dir = savePath == null ? null : savePath.resolve(modelId);
    }

    Path file(String setKey, String layer, String fingerprint) {
        String safeLayer = layer.replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(setKey + "-" + safeLayer + "-" + fingerprint.substring(0, 16) + ".cav");
    }

    Optional<CAV> load(String setKey, String layer, String fingerprint) {
        if (dir == null) {
            return Optional.empty();
        }
        Path f = file(setKey, layer, fingerprint);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try (InputStream raw = Files.newInputStream(f);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(fingerprint)) {
                return Optional.empty();
            }
            int nIds = in.readInt();
            List<Integer> ids = new ArrayList<>(nIds);
            List<String> names = new ArrayList<>(nIds);
            for (int i = 0; i < nIds; i++) {
                ids.add(in.readInt());
                names.add(in.readUTF());
            }
            String storedLayer = in.readUTF();
            int rows = in.readInt();
            int cols = in.readInt();
            int[] classes = new int[rows];
            float[][] w = new float[rows][cols];
            for (int k = 0; k < rows; k++) {
                classes[k] = in.readInt();
                for (int j = 0; j < cols; j++) {
                    w[k][j] = in.readFloat();
                }
            }
            double acc = in.readDouble();
            return Optional.of(new CAV(ids, names, storedLayer, w, classes, acc));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: retrain and overwrite
        }
    }

    void save(CAV cav, String setKey, String fingerprint) {
        if (dir == null) {
            return;
        }
        Path f = file(setKey, cav.layer(), fingerprint);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "cav", ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp);
                    DataOutputStream out =
                            new DataOutputStream(new java.io.BufferedOutputStream(raw))) {
                out.writeInt(MAGIC);
                out.writeUTF(fingerprint);
                out.writeInt(cav.conceptIds().size());
                for (int i = 0; i < cav.conceptIds().size(); i++) {
                    out.writeInt(cav.conceptIds().get(i));
                    out.writeUTF(cav.conceptNames().get(i));
                }
                out.writeUTF(cav.layer());
                out.writeInt(cav.weights().length);
                out.writeInt(cav.weights()[0].length);
                for (int k = 0; k < cav.weights().length; k++) {
                    out.writeInt(cav.classes()[k]);
                    for (float v : cav.weights()[k]) {
                        out.writeFloat(v);
                    }
                }
                out.writeDouble(cav.accuracy());
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CAV cache file " + f, e);
        }
    }
}
