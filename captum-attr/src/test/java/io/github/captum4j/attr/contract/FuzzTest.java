package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded fuzz of the public API (issue 19): random shapes, dtypes, targets, baselines, options,
 * closed arrays and models with broken outputs for every algorithm of {@link AlgorithmRegistry},
 * plus corrupt model files. Every failure must be an {@link IllegalArgumentException} or {@link
 * AttributionException} with a message of at most 500 characters; the caller's manager holds the
 * same arrays afterwards; and the next valid call works.
 */
class FuzzTest {

    private static final int CASES = 2050;
    private static final int CORRUPT_FILES = 120;
    private static final int MAX_MESSAGE = 500;

    private NDManager manager;

    @TempDir Path dir;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** One fuzz case: how it was made, for the failure message. */
    private record Case(String what, Inputs inputs, Target target, ForwardFunction model) {}

    @Test
    void randomCallsFailCleanlyLeakNothingAndLeaveTheNextCallWorking() {
        List<AlgorithmSpec> specs = AlgorithmRegistry.all();
        SplittableRandom rng = new SplittableRandom(19);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < CASES; i++) {
            AlgorithmSpec spec = specs.get(rng.nextInt(specs.size()));
            int before = manager.getManagedArrays().size();
            List<NDArray> made = new ArrayList<>();
            String outcome;
            Case c = null;
            try {
                c = randomCase(spec, rng, made);
                Case k = c;
                Integer seed = rng.nextBoolean() ? rng.nextInt(1000) : null;
                try (Attribution a =
                        spec.factory.apply(k.model()).attribute(k.inputs(), k.target(), seed)) {
                    assertThat(a.attributions()).isNotEmpty();
                }
                outcome = "ok";
            } catch (IllegalArgumentException | AttributionException e) {
                assertThat(e.getMessage())
                        .as("%s, case %s (%s)", spec, i, c == null ? "options" : c.what())
                        .isNotBlank()
                        .hasSizeLessThanOrEqualTo(MAX_MESSAGE);
                outcome = e.getClass().getSimpleName();
            } catch (RuntimeException | Error e) {
                throw new AssertionError(
                        spec + ", case " + i + " (" + (c == null ? "options" : c.what())
                                + ") threw " + e,
                        e);
            }
            for (NDArray a : made) {
                if (!a.isReleased()) {
                    a.close();
                }
            }
            assertThat(manager.getManagedArrays().size())
                    .as("%s, case %s (%s): arrays left in the caller's manager", spec, i,
                            c == null ? "options" : c.what())
                    .isEqualTo(before);
            outcomes.merge(outcome, 1, Integer::sum);
            if (!outcome.equals("ok") && i % 4 == 0) {
                Inputs valid = spec.fixture.inputs(manager, i);
                try (Attribution a =
                        spec.factory.apply(spec.fixture.model())
                                .attribute(valid, validTarget(spec), 1)) {
                    assertThat(a.attributions()).isNotEmpty();
                }
                valid.tensors().close();
            }
        }
        System.out.printf("fuzz: %d cases over %d algorithms: %s%n", CASES, specs.size(), outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        assertThat(outcomes.get("ok")).as("valid calls among the cases").isPositive();
    }

    private static Target validTarget(AlgorithmSpec spec) {
        return spec.targetChecked ? spec.fixture.target() : Target.none();
    }

