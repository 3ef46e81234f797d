package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.llm.LLMAttributionResult;
import io.github.captum4j.llm.LLMGradientAttribution;
import io.github.captum4j.llm.LLMTarget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code llm} demo's transformer, trained (seeded) as the demo trains it and imported as a
 * Block model: it solves the key-after-marker task, and the gradient path through the public API
 * points at the deciding key far above chance (1 in {@value LlmDemoTask#FEATURES}).
 */
class LlmDemoModelTest {

    @Test
    void trainedTransformerSolvesTheTaskAndLayerIgFindsTheDecidingKey(@TempDir Path dir) throws Exception {
        LlmDemoModel.Trained trained = LlmDemoModel.trainAndExport(7, 4000, dir);
        LlmDemoModel.withOneThread(() -> {
            check(trained.json());
            return null;
        });
    }

    private static void check(Path json) throws java.io.IOException {
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel lm = ImportedModel.load(json, manager);
                ImportedModel untrained = ImportedModel.load(json, manager, 99)) {
            // Chance is 1/8 over the values (1/3 for a model that picks one of the prompt's keys).
            assertThat(LlmDemo.accuracy(lm, LlmDemoTask.prompts(999, 500))).isGreaterThan(0.95);
            assertThat(LlmDemo.accuracy(untrained, LlmDemoTask.prompts(999, 500))).isLessThan(0.5);

            LLMGradientAttribution<LayerIntegratedGradients.Options> ig = new LLMGradientAttribution<>(
                    LayerIntegratedGradients::new, lm, LayerPath.of("wte"), LlmDemoTask.TOKENIZER);
            List<LlmDemoTask.Prompt> prompts = LlmDemoTask.prompts(2024, 16);
            int hits = 0;
            for (LlmDemoTask.Prompt p : prompts) {
                LLMAttributionResult r = ig.attribute(LlmDemo.input(p), LLMTarget.ids(p.answer()),
                        LayerIntegratedGradients.Options.builder().nSteps(32).build());
                float[] a = r.seqAttr();
                int best = 0;
                for (int i = 1; i < a.length; i++) {
                    best = a[i] > a[best] ? i : best;
                }
                hits += best == p.keyFeature() ? 1 : 0;
            }
            // Chance: 16/6 ~ 2.7 hits (binomial, P(>= 12) < 1e-5).
            assertThat(hits).as("prompts whose top LayerIG token is the deciding key").isGreaterThanOrEqualTo(12);
        }
    }
}
