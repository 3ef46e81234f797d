package io.github.captum4j.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Mathematical properties of the LLM attributions on the fixtures' tiny_gpt. */
class LLMPropertiesTest {

    private static HfTokenizer tokenizer;
    private static TorchScriptModel lm;
    private static TorchScriptModel tapped;
    private static final LLMTarget TARGET = LLMTarget.text("and it ran", List.of("<bos>"));

    @BeforeAll
    static void load() {
        Path root = TestModels.fixtures();
        tokenizer = HfTokenizer.load(root.resolve("models/tiny_gpt_tokenizer.json"));
        lm = TorchScriptModel.load(root.resolve("models/tiny_gpt.pt"));
        tapped = TorchScriptModel.load(root.resolve("taps/tiny_gpt.pt"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        lm.close();
        tapped.close();
    }

    private static TextTokenInput tokens(String text) {
        return TextTokenInput.of(text, tokenizer, "<unk>", List.of("<bos>"));
    }

    private static float[] totalLogProbs(List<long[]> prompts, long[] target) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] lp = new CausalLMScorer(lm, 4).logProbs(prompts, target, m);
            float[] out = new float[lp.length];
            for (int i = 0; i < lp.length; i++) {
                out[i] = LLMAttribution.withSum(lp[i])[0];
            }
            return out;
        }
    }

    @Test
    void featureAblationSeqAttrIsTheSumOverTargetTokensOfTokenAttr() {
        LLMAttributionResult r = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer)
                .attribute(tokens("the dog ran under the big tree"), TARGET,
                        FeatureAblation.Options.builder().perturbationsPerEval(3).build());
        float[][] tokenAttr = r.tokenAttr().orElseThrow();
        assertThat(tokenAttr).hasNumberOfRows(3);
        float[] seq = r.seqAttr();
        for (int i = 0; i < seq.length; i++) {
            double sum = 0;
            for (float[] row : tokenAttr) {
                sum += row[i];
            }
            assertThat(seq[i]).as("feature %d", i).isCloseTo((float) sum, offset(1e-4f));
        }
    }

    @Test
    void featureAblationTowardsProbabilitiesIsTheDropOfEachTokenProbability() {
        TextTokenInput input = tokens("a fish swam home");
        LLMAttributionResult logs = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer)
                .attribute(input, TARGET);
        LLMAttributionResult probs = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer,
                LLMAttribution.AttrTarget.PROB, 8).attribute(input, TARGET);
        float[] lp = logs.logProbs();
        float[][] lt = logs.tokenAttr().orElseThrow();
        float[][] pt = probs.tokenAttr().orElseThrow();
        for (int k = 0; k < lt.length; k++) {
            for (int i = 0; i < lt[k].length; i++) {
                double ablated = lp[k + 1] - lt[k][i];
                double expected = Math.exp(lp[k + 1]) - Math.exp(ablated);
                assertThat((double) pt[k][i]).isCloseTo(expected, offset(1e-5 + 1e-3 * Math.abs(expected)));
            }
        }
    }

    @Test
    void shapleyValuesAreEfficient() {
        TextTemplateInput input = TextTemplateInput.of("{} {} {} on the {} {}",
                List.of("the", "small", "cat", "red", "mat"));
        LLMAttributionResult r = new LLMAttribution<>(ShapleyValues::new, lm, tokenizer)
                .attribute(input, LLMTarget.text("and it was happy", List.of("<bos>")),
                        ShapleyValues.Options.DEFAULTS.withPerturbationsPerEval(8));
        assertEfficient(r, input);
        for (float[] row : r.tokenAttr().orElseThrow()) {
            assertThat(row).hasSize(5);
        }
    }

    @Test
    void layerIntegratedGradientsIsCompletePerTargetTokenWithinItsDelta() {
        TextTokenInput input = tokens("the cat sat on the mat");
        LLMAttributionResult r = new LLMGradientAttribution<>(LayerIntegratedGradients::new, tapped,
                        LayerPath.of("wte"), tokenizer)
                .attribute(input, TARGET, LayerIntegratedGradients.Options.builder()
                        .nSteps(50).returnConvergenceDelta(true).build());
        float[] delta = r.convergenceDelta().orElseThrow();
        long[] baseline = input.toModelInput(new float[input.featureCount()]);
        long[] target = r.targetIds();
        float[][] tokenAttr = r.tokenAttr().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLMScorer scorer = new CausalLMScorer(lm, 4);
            float[] full = scorer.logProbs(List.of(r.promptIds()), target, m)[0];
            float[] base = scorer.logProbs(List.of(baseline), target, m)[0];
            for (int k = 0; k < target.length; k++) {
                double sum = 0;
                for (float v : tokenAttr[k]) {
                    sum += v;
                }
                double gap = full[k] - base[k];
                assertThat(Math.abs(sum - gap)).as("target token %d", k)
                        .isCloseTo(Math.abs(delta[k]), offset(1e-4 + 1e-5 * Math.abs(gap)));
                assertThat((double) Math.abs(delta[k])).as("delta %d small against the gap %s", k, gap)
                        .isLessThan(0.05 * Math.abs(gap) + 0.05);
            }
        }
    }

    @Test
    void theBatchedGradientPathEqualsTheTokenByTokenLoop() {
        TextTokenInput input = tokens("the bird flew over the sea");
        LLMTarget target = LLMTarget.generate(4);
        LLMGradientAttribution<LayerIntegratedGradients.Options> ig = new LLMGradientAttribution<>(
                LayerIntegratedGradients::new, tapped, LayerPath.of("wte"), tokenizer);
        LayerIntegratedGradients.Options o = LayerIntegratedGradients.Options.builder().nSteps(16).build();
        assertSame(ig.attribute(input, target, o), ig.attributeTokenByToken(input, target, o));
        // passes of 7 rows (steps split across passes, each pass holding every target's rows)
        LayerIntegratedGradients.Options small = o.toBuilder().internalBatchSize(7).build();
        assertSame(ig.attribute(input, target, small), ig.attributeTokenByToken(input, target, o));
        LLMGradientAttribution<LayerGradientXActivation.Options> gxa = new LLMGradientAttribution<>(
                LayerGradientXActivation::new, tapped, LayerPath.of("wte"), tokenizer);
        assertSame(gxa.attribute(input, target, LayerGradientXActivation.Options.DEFAULTS),
                gxa.attributeTokenByToken(input, target, LayerGradientXActivation.Options.DEFAULTS));
    }

    @Test
    void theGradientResultsLogProbsAreTheScoredOnesOfTheUnperturbedPrompt() {
        TextTokenInput input = tokens("the bird flew over the sea");
        LLMTarget target = LLMTarget.ids(5, 9, 12);
        LLMGradientAttribution<LayerIntegratedGradients.Options> ig = new LLMGradientAttribution<>(
                LayerIntegratedGradients::new, tapped, LayerPath.of("wte"), tokenizer);
        LayerIntegratedGradients.Options o = LayerIntegratedGradients.Options.builder().nSteps(8).build();
        LLMGradientAttribution<LayerGradientXActivation.Options> gxa = new LLMGradientAttribution<>(
                LayerGradientXActivation::new, tapped, LayerPath.of("wte"), tokenizer);
        float[] expected;
        try (NDManager m = NDManager.newBaseManager()) {
            expected = LLMAttribution.withSum(
                    new CausalLMScorer(tapped, 4).logProbs(List.of(input.toModelInput()), new long[] {5, 9, 12}, m)[0]);
        }
        for (LLMAttributionResult r : List.of(ig.attribute(input, target, o), ig.attributeTokenByToken(input, target, o),
                gxa.attribute(input, target, LayerGradientXActivation.Options.DEFAULTS))) {
            assertThat(r.logProbs()).hasSize(4);
            for (int k = 0; k < 4; k++) {
                assertThat(r.logProbs()[k]).as("entry %d", k).isCloseTo(expected[k], offset(1e-5f));
            }
        }
    }

    @Test
    void theBatchedCallBoundsItsPassesToTheTokenBudgetUnlessInternalBatchSizeIsSet() {
        LayerIntegratedGradients.Options unset = LayerIntegratedGradients.Options.builder().nSteps(50).build();
        int budget = LLMGradientAttribution.TOKENS_PER_PASS;
        // width 56, K 8: the budget holds 73 rows = 9 steps, so 6 passes; ceil(50 / 6) = 9 steps each
        assertThat(LLMGradientAttribution.withPassBudget(unset, 56, 8).internalBatchSize()).isEqualTo(72);
        // width 28, K 4: 146 rows = 36 steps, so 2 passes of 25 steps (one shape), not 36 + 14
        assertThat(LLMGradientAttribution.rowsPerPass(28, 4, 50)).isEqualTo(100);
        for (int width : new int[] {5, 28, 56, 300}) {
            for (int k = 1; k <= 9; k++) {
                int rows = LLMGradientAttribution.rowsPerPass(width, k, 50);
                int steps = rows / k;
                int passes = (50 + steps - 1) / steps;
                int budgetSteps = Math.max(1, budget / width / k);
                assertThat(rows % k).isZero();
                assertThat(steps).isLessThanOrEqualTo(budgetSteps);
                // the fewest passes the budget allows, every one but the last of the same size
                assertThat(passes).isEqualTo((50 + budgetSteps - 1) / budgetSteps);
                assertThat(50 - (passes - 1) * steps).isBetween(1, steps);
            }
        }
        // a row longer than the budget: one step (K rows) per pass
        assertThat(LLMGradientAttribution.withPassBudget(unset, budget * 2, 3).internalBatchSize()).isEqualTo(3);
        LayerIntegratedGradients.Options set = unset.toBuilder().internalBatchSize(30).build();
        assertThat(LLMGradientAttribution.withPassBudget(set, 56, 8)).isSameAs(set);
        assertThat(LLMGradientAttribution.withPassBudget(LayerGradientXActivation.Options.DEFAULTS, 56, 8))
                .isSameAs(LayerGradientXActivation.Options.DEFAULTS);
        assertThatThrownBy(() -> LLMGradientAttribution.rowsPerPass(0, 4, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
    }

    private static void assertSame(LLMAttributionResult a, LLMAttributionResult b) {
        assertThat(a.targetIds()).isEqualTo(b.targetIds());
        float[][] x = a.tokenAttr().orElseThrow();
        float[][] y = b.tokenAttr().orElseThrow();
        assertThat(x).hasNumberOfRows(y.length);
        for (int k = 0; k < x.length; k++) {
            for (int i = 0; i < x[k].length; i++) {
                assertThat(x[k][i]).as("token %d feature %d", k, i).isCloseTo(y[k][i], offset(1e-5f));
            }
        }
    }

    @Test
    void aFailingModelPropagatesAndTheNextCallWorks() {
        AtomicInteger calls = new AtomicInteger();
        ForwardFunction flaky = (x, args) -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("injected");
            }
            return lm.forward(x, args);
        };
        LLMAttribution<FeatureAblation.Options> llm = new LLMAttribution<>(FeatureAblation::new, flaky, tokenizer);
        TextTokenInput input = tokens("the cat sat");
        assertThatThrownBy(() -> llm.attribute(input, TARGET)).hasStackTraceContaining("injected");
        LLMAttributionResult r = llm.attribute(input, TARGET);
        LLMAttributionResult ref = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer).attribute(input, TARGET);
        assertThat(r.seqAttr()).containsExactly(ref.seqAttr());
    }

    @Test
    void repeatedCallsLeaveNoArraysBehind() {
        LLMAttribution<FeatureAblation.Options> llm = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer);
        LLMGradientAttribution<LayerGradientXActivation.Options> gxa = new LLMGradientAttribution<>(
                LayerGradientXActivation::new, tapped, LayerPath.of("wte"), tokenizer);
        TextTokenInput input = tokens("the cat sat");
        try (NDManager probe = NDManager.newBaseManager()) {
            NDManager system = probe.getParentManager();
            llm.attribute(input, TARGET);
            gxa.attribute(input, TARGET, LayerGradientXActivation.Options.DEFAULTS);
            int before = system.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                llm.attribute(input, TARGET);
                gxa.attribute(input, TARGET, LayerGradientXActivation.Options.DEFAULTS);
            }
            assertThat(system.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertThatThrownBy(() -> new LLMAttribution<>(FeatureAblation::new, lm, tokenizer,
                LLMAttribution.AttrTarget.LOG_PROB, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> new LLMAttribution<>(FeatureAblation::new, null, tokenizer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
        LLMAttribution<FeatureAblation.Options> llm = new LLMAttribution<>(FeatureAblation::new, lm, tokenizer);
        assertThatThrownBy(() -> llm.attribute(null, TARGET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
        assertThatThrownBy(() -> llm.attribute(tokens("the cat"), LLMTarget.text("<bos>", List.of("<bos>"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target");
        assertThatThrownBy(() -> LLMTarget.generate(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNewTokens");
        assertThatThrownBy(() -> new LLMAttribution<>(Saliency::new, lm, tokenizer).attribute(tokens("the cat"), TARGET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> new LLMGradientAttribution<>(LayerIntegratedGradients::new, tapped,
                LayerPath.of("h.0"), tokenizer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer");
        assertThatThrownBy(() -> TextTemplateInput.of("{} {2}", List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template");
        assertThatThrownBy(() -> new TextTemplateInput("{} {}", List.of("a", "b"), List.of("x"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baselines");
        assertThatThrownBy(() -> new TextTemplateInput("{} {}", List.of("a", "b"), (List<String>) null, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask");
        assertThatThrownBy(() -> TextTokenInput.of("<bos>", tokenizer, 3, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> tokenizer.tokenToId("two words"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    }

    /** Efficiency: the attributions of one run sum to F(all present) - F(all absent). */
    private static void assertEfficient(LLMAttributionResult r, InterpretableInput<?> input) {
        float[] zeros = new float[input.featureCount()];
        long[] empty = LLMAttribution.promptIds(input.toModelInput(zeros), tokenizer);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] lp = new CausalLMScorer(lm, 8).logProbs(List.of(empty), r.targetIds(), m)[0];
            float gap = r.logProbs()[0] - LLMAttribution.withSum(lp)[0];
            double total = 0;
            for (float v : r.seqAttr()) {
                total += v;
            }
            assertThat(total).as("efficiency").isCloseTo(gap, offset(1e-3 + 1e-4 * Math.abs(gap)));
        }
    }
}
