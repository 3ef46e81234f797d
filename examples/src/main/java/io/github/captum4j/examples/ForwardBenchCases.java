package io.github.captum4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.layer.LayerDeepLift;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The model rows of the {@code bench} subcommand (issue 14): the graph executor's forward against
 * the same model's TorchScript forward, DeepLift on a transformer and on MobileNetV2 at 224x224
 * against their raw forward + backward, and the import of ResNet-50 from its weights file against
 * reading that file's bytes. The last two pairs are {@link Pair}s: both sides are timed the same
 * way as an attribution and its raw counterpart.
 */
final class ForwardBenchCases {

    private static final Shape SMALL_1 = new Shape(1, 3, 64, 64);
    private static final Shape SMALL_50 = new Shape(50, 3, 64, 64);
    private static final Shape IMAGENET_1 = new Shape(1, 3, 224, 224);

    private ForwardBenchCases() {}

    /**
     * Two timed bodies: the subject (the "attr" column) and its reference (the "raw" column).
     *
     * @param name the row's label
     * @param prepare builds both bodies (untimed) in the row's manager
     */
    record Pair(String name, java.util.function.Function<NDManager, Runnable[]> prepare) {}

    /**
     * The forward and import rows.
     *
     * @param tiny tiny_resnet as a Block model
     * @param tinyTs tiny_resnet as TorchScript
     * @param resnet50Json torchvision's ResNet-50 architecture JSON (no weights committed: the row
     *     writes a seeded {@code .npz} of 102 MB next to a copy of it in a temporary folder)
     * @return the rows
     */
    static List<Pair> pairs(ImportedModel tiny, ForwardFunction tinyTs, Path resnet50Json) {
        List<Pair> rows = new ArrayList<>();
        rows.add(
                forward(
                        "forward tiny_resnet B=1 x50 [block / torchscript]",
                        tiny.forwardFunction(),
                        tinyTs,
                        SMALL_1,
                        50));
        rows.add(
                forward(
                        "forward tiny_resnet B=50 [block / torchscript]",
                        tiny.forwardFunction(),
                        tinyTs,
                        SMALL_50,
                        1));
        rows.add(
                new Pair(
                        "import resnet50 102 MB npz [load / read bytes]",
                        m -> importRow(resnet50Json)));
        return rows;
    }

    /**
     * The DeepLift rows, ordinary bench cases: LayerDeepLift on tiny_text_transformer's token
     * embeddings (ids are not differentiable) and DeepLift on MobileNetV2 (seeded weights).
     *
     * @param text tiny_text_transformer as a Block model
     * @param mobilenet torchvision's MobileNetV2 as a Block model
     * @return the rows
     */
    static List<BenchCase> deepLift(ImportedModel text, ImportedModel mobilenet) {
        ForwardFunction mb = mobilenet.forwardFunction();
        return List.of(
                layerDeepLiftOnIds(text, new Shape(8, 16)),
                GradientBenchCases.ruleCase(
                        "DeepLift mobilenet_v2 3x224x224 B=1 [block]",
                        mb,
                        new DeepLift(mb),
                        IMAGENET_1,
                        2,
                        0));
    }

    private static Pair forward(
            String name, ForwardFunction block, ForwardFunction ts, Shape shape, int passes) {
        return new Pair(
                name,
                m -> {
                    NDArray x = m.randomUniform(0f, 1f, shape);
                    return new Runnable[] {
                        () -> passes(block, x, m, passes), () -> passes(ts, x, m, passes)
                    };
                });
    }

    /** {@code passes} forwards without gradients, each freed after its result is read. */
    private static void passes(ForwardFunction f, NDArray x, NDManager m, int passes) {
        for (int i = 0; i < passes; i++) {
            try (NDManager pass = m.newSubManager()) {
                pass.tempAttachAll(x);
                f.forward(new NDList(x), List.of()).toFloatArray();
            }
        }
    }