    private Case randomCase(AlgorithmSpec spec, SplittableRandom rng, List<NDArray> made) {
        Fixture f = spec.fixture;
        int batch = 1 + rng.nextInt(4);
        List<long[]> shapes = new ArrayList<>(f.inputShapes());
        DataType type = DataType.FLOAT32;
        Target target = randomValidTarget(spec, batch, rng);
        ForwardFunction model = f.model();
        Baselines baselines = null;
        boolean nan = false;
        boolean closeOne = false;
        int kind = rng.nextInt(14);
        String what;
        switch (kind) {
            case 0, 1, 2 -> what = "valid, batch " + batch;
            case 3 -> {
                int at = rng.nextInt(shapes.size());
                long[] s = shapes.get(at).clone();
                s[rng.nextInt(s.length)] += 1 + rng.nextInt(3);
                shapes.set(at, s);
                what = "input " + at + " with a wrong size";
            }
            case 4 -> {
                int at = rng.nextInt(shapes.size());
                long[] s = shapes.get(at);
                long[] t = new long[s.length + 1];
                System.arraycopy(s, 0, t, 0, s.length);
                t[s.length] = 1;
                shapes.set(at, rng.nextBoolean() ? t : new long[0]);
                what = "input " + at + " of another rank";
            }
            case 5 -> {
                DataType[] types = {DataType.FLOAT64, DataType.INT32, DataType.INT64,
                    DataType.FLOAT16, DataType.UINT8};
                type = types[rng.nextInt(types.length)];
                what = "inputs of type " + type;
            }
            case 6 -> {
                int[] bad = {f.outputs(), f.outputs() + 7, -1 - f.outputs(), Integer.MAX_VALUE};
                target = rng.nextBoolean()
                        ? Target.index(bad[rng.nextInt(bad.length)])
                        : Target.perExample(new int[batch + 1 + rng.nextInt(2)]);
                what = "target " + target;
            }
            case 7 -> {
                nan = true;
                what = "a NaN or infinite input";
            }
            case 8 -> {
                int pick = rng.nextInt(3);
                baselines = pick == 0 ? Baselines.scalar(Float.NaN)
                        : pick == 1 ? Baselines.scalar(Float.POSITIVE_INFINITY)
                        : wrongShapeBaselines(shapes, batch, rng, made);
                what = "baselines " + pick;
            }
            case 9 -> {
                closeOne = true;
                what = "a closed input array";
            }
            case 10 -> {
                batch = 0;
                target = spec.targetChecked ? Target.index(0) : Target.none();
                what = "an empty batch";
            }
            case 11 -> {
                ForwardFunction base = model;
                int pick = rng.nextInt(3);
                model = pick == 0 ? (x, a) -> base.forward(x, a).stopGradient()
                        : pick == 1 ? (x, a) -> base.forward(x, a).toType(DataType.INT32, false)
                        : (x, a) -> base.forward(x, a).get("0:1");
                what = "a model output that is " + (pick == 0 ? "detached"
                        : pick == 1 ? "integer" : "one row");
            }
            case 12 -> {
                target = spec.targetChecked
                        ? (rng.nextBoolean() ? Target.position(0, 0) : Target.none())
                        : Target.index(0);
                what = "target " + target;
            }
            default -> {
                if (!spec.invalidOptions.isEmpty()) {
                    spec.invalidOptions.get(rng.nextInt(spec.invalidOptions.size()))
                            .options().get();
                }
                what = "invalid options (none registered)";
            }
        }
        if (!f.lambda() && kind == 11) {
            what = "valid (imported model kept)";
            model = f.model();
        }
        List<NDArray> tensors = new ArrayList<>();
        for (long[] s : shapes) {
            Shape shape = new Shape(batch).addAll(new Shape(s));
            float[] values = TestModels.gaussian((int) shape.size(), rng.nextLong());
            if (nan && values.length > 0) {
                values[rng.nextInt(values.length)] =
                        rng.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
            }
            NDArray x = manager.create(values, shape);
            if (type != DataType.FLOAT32) {
                NDArray y = x.toType(type, false);
                x.close();
                x = y;
            }
            made.add(x);
            tensors.add(x);
        }
        Inputs in = Inputs.of(tensors.toArray(new NDArray[0]));
        if (closeOne) {
            tensors.get(rng.nextInt(tensors.size())).close(); // after building the inputs
        }
        if (baselines != null) {
            in = in.withBaselines(baselines);
        }
        return new Case(what, in, target, model);
    }

    private Baselines wrongShapeBaselines(
            List<long[]> shapes, int batch, SplittableRandom rng, List<NDArray> made) {
        Object[] values = new Object[shapes.size()];
        for (int i = 0; i < values.length; i++) {
            long[] s = shapes.get(i).clone();
            if (s.length > 0 && rng.nextBoolean()) {
                s[0] += 1;
            }
            NDArray b = manager.zeros(new Shape(batch + rng.nextInt(2)).addAll(new Shape(s)));
            made.add(b);
            values[i] = b;
        }
        return Baselines.perInput(values);
    }

