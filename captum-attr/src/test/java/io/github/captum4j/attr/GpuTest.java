package io.github.captum4j.attr;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA path: the same attribution on a GPU as on the CPU. Runs only where DJL sees a GPU
 * through a CUDA libtorch (README, "CUDA"); skipped elsewhere, CI included, with the reason printed
 * on the console.
 */
class GpuTest {

    /** What the test needs, printed when it skips. */
    static final String NEEDS =
            "GpuTest skipped: DJL sees no GPU. It needs an NVIDIA GPU (driver >= 570) and libtorch"
                    + " 2.7.1 for CUDA 12.8 from pytorch.org, given to DJL with"
                    + " PYTORCH_LIBRARY_PATH=<libtorch>/lib PYTORCH_VERSION=2.7.1"
                    + " PYTORCH_FLAVOR=cu128 (README, \"CUDA\")";

    @BeforeAll
    static void needsAGpu() {
        // the reason is printed on the console by core.testing.SkipReasons
        Assumptions.assumeTrue(Engine.getInstance().getGpuCount() > 0, NEEDS);
    }

    @Test
    void integratedGradientsOnTheGpuEqualsTheCpuResult() {
        float[] data = TestModels.gaussian(2 * 3 * 64 * 64, 1);
        try (TorchScriptModel cpuModel = TorchScriptModel.load(TestModels.model("tiny_resnet.pt"));
                TorchScriptModel gpuModel =
                        TorchScriptModel.load(TestModels.model("tiny_resnet.pt"), Device.gpu());
                NDManager cpu = NDManager.newBaseManager(Device.cpu());
                NDManager gpu = NDManager.newBaseManager(Device.gpu())) {
            Shape shape = new Shape(2, 3, 64, 64);
            NDArray xc = cpu.create(data, shape);
            NDArray xg = gpu.create(data, shape);
            IntegratedGradients.Options o =
                    IntegratedGradients.Options.builder()
                            .nSteps(20)
                            .returnConvergenceDelta(true)
                            .build();
            try (Attribution a =
                            new IntegratedGradients(cpuModel)
                                    .attribute(Inputs.of(xc), Target.index(4), o);
                    Attribution b =
                            new IntegratedGradients(gpuModel)
                                    .attribute(Inputs.of(xg), Target.index(4), o)) {
                NDArrayAssert.assertThat(b.attribution(0).toDevice(Device.cpu(), false))
                        .isCloseTo(a.attribution(0), 1e-3, 1e-5);
            }
        }
    }
}