    /**
     * LayerDeepLift on {@code tok_emb} of random ids (pad baseline): its raw pass is one forward of
     * the inputs and baselines (2N rows) and one backward into the embedding table, the closest
     * plain-DJL pass to a gradient at the embeddings.
     */
    private static BenchCase layerDeepLiftOnIds(ImportedModel text, Shape shape) {
        LayerDeepLift ld = new LayerDeepLift(text, LayerPath.of("tok_emb"));
        ForwardFunction f = text.forwardFunction();
        NDArray table = text.layer("tok_emb").getParameters().valueAt(0).getArray();
        return new BenchCase(
                "LayerDeepLift(tok_emb) tiny_text_transformer B=8 T=16 [block]",
                shape,
                in -> ld.attribute(Inputs.of(ids(in.get(0))), Target.index(1)),
                (x, m) -> {
                    NDArray ids = ids(x);
                    NDArray rows = ids.concat(ids.zerosLike(), 0);
                    return () -> {
                        try (NDManager pass = m.newSubManager();
                                GradientCollector c = Engine.getInstance().newGradientCollector()) {
                            pass.tempAttachAll(rows);
                            table.setRequiresGradient(true);
                            NDArray out = f.forward(new NDList(rows), List.of());
                            c.backward(out.get(":, 1").sum());
                            table.getGradient().toFloatArray();
                        } finally {
                            table.setRequiresGradient(false);
                        }
                    };
                },
                0);
    }

    /** Token ids 1..19 from the bench's uniform input. */
    private static NDArray ids(NDArray uniform) {
        return uniform.mul(19).floor().add(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
    }

    private static Runnable[] importRow(Path json) {
        try {
            Path dir = Files.createTempDirectory("captum4j-bench-resnet50");
            dir.toFile().deleteOnExit();
            JsonObject spec =
                    JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            spec.addProperty("state_dict_file", "resnet50.npz");
            Path copy = dir.resolve("resnet50.json");
            Files.writeString(copy, spec.toString(), StandardCharsets.UTF_8);
            Path npz = dir.resolve("resnet50.npz");
            writeSeededNpz(spec.getAsJsonObject("parameters"), npz, 0);
            copy.toFile().deleteOnExit();
            npz.toFile().deleteOnExit();
            return new Runnable[] {
                () -> {
                    try (NDManager m = NDManager.newBaseManager();
                            ImportedModel model = ImportedModel.load(copy, m)) {
                        model.id();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                () -> {
                    try {
                        Files.readAllBytes(npz);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes an uncompressed {@code .npz} (as {@code numpy.savez}) of float32 arrays with the
     * JSON's parameter names and shapes: running variances 1, everything else N(0, 0.01^2).
     */
    static void writeSeededNpz(JsonObject parameters, Path file, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        try (OutputStream os = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, JsonElement> e : parameters.entrySet()) {
                List<Long> dims = new ArrayList<>();
                long size = 1;
                for (JsonElement d : e.getValue().getAsJsonArray()) {
                    dims.add(d.getAsLong());
                    size *= d.getAsLong();
                }
                ByteArrayOutputStream entry = new ByteArrayOutputStream();
                entry.write(npyHeader(dims));
                ByteBuffer data =
                        ByteBuffer.allocate((int) size * 4).order(ByteOrder.LITTLE_ENDIAN);
                boolean ones = e.getKey().endsWith("running_var");
                for (long i = 0; i < size; i++) {
                    data.putFloat(ones ? 1f : (float) (0.01 * gaussian(rng)));
                }
                entry.write(data.array());
                byte[] bytes = entry.toByteArray();
                ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                z.setMethod(ZipEntry.STORED);
                z.setSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                z.setCrc(crc.getValue());
                zip.putNextEntry(z);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** A version 1.0 {@code .npy} header for a little-endian float32 C-ordered array. */
    private static byte[] npyHeader(List<Long> dims) {
        StringBuilder shape = new StringBuilder();
        for (Long d : dims) {
            shape.append(d).append(", ");
        }
        String tuple =
                dims.size() == 1
                        ? "(" + dims.get(0) + ",)"
                        : "("
                                + (dims.isEmpty() ? "" : shape.substring(0, shape.length() - 2))
                                + ")";
        String dict =
                String.format(
                        Locale.ROOT,
                        "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }",
                        tuple);
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
