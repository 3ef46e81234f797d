package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One model shared by 8 threads, in both forms the library loads (TorchScript and imported Block
 * model): every thread's attributions equal the sequential ones.
 */
class ModelFormsThreadingTest {

    @Test
    void torchScriptAndImportedModelsAreSafeToShareBetweenThreads() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptModel script =
                        TorchScriptModel.load(TestModels.model("tiny_resnet.pt"));
                ImportedModel block =
                        ImportedModel.load(TestModels.model("tiny_resnet.json"), manager)) {
            for (ForwardFunction model : List.of(script, block.forwardFunction())) {
                IntegratedGradients ig = new IntegratedGradients(model);
                IntegratedGradients.Options o =
                        IntegratedGradients.Options.builder().nSteps(4).build();
                List<float[]> sequential = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    sequential.add(run(ig, o, manager, t));
                }
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<float[]>> futures = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        int task = t;
                        futures.add(pool.submit(() -> run(ig, o, manager, task)));
                    }
                    for (int t = 0; t < 8; t++) {
                        float[] expected = sequential.get(t);
                        float[] actual = futures.get(t).get();
                        for (int k = 0; k < expected.length; k++) {
                            assertThat(actual[k])
                                    .isCloseTo(
                                            expected[k],
                                            org.assertj.core.data.Offset.offset(
                                                    1e-6f + 1e-5f * Math.abs(expected[k])));
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    private static float[] run(
            IntegratedGradients ig, IntegratedGradients.Options o, NDManager manager, int task) {
        try (NDManager local = manager.newSubManager()) {
            NDArray x =
                    local.create(TestModels.gaussian(3 * 64 * 64, task), new Shape(1, 3, 64, 64));
            try (Attribution a = ig.attribute(Inputs.of(x), Target.index(task % 10), o)) {
                return a.attribution(0).toFloatArray();
            }
        }
    }
}
