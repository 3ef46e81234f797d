package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The state dict reader honours the byte order an {@code .npy} header states and rejects corrupt
 * headers with an IllegalArgumentException naming the file and entry (issue 19 items 6 and 11).
 * Before: a big-endian {@code '>f4'} archive loaded byte-swapped (weights ~1e-41) without a word,
 * and corrupt headers surfaced as NegativeArraySizeException / "Malformed data".
 */
class NpzReaderTest {

    private static NDManager base;

    @TempDir Path dir;

    @BeforeAll
    static void open() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        base.close();
    }

    @Test
    void bigEndianStateDictGivesTheSameModel() throws IOException {
        Path json = Fixtures.modelJson("toy");
        Path copyJson = dir.resolve("toy.json");
        Files.copy(json, copyJson);
        // the same weights, every entry rewritten as '>f4' with its bytes swapped
        try (ZipFile in = new ZipFile(json.resolveSibling("toy.npz").toFile());
                ZipOutputStream out =
                        new ZipOutputStream(Files.newOutputStream(dir.resolve("toy.npz")))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] b = in.getInputStream(e).readAllBytes();
                String all = new String(b, StandardCharsets.ISO_8859_1);
                int headerEnd = 10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8);
                assertThat(all.substring(10, headerEnd)).contains("'<f4'");
                byte[] swapped = all.substring(0, headerEnd).replace("'<f4'", "'>f4'")
                        .getBytes(StandardCharsets.ISO_8859_1);
                ByteBuffer data = ByteBuffer.wrap(b, headerEnd, b.length - headerEnd)
                        .order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer be = ByteBuffer.allocate(b.length - headerEnd).order(ByteOrder.BIG_ENDIAN);
                while (data.hasRemaining()) {
                    be.putFloat(data.getFloat());
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(swapped);
                out.write(be.array());
                out.closeEntry();
            }
        }
        try (NDManager m = base.newSubManager();
                ImportedModel little = ImportedModel.load(json, m);
                ImportedModel big = ImportedModel.load(copyJson, m)) {
            NDArray x = m.create(new float[] {0.5f, -1f, 2f, 1f, 0.25f, -3f}, new ai.djl.ndarray.types.Shape(2, 3));
            float[] expected = little.forwardFunction().forward(new NDList(x), List.of()).toFloatArray();
            float[] got = big.forwardFunction().forward(new NDList(x), List.of()).toFloatArray();
            assertThat(got).containsExactly(expected);
        }
    }

    @Test
    void readsEveryStatedByteOrderAndType() throws IOException {
        Path f = dir.resolve("mixed.npz");
        ByteBuffer le = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25);
        ByteBuffer be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2.25);
        ByteBuffer bi = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(7).putInt(-300000);
        write(f, "a.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", le.array()),
                "b.npy", npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 1), }", be.array()),
                "c.npy", npy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", bi.array()),
                "d.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (), }", new byte[] {9}));
        try (NDManager m = base.newSubManager()) {
            NDList l = NpzReader.read(f, m);
            assertThat(l.get(0).getName()).isEqualTo("a");
            assertThat(l.get(0).toDoubleArray()).containsExactly(1.5, -2.25);
            assertThat(l.get(1).getShape().getShape()).containsExactly(2, 1);
            assertThat(l.get(1).toDoubleArray()).containsExactly(1.5, -2.25);
            assertThat(l.get(2).toIntArray()).containsExactly(7, -300000);
            assertThat(l.get(3).toUint8Array()).containsExactly(9);
        }
    }

    @Test
    void corruptHeadersNameTheFileAndEntry() throws IOException {
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        byte[] eight = new byte[8];
        List<byte[]> bad = List.of(
                "NOTNUMPY".getBytes(StandardCharsets.ISO_8859_1),
                withLength(npy(ok, eight), 0xffff),
                withLength(npy(ok, eight), 0),
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-5,), }", eight),
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", eight),
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }", eight),
                npy("{'descr': '<U7', 'fortran_order': False, 'shape': (2,), }", eight),
                npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", eight),
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }", eight),
                npy("{'fortran_order': False, 'shape': (2,), }", eight),
                npy(ok, new byte[5]));
        for (int i = 0; i < bad.size(); i++) {
            Path f = dir.resolve("bad" + i + ".npz");
            write(f, "w.npy", bad.get(i));
            try (NDManager m = base.newSubManager()) {
                long before = m.getManagedArrays().size();
                assertThatThrownBy(() -> NpzReader.read(f, m))
                        .as("case %s", i)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(f.toString())
                        .hasMessageContaining("'w.npy'")
                        .matches(e -> e.getMessage().length() < 500, "message under 500 chars");
                assertThat(m.getManagedArrays()).hasSize((int) before);
            }
        }
        Path notZip = dir.resolve("not.npz");
        Files.write(notZip, "hello".getBytes(StandardCharsets.US_ASCII));
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> NpzReader.read(notZip, m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(notZip.toString());
        }
    }

    private static byte[] npy(String header, byte[] data) {
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
            (byte) hb.length, (byte) (hb.length >> 8)});
        out.writeBytes(hb);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] withLength(byte[] npy, int length) {
        byte[] b = npy.clone();
        b[8] = (byte) length;
        b[9] = (byte) (length >> 8);
        return b;
    }

    private static void write(Path f, Object... nameAndBytes) throws IOException {
        try (OutputStream os = Files.newOutputStream(f);
                ZipOutputStream z = new ZipOutputStream(os)) {
            for (int i = 0; i < nameAndBytes.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) nameAndBytes[i]));
                z.write((byte[]) nameAndBytes[i + 1]);
                z.closeEntry();
            }
        }
    }
}
