package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

class Nd4jExampleTest {

    @Test
    void explainsAnNd4jModelWithFeatureAblationAndKernelShap() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream bars = new ByteArrayOutputStream();
        double[] gaps =
                Nd4jExample.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(bars, true, StandardCharsets.UTF_8));
        assertThat(gaps).hasSize(4);
        for (double g : gaps) {
            assertThat(Math.abs(g)).isLessThan(1e-3);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Feature Ablation, class 2")
                .contains("Kernel SHAP, class 2");
        assertThat(bars.toString(StandardCharsets.UTF_8))
                .contains("Feature Ablation attribution [")
                .contains("Kernel Shap attribution [")
                .contains("(100%)");
    }
}
