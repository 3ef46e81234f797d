package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Where the values of a model's parameters come from: a state dict or a seeded initialiser. */
abstract class WeightSource {

    /**
     * How PyTorch initialises a parameter, for {@link Seeded}.
     *
     * @param kind the distribution
     * @param scale the standard deviation (normal), bound (uniform) or value (constant)
     */
    record Init(Kind kind, double scale) {

        /** The distribution. */
        enum Kind {
            NORMAL,
            UNIFORM,
            CONSTANT
        }

        static Init normal(double std) {
            return new Init(Kind.NORMAL, std);
        }

        static Init uniform(double bound) {
            return new Init(Kind.UNIFORM, bound);
        }

        static Init constant(double value) {
            return new Init(Kind.CONSTANT, value);
        }
    }

    /**
     * Returns the value of one parameter, owned by the parameters' manager.
     *
     * @param name the PyTorch state-dict name, e.g. {@code layer1.0.bn1.running_var}
     * @param shape the shape the module requires
     * @param init how PyTorch would initialise it
     * @param module a description of the module for messages, e.g. {@code Linear(10, 3)}
     * @return the array
     */
    abstract NDArray get(String name, Shape shape, Init init, String module);

    /** Checks that every entry was used and releases what was not. */
    abstract void finish();

    /** Parameters read from an {@code .npz} state dict (keys = PyTorch names). */
    static final class StateDict extends WeightSource {

        private static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

        private final Path file;
        private final Map<String, NDArray> arrays = new LinkedHashMap<>();

        /**
         * Reads the file into the manager.
         *
         * @param file the {@code .npz} file
         * @param manager the parameters' manager
         * @throws IOException if it cannot be read
         */
        StateDict(Path file, NDManager manager) throws IOException {
            this.file = file;
            NDList list = NpzReader.read(file, manager);
            for (NDArray a : list) {
                String name = a.getName();
                if (name == null || arrays.put(name, a) != null) {
                    throw new IllegalArgumentException(
                            "state dict " + file + " must have unique names, got " + name);
                }
            }
        }

        @Override
        NDArray get(String name, Shape shape, Init init, String module) {
            NDArray a = arrays.remove(name);
            if (a == null) {
                throw new IllegalArgumentException(
                        "state dict "
                                + file
                                + " must have '"
                                + name
                                + "' of shape "
                                + shape
                                + " for "
                                + module
                                + ", it does not");
            }
            if (!a.getShape().equals(shape)) {
                throw new IllegalArgumentException(
                        "state dict entry '"
                                + name
                                + "' must have shape "
                                + shape
                                + " for "
                                + module
                                + ", got "
                                + a.getShape());
            }
            if (a.getDataType() != DataType.FLOAT32) {
                NDArray f = a.toType(DataType.FLOAT32, false);
                a.close();
                a = f;
            }
            return a;
        }

        @Override
        void finish() {
            List<String> unexpected = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                if (!e.getKey().endsWith("." + NUM_BATCHES_TRACKED)) {
                    unexpected.add(e.getKey());
                }
                e.getValue().close();
            }
            arrays.clear();
            if (!unexpected.isEmpty()) {
                throw new IllegalArgumentException(
                        "state dict "
                                + file
                                + " must hold only the parameters of the JSON's layers, got"
                                + " unexpected entries "
                                + unexpected);
            }
        }
    }

    /** Deterministic PyTorch-like random initialisation from a seed (for benchmarks). */
    static final class Seeded extends WeightSource {

        private final NDManager manager;
        private final SplittableRandom random;

        Seeded(NDManager manager, long seed) {
            this.manager = manager;
            this.random = new SplittableRandom(seed);
        }

        @Override
        NDArray get(String name, Shape shape, Init init, String module) {
            int n = Math.toIntExact(shape.size());
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                switch (init.kind()) {
                    case NORMAL:
                        values[i] = (float) (random.nextGaussian() * init.scale());
                        break;
                    case UNIFORM:
                        values[i] = (float) ((2 * random.nextDouble() - 1) * init.scale());
                        break;
                    default:
                        values[i] = (float) init.scale();
                        break;
                }
            }
            return manager.create(values, shape);
        }

        @Override
        void finish() {
            // nothing to check
        }
    }
}
