package io.github.captum4j.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import ai.djl.training.tracker.Tracker;

import io.github.captum4j.core.internal.Randomness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The demo's CNN: trained with DJL's training API on {@link ShapesTask}, then written in the
 * PyTorch export format ({@code .npz} weights with PyTorch names + {@code .json} architecture) so
 * that the library imports it as a Block model with named layers, exactly as it imports a model
 * trained in PyTorch. Architecture: conv1(1→8, 3, pad 1) → relu1 → pool1(2) → conv2(8→16, 3, pad 1)
 * → relu2 → pool2(2) → flatten → fc1(1024→32) → relu3 → fc2(32→3).
 */
final class ShapesModel {

    static final String ID = "shapes_cnn";
    private static final String[] PYTORCH_NAMES = {
        "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"
    };

    private ShapesModel() {}

    /**
     * Trains the CNN and writes {@code shapes_cnn.json} and {@code shapes_cnn.npz} into a folder.
     *
     * @param train the training set
     * @param epochs passes over it
     * @param seed the seed of initialisation and batch order
     * @param dir where the files go
     * @return the JSON file
     * @throws IOException if the files cannot be written
     */
    static Path trainAndExport(ShapesTask train, int epochs, int seed, Path dir)
            throws IOException {
        Engine.getInstance().setRandomSeed(seed);
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {8, 16}) {
            Conv2d conv =
                    Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(filters)
                            .build();
            net.add(conv)
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(32).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(ShapesTask.CLASSES).build());
        int n = train.labels().length;
        int batch = 64;
        try (Model model = Model.newInstance(ID)) {
            model.setBlock(net);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(2e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 1, ShapesTask.SIZE, ShapesTask.SIZE));
                NDManager m = trainer.getManager();
                NDArray labels =
                        m.create(train.labels())
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                java.util.SplittableRandom order = new java.util.SplittableRandom(seed);
                for (int epoch = 0; epoch < epochs; epoch++) {
                    int[] perm = Randomness.shuffledRange(n, order);
                    for (int start = 0; start + batch <= n; start += batch) {
                        try (NDManager step = m.newSubManager()) {
                            long[] idx = new long[batch];
                            for (int k = 0; k < batch; k++) {
                                idx[k] = perm[start + k];
                            }
                            NDArray index = step.create(idx);
                            NDArray x = train.images().get(new NDIndex("{}", index));
                            NDArray y = labels.get(new NDIndex("{}", index));
                            x.attach(step);
                            y.attach(step);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList pred = trainer.forward(new NDList(x));
                                NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                    }
                }
            }
            return export(net, dir);
        }
    }

    private static Path export(SequentialBlock net, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<Long>> shapes =
                ArchitectureJson.writeWeights(dir.resolve(ID + ".npz"), net, PYTORCH_NAMES);
        Map<String, Object> json = ArchitectureJson.shapesTaskModel(ID, 2, shapes);
        json.put(
                "notes",
                "trained by captum4j's demo with DJL's training API on the synthetic shapes task");
        return ArchitectureJson.write(dir.resolve(ID + ".json"), json);
    }



}
