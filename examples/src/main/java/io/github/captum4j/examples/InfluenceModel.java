package io.github.captum4j.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;


import io.github.captum4j.influence.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The influence demo's CNN, trained with plain SGD (DJL's training API) on labels that may be
 * corrupted, saving a checkpoint (PyTorch export format: {@code .npz} + {@code .json}) at the end
 * of each training phase together with that phase's learning rate, as TracIn wants. Architecture:
 * conv1(1→8, 3, pad 1) → relu1 → pool1(2) → conv2(8→16, 3, pad 1) → relu2 → pool2(4) → flatten →
 * fc1(256→32) → relu3 → fc2(32→3).
 */
final class InfluenceModel {

    private static final String[] NAMES = {
        "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"
    };

    private InfluenceModel() {}

    /**
     * Trains for {@code learningRates.length} phases of {@code epochsPerPhase} epochs each.
     *
     * @param images training images {@code (N, 1, 32, 32)}
     * @param labels training labels (possibly corrupted)
     * @param learningRates the SGD learning rate of each phase
     * @param epochsPerPhase epochs per phase
     * @param seed initialisation and batch-order seed
     * @param dir where the checkpoints go
     * @return one checkpoint per phase
     * @throws IOException if a file cannot be written
     */
    static List<Checkpoint> train(
            NDArray images,
            int[] labels,
            float[] learningRates,
            int epochsPerPhase,
            int seed,
            Path dir)
            throws IOException {
        Engine.getInstance().setRandomSeed(seed);
        SequentialBlock net =
                new SequentialBlock()
                        .add(conv(8))
                        .add(Activation.reluBlock())
                        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                        .add(conv(16))
                        .add(Activation.reluBlock())
                        .add(Pool.maxPool2dBlock(new Shape(4, 4), new Shape(4, 4)))
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(32).build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(ShapesTask.CLASSES).build());
        int n = labels.length;
        int batch = 32;
        int stepsPerPhase = epochsPerPhase * (n / batch);
        List<Checkpoint> out = new ArrayList<>();
        ai.djl.training.tracker.Tracker schedule =
                step -> learningRates[Math.min(learningRates.length - 1, step / stepsPerPhase)];
        try (Model model = Model.newInstance("influence_cnn")) {
            model.setBlock(net);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(Optimizer.sgd().setLearningRateTracker(schedule).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 1, ShapesTask.SIZE, ShapesTask.SIZE));
                NDManager m = trainer.getManager();
                NDArray y = m.create(labels).toType(DataType.FLOAT32, false);
                SplittableRandom order = new SplittableRandom(seed);
                for (int phase = 0; phase < learningRates.length; phase++) {
                    for (int e = 0; e < epochsPerPhase; e++) {
                        long[] perm = shuffled(n, order);
                        for (int s = 0; s + batch <= n; s += batch) {
                            try (NDManager step = m.newSubManager()) {
                                NDArray idx =
                                        step.create(
                                                java.util.Arrays.copyOfRange(perm, s, s + batch));
                                NDArray xb = images.get(new NDIndex("{}", idx));
                                NDArray yb = y.get(new NDIndex("{}", idx));
                                xb.attach(step);
                                yb.attach(step);
                                try (GradientCollector gc = trainer.newGradientCollector()) {
                                    NDList pred = trainer.forward(new NDList(xb));
                                    gc.backward(trainer.getLoss().evaluate(new NDList(yb), pred));
                                }
                                trainer.step();
                            }
                        }
                    }
                    String id = "influence_cnn_ckpt" + (phase + 1);
                    out.add(new Checkpoint(save(net, id, dir), learningRates[phase]));
                }
            }
        }
        return out;
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    /** A random order of the rows (Fisher-Yates through the JDK). */
    private static long[] shuffled(int n, SplittableRandom random) {
        List<Long> rows = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            rows.add(i);
        }
        java.util.Collections.shuffle(rows, new java.util.Random(random.nextLong()));
        return rows.stream().mapToLong(Long::longValue).toArray();
    }

    /** Writes the current weights as {@code id.npz} and the architecture as {@code id.json}. */
    private static Path save(SequentialBlock net, String id, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<Long>> params =
                ArchitectureJson.writeWeights(dir.resolve(id + ".npz"), net, NAMES);
        return ArchitectureJson.write(
                dir.resolve(id + ".json"), ArchitectureJson.shapesTaskModel(id, 4, params));
    }




}
