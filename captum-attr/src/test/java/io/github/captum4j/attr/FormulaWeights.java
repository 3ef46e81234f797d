package io.github.captum4j.attr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The formula weights of {@code tools/zoo_reference.py} for the torchvision zoo tests: every
 * parameter {@code v_i = s * sin(0.618 i + k)} ({@code k} from the name's characters, {@code s} by
 * the parameter's role), so no large weight file is committed.
 *
 * <p>Why not DJL's {@code NDList.encode(NPZ)}: it deflates, about 28 s of CPU for VGG11's 530 MB
 * (133M parameters), and {@code Math.sin} per element costs another 5.6 s. This streams each
 * parameter into an uncompressed {@code .npz} (zip level 0, NumPy's own {@code savez} layout) and
 * evaluates the sine by the angle-addition recurrence, re-anchored with {@code Math.sin} every
 * {@value #ANCHOR} elements (drift below 1e-12, far under float32's rounding).
 */
final class FormulaWeights {

    private static final int ANCHOR = 1024;
    private static final int CHUNK = 1 << 16;

    private FormulaWeights() {}

    /**
     * Writes the formula value of every parameter the architecture JSON lists.
     *
     * @param spec the model JSON (its {@code parameters}: name to shape)
     * @param file the {@code .npz} to write
     * @throws IOException if it cannot be written
     */
    static void write(JsonObject spec, Path file) throws IOException {
        try (ZipOutputStream zip =
                new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            for (Map.Entry<String, JsonElement> e : spec.getAsJsonObject("parameters").entrySet()) {
                JsonArray dims = e.getValue().getAsJsonArray();
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).getAsLong();
                }
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                writeNpy(zip, e.getKey(), shape);
                zip.closeEntry();
            }
        }
    }

    private static void writeNpy(OutputStream out, String name, long[] shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        long n = 1;
        for (long d : shape) {
            dims.append(d).append(", ");
            n *= d;
        }
        String tuple =
                shape.length == 1
                        ? "(" + shape[0] + ",)"
                        : "(" + (dims.length() == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        StringBuilder header =
                new StringBuilder(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        pre.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);
        pre.put((byte) 0).putShort((short) header.length());
        out.write(pre.array());
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));

        int k = 0;
        for (char c : name.toCharArray()) {
            k += c;
        }
        k %= 97;
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        double fanScale = Math.sqrt(3.0 / (n / shape[0]));
        ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        double cosD = Math.cos(0.618);
        double sinD = Math.sin(0.618);
        double s = 0;
        double c = 0;
        for (long i = 0; i < n; i++) {
            if (i % ANCHOR == 0) {
                s = Math.sin(i * 0.618 + k);
                c = Math.cos(i * 0.618 + k);
            } else {
                double s2 = s * cosD + c * sinD;
                c = c * cosD - s * sinD;
                s = s2;
            }
            double value;
            if (leaf.equals("running_var")) {
                value = 1.0 + 0.5 * s * s;
            } else if (leaf.equals("running_mean") || leaf.equals("bias")) {
                value = 0.1 * s;
            } else if (leaf.equals("weight") && shape.length == 1) {
                value = 1.0 + 0.1 * s;
            } else {
                value = s * fanScale;
            }
            buf.putFloat((float) value);
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /**
     * The formula input of {@code tools/zoo_reference.py}: {@code sin(0.37 i)}.
     *
     * @param n the number of elements
     * @return the values
     */
    static float[] input(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        return v;
    }
}
