package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;

import java.io.IOException;
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
