package io.github.captum4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

/** {@link Attribution#keep}: copies that outlive the closed result, in the caller's manager. */
class AttributionKeepTest {

    @Test
    void keptCopiesSurviveCloseAndBelongToTheGivenManager() {
        try (NDManager caller = NDManager.newBaseManager();
                NDManager longLived = NDManager.newBaseManager()) {
            NDArray a = caller.create(new float[] {1f, -2f, 3f});
            NDArray delta = caller.create(new float[] {0.5f});
            Attribution result =
                    new Attribution(
                            "test", new Empty(), new NDList(a), delta);
            NDList kept = result.keep(longLived);
            result.close();
            assertThat(kept.get(0).toFloatArray()).containsExactly(1f, -2f, 3f);
            assertThat(kept.get(0).getManager()).isSameAs(longLived);
            assertThatThrownBy(() -> result.attribution(0))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> result.keep(longLived))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private record Empty() {}
}
