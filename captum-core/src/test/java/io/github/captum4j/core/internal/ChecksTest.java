package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void onePerInputNamesTheArgumentTheExpectedAndTheGivenCount() {
        assertThatCode(() -> Checks.onePerInput(2, 2, "mask")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Checks.onePerInput(1, 2, "attributions"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attributions must hold one tensor per input (2), got 1");
    }
}