    private static Target randomValidTarget(AlgorithmSpec spec, int batch, SplittableRandom rng) {
        if (!spec.targetChecked) {
            return Target.none();
        }
        if (rng.nextBoolean()) {
            return Target.index(rng.nextInt(spec.fixture.outputs()));
        }
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = rng.nextInt(spec.fixture.outputs());
        }
        return Target.perExample(t);
    }

    @Test
    void corruptModelFilesAreRejectedWithIllegalArgumentException() throws IOException {
        Path models = TestModels.model("tabular_mlp.json").getParent();
        byte[] json = Files.readAllBytes(models.resolve("tabular_mlp.json"));
        byte[] npz = Files.readAllBytes(models.resolve("tabular_mlp.npz"));
        byte[] pt = Files.readAllBytes(models.resolve("tabular_mlp.pt"));
        SplittableRandom rng = new SplittableRandom(23);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < CORRUPT_FILES; i++) {
            Path caseDir = Files.createDirectories(dir.resolve("c" + i));
            int which = rng.nextInt(3);
            byte[] jsonCase = which == 0 ? corrupt(json, rng) : json;
            byte[] npzCase = which == 1 ? corrupt(npz, rng) : npz;
            Files.write(caseDir.resolve("tabular_mlp.json"), jsonCase);
            Files.write(caseDir.resolve("tabular_mlp.npz"), npzCase);
            Files.write(caseDir.resolve("tabular_mlp.pt"), which == 2 ? corrupt(pt, rng) : pt);
            String outcome;
            try (NDManager m = manager.newSubManager()) {
                if (which == 2) {
                    try (TorchScriptModel model =
                            TorchScriptModel.load(caseDir.resolve("tabular_mlp.pt"))) {
                        outcome = run(model.forwardFunction(), m);
                    }
                } else {
                    try (ImportedModel model =
                            ImportedModel.load(caseDir.resolve("tabular_mlp.json"), m)) {
                        outcome = run(model.forwardFunction(), m);
                    }
                }
            } catch (IllegalArgumentException | AttributionException e) {
                assertThat(e.getMessage()).as("file case %s", i)
                        .isNotBlank().hasSizeLessThanOrEqualTo(MAX_MESSAGE);
                outcome = "rejected";
            } catch (java.nio.file.NoSuchFileException e) {
                outcome = "missing file"; // a corrupted state_dict_file name: the documented IOException
            } catch (IOException e) {
                outcome = "IOException";
            } catch (RuntimeException e) {
                throw new AssertionError("file case " + i + " (" + which + ") threw " + e, e);
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.printf("fuzz: %d corrupt model files: %s%n", CORRUPT_FILES, outcomes);
        assertThat(outcomes).doesNotContainKey("IOException");
    }

    private static String run(ForwardFunction f, NDManager m) {
        NDArray x = m.create(TestModels.gaussian(20, 3), new Shape(2, 10));
        NDArray out = f.forward(new NDList(x), List.of());
        return out.getShape().equals(new Shape(2, 3)) ? "loaded" : "loaded, other output";
    }

    /** Flips, truncates or splices bytes. */
    private static byte[] corrupt(byte[] b, SplittableRandom rng) {
        byte[] c = b.clone();
        switch (rng.nextInt(3)) {
            case 0 -> {
                for (int k = 0; k < 1 + rng.nextInt(8); k++) {
                    c[rng.nextInt(c.length)] ^= (byte) (1 << rng.nextInt(8));
                }
                return c;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(c, rng.nextInt(c.length));
            }
            default -> {
                int at = rng.nextInt(c.length);
                int len = Math.min(c.length - at, 1 + rng.nextInt(64));
                for (int k = 0; k < len; k++) {
                    c[at + k] = (byte) rng.nextInt(256);
                }
                return c;
            }
        }
    }
}
