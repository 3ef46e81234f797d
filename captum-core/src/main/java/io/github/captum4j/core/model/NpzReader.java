package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a NumPy {@code .npz} archive (written by {@code numpy.savez} or {@code savez_compressed})
 * into NDArrays named after its entries. Each {@code .npy} header is parsed here, so the byte order
 * it states ({@code '<f4'}, {@code '>f8'}, {@code '|u1'}) is honoured: big-endian data is swapped
 * to the machine's order, never read as if it were little-endian. Anything that is not a
 * well-formed archive of C-ordered numeric arrays fails with an {@link IllegalArgumentException}
 * naming the file and the entry.
 */
final class NpzReader {

    /** The numpy kinds and item sizes read, as {@code kind + size}. */
    private static final Map<String, DataType> DTYPES =
            Map.of("f2", DataType.FLOAT16, "f4", DataType.FLOAT32, "f8", DataType.FLOAT64,
                    "i1", DataType.INT8, "u1", DataType.UINT8, "i2", DataType.INT16,
                    "i4", DataType.INT32, "i8", DataType.INT64, "b1", DataType.BOOLEAN);

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzReader() {}

    /**
     * Reads every {@code .npy} entry.
     *
     * @param file the archive
     * @param manager the manager the arrays are created in
     * @return the arrays, in archive order, each named after its entry without {@code .npy}
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a valid archive of numeric arrays
     */
    static NDList read(Path file, NDManager manager) throws IOException {
        NDList out = new NDList();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                try (InputStream in = zip.getInputStream(e)) {
                    NDArray a = readNpy(in, e.getSize(), file, name, manager);
                    a.setName(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name);
                    out.add(a);
                }
            }
        } catch (ZipException e) {
            out.close();
            throw new IllegalArgumentException(
                    "state dict " + file + " must be a .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static NDArray readNpy(
            InputStream in, long entrySize, Path file, String entry, NDManager manager)
            throws IOException {
        String where = "state dict " + file + ", entry '" + entry + "'";
        byte[] magic = in.readNBytes(8);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic.length < 8 || magic[i] != MAGIC[i]) {
                throw bad(where, "does not start with the .npy magic \\x93NUMPY");
            }
        }
        int major = magic[6];
        int headerLength;
        if (major == 1) {
            byte[] n = in.readNBytes(2);
            check(n.length == 2, where, "ends inside its header");
            headerLength = (n[0] & 0xff) | (n[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] n = in.readNBytes(4);
            check(n.length == 4, where, "ends inside its header");
            headerLength = ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw bad(where, "has .npy format version " + major + ", expected 1, 2 or 3");
        }
        check(
                headerLength > 0 && headerLength <= MAX_HEADER,
                where,
                "has a header length of " + headerLength + " bytes, expected 1 to " + MAX_HEADER);
        byte[] h = in.readNBytes(headerLength);
        check(h.length == headerLength, where, "ends inside its header");
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher d = DESCR.matcher(header);
        check(d.find(), where, "has no numeric 'descr' in its header " + clip(header));
        String kind = d.group(2);
        int itemSize = Integer.parseInt(d.group(3).length() > 2 ? "0" : d.group(3));
        DataType type = dataType(kind, itemSize);
        check(type != null, where, "has an unsupported dtype '" + d.group(0).replaceAll(".*:\\s*", "") + "'");
        ByteOrder order = ">".equals(d.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Matcher f = FORTRAN.matcher(header);
        check(f.find(), where, "has no 'fortran_order' in its header " + clip(header));
        check("False".equals(f.group(1)), where, "is in Fortran order, expected C order");
        Matcher s = SHAPE.matcher(header);
        check(s.find(), where, "has no 'shape' in its header " + clip(header));
        long[] dims = dims(s.group(1), where);

        long count = 1;
        for (long dim : dims) {
            count = multiply(count, dim, where);
        }
        long bytes = multiply(count, itemSize, where);
        check(
                bytes <= Integer.MAX_VALUE - 8,
                where,
                "holds " + bytes + " bytes, more than one array can hold");
        if (entrySize >= 0) {
            long expected = (major == 1 ? 10 : 12) + headerLength + bytes;
            check(
                    entrySize == expected,
                    where,
                    "is " + entrySize + " bytes long, its header "
                            + "(shape " + new Shape(dims) + ", " + itemSize + "-byte items) says "
                            + expected);
        }
        byte[] data = in.readNBytes((int) bytes);
        check(
                data.length == bytes,
                where,
                "ends after " + data.length + " of its " + bytes + " data bytes");
        if (itemSize > 1 && order != ByteOrder.nativeOrder()) {
            swap(data, itemSize);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
        buffer.put(data).rewind();
        return manager.create(buffer, new Shape(dims), type);
    }

    /** The data type of a numpy kind and item size ({@code "f4"}), or {@code null} if unsupported. */
    private static DataType dataType(String kind, int size) {
        return DTYPES.get(kind + size);
    }

    private static long[] dims(String tuple, String where) {
        List<Long> out = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("l")) {
                t = t.substring(0, t.length() - 1); // Python 2 longs
            }
            if (t.isEmpty()) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw bad(where, "has a shape (" + clip(tuple) + ") that is not a tuple of sizes");
            }
            check(v >= 0, where, "has a negative size in its shape (" + clip(tuple) + ")");
            out.add(v);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long multiply(long a, long b, String where) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw bad(where, "has a shape whose size overflows");
        }
    }

    private static void swap(byte[] data, int itemSize) {
        for (int i = 0; i + itemSize <= data.length; i += itemSize) {
            for (int a = i, b = i + itemSize - 1; a < b; a++, b--) {
                byte t = data[a];
                data[a] = data[b];
                data[b] = t;
            }
        }
    }

    private static String clip(String s) {
        String t = s.strip();
        return t.length() <= 80 ? t : t.substring(0, 80) + "...";
    }

    private static void check(boolean ok, String where, String what) {
        if (!ok) {
            throw bad(where, what);
        }
    }

    private static IllegalArgumentException bad(String where, String what) {
        return new IllegalArgumentException(where + " is not a valid .npy array: it " + what);
    }
}
