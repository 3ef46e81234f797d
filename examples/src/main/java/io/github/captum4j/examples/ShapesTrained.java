package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shapes CNN the {@code robust} and {@code tcav} demos study: trained like the {@code demo}'s
 * (3000 images, 6 epochs, seed 42) into the output folder, and a held-out test set.
 */
final class ShapesTrained {

    static final int TRAIN = 3000;
    static final int EPOCHS = 6;
    static final int SEED = 42;

    private ShapesTrained() {}

    /** Trains the model and writes it into {@code outDir}; returns its JSON file. */
    static Path train(Path outDir, NDManager manager) throws IOException {
        ShapesTask train = ShapesTask.generate(TRAIN, SEED, manager);
        return ShapesModel.trainAndExport(train, EPOCHS, SEED, outDir);
    }

    /** A demo run on the trained shapes model. */
    @FunctionalInterface
    interface Demo {
        /**
         * Runs the demo.
         *
         * @param model the trained model, loaded in {@code manager}
         * @param test fresh test images, in {@code manager}
         * @param manager the demo's manager, closed after the run
         * @throws IOException if an output cannot be written
         */
        void run(ImportedModel model, ShapesTask test, NDManager manager) throws IOException;
    }

    /**
     * Trains the shapes model into {@code outDir} ({@link #train}), draws a test set, loads the
     * model and runs a demo on both.
     *
     * @param outDir where the model and the demo's files go (created if missing)
     * @param testSize the number of test images
     * @param testSeedOffset the test set's seed is {@link #SEED} plus this (not 0, the training
     *     set's)
     * @param demo the demo
     * @return 0, the CLI's status once the demo finished
     * @throws java.io.UncheckedIOException if a file cannot be read or written
     */
    static int runDemo(Path outDir, int testSize, int testSeedOffset, Demo demo) {
        try {
            Files.createDirectories(outDir);
            try (NDManager manager = NDManager.newBaseManager()) {
                Path json = train(outDir, manager);
                ShapesTask test = ShapesTask.generate(testSize, SEED + testSeedOffset, manager);
                try (ImportedModel model = ImportedModel.load(json, manager)) {
                    demo.run(model, test, manager);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The predicted class of every row. */
    static int[] predictions(ForwardFunction f, NDArray images) {
        long[] p = f.forward(new NDList(images), List.of()).argMax(1).toLongArray();
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (int) p[i];
        }
        return out;
    }

    /** The fraction of rows predicted as labelled. */
    static double accuracy(ForwardFunction f, NDArray images, int[] labels) {
        int[] p = predictions(f, images);
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            hits += p[i] == labels[i] ? 1 : 0;
        }
        return (double) hits / p.length;
    }
}
