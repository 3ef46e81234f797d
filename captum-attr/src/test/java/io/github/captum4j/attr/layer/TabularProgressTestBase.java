package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The fixture's tabular MLP, loaded once per test class, and the progress check the passing
 * methods share: a call with a listener is told done 1, 2, ..., total (every call with that total
 * and a task name) and returns exactly what the call without a listener returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TabularProgressTestBase {

    final NDManager manager = NDManager.newBaseManager();
    ImportedModel model;

    @BeforeAll
    void load() throws IOException {
        model = ImportedModel.load(TestModels.model("tabular_mlp.json"), manager);
    }

    @AfterAll
    void close() {
        model.close();
        manager.close();
    }

    /**
     * Checks a call's reports and that the listener changes nothing.
     *
     * @param call the call, given a listener or {@code null}
     * @param expectedTotal the passes the call makes
     */
    static void assertReportsEveryPass(
            Function<ProgressListener, Attribution> call, long expectedTotal) {
        List<long[]> seen = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        ProgressListener listener =
                (task, done, total) -> {
                    tasks.add(task);
                    seen.add(new long[] {done, total});
                };
        try (Attribution with = call.apply(listener);
                Attribution without = call.apply(null)) {
            NDArrayAssert.assertThat(with.attribution(0)).isIdenticalTo(without.attribution(0));
        }
        assertThat(seen).hasSize((int) expectedTotal);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).containsExactly(i + 1L, expectedTotal);
        }
        assertThat(tasks).allSatisfy(task -> assertThat(task).isNotBlank());
    }
}
