package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineCheckTest {

    /**
     * The build runs tests with DNNL_MAX_CPU_ISA=AVX (root pom), under which libtorch's convolution
     * gradients are right on every CPU seen so far; on a machine where they are not, this fails
     * and so does every gradient test (captum4j.engineCheck=fail).
     */
    @Test
    void convolutionGradientsAreRightInTheTestEnvironment() {
        assertThat(System.getenv(EngineCheck.ISA_VARIABLE)).isEqualTo(EngineCheck.SAFE_ISA);
        assertThat(EngineCheck.convolutionGradientsAreRight()).isTrue();
    }

    @Test
    void theMessageNamesTheVariableAndItsValue() {
        assertThat(EngineCheck.message()).contains("DNNL_MAX_CPU_ISA=AVX").hasSizeLessThan(500);
    }
}
