package io.github.captum4j.concept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * TCAV properties on the fixtures' tcav_cnn (trained on 0 = horizontal stripes, 1 = vertical
 * stripes, 2 = dots): sign counts in [0, 1], a class's own pattern beats random textures
 * significantly, the cache never serves a stale CAV, and the contracts (no leak, argument errors,
 * same seed same result).
 */
class TcavPropertiesTest {

    private static final List<LayerPath> LAYERS = LayerPath.of("conv2", "fc1");

    @TempDir Path cache;
    private NDManager manager;
    private ImportedModel model;

    @BeforeEach
    void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        model = ImportedModel.load(TestModels.fixtures().resolve("models/tcav_cnn.json"), manager);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Images of 12x12 like models_def2.concept_images: a pattern plus 0.1 * U(0,1) noise. */
    private NDArray images(String kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[n * 144];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 12; x++) {
                    float v =
                            switch (kind) {
                                case "hstripes" -> (y + i % 3) % 3 == 0 ? 1 : 0;
                                case "vstripes" -> (x + i % 3) % 3 == 0 ? 1 : 0;
                                case "dots" -> (y + i % 4) % 4 == 0 && (x + (i / 4) % 4) % 4 == 0 ? 1 : 0;
                                default -> (float) r.nextDouble();
                            };
                    data[i * 144 + y * 12 + x] = Math.min(1f, v + 0.1f * (float) r.nextDouble());
                }
            }
        }
        return manager.create(data, new Shape(n, 1, 12, 12));
    }

    private TCAV tcav(Classifier classifier) {
        return new TCAV(model, LAYERS, TCAV.Options.builder("tcav_cnn").classifier(classifier).savePath(cache).build());
    }

    @Test
    void signCountsLieInTheUnitInterval() {
        Concept h = new Concept(0, "hstripes", List.of(images("hstripes", 12, 1)));
        Concept v = new Concept(1, "vstripes", List.of(images("vstripes", 12, 2)));
        Concept rnd = new Concept(2, "random", List.of(images("random", 12, 3)));
        Map<String, Map<String, TCAV.Score>> s =
                tcav(new DefaultClassifier(3))
                        .interpret(Inputs.of(images("dots", 8, 4)), List.of(List.of(h, v, rnd), List.of(h, rnd)), Target.index(2));
        for (Map<String, TCAV.Score> perLayer : s.values()) {
            for (TCAV.Score score : perLayer.values()) {
                for (float c : score.signCount()) {
                    assertThat(c).isBetween(0f, 1f);
                }
            }
        }
    }

    @Test
    void aClassesOwnPatternBeatsRandomTexturesSignificantly() {
        Concept own = new Concept(0, "hstripes", List.of(images("hstripes", 15, 10)));
        List<Concept> randoms =
                List.of(
                        new Concept(10, "random0", List.of(images("random", 15, 11))),
                        new Concept(11, "random1", List.of(images("random", 15, 12))),
                        new Concept(12, "random2", List.of(images("random", 15, 13))),
                        new Concept(13, "random3", List.of(images("random", 15, 14))),
                        new Concept(14, "random4", List.of(images("random", 15, 15))));
        Map<String, TCAV.Significance> sig =
                tcav(new MeanDifferenceClassifier())
                        .significance(Inputs.of(images("hstripes", 10, 20)), Target.index(0), own, randoms, TCAV.ScoreType.MAGNITUDE);
        TCAV.Significance fc1 = sig.get("fc1");
        double concept = Stream.of(fc1.conceptScores()).flatMapToDouble(java.util.Arrays::stream).average().orElseThrow();
        double random = Stream.of(fc1.randomScores()).flatMapToDouble(java.util.Arrays::stream).average().orElseThrow();
        assertThat(concept).isGreaterThan(random);
        assertThat(fc1.pValue()).isLessThan(0.05);
    }

    @Test
    void theCacheIsReusedOnlyWhenNothingChanged() throws IOException {
        Concept h = new Concept(0, "hstripes", List.of(images("hstripes", 10, 1)));
        Concept rnd = new Concept(1, "random", List.of(images("random", 10, 2)));
        CAV first = tcav(new DefaultClassifier(1)).computeCavs(List.of(List.of(h, rnd))).get("0-1").get("fc1");
        long files = count();
        CAV again = tcav(new DefaultClassifier(1)).computeCavs(List.of(List.of(h, rnd))).get("0-1").get("fc1");
        assertThat(count()).isEqualTo(files);
        assertThat(again.weights()).isDeepEqualTo(first.weights());
        // other examples under the same ids: a new CAV, not the stale one
        Concept h2 = new Concept(0, "hstripes", List.of(images("hstripes", 7, 7)));
        CAV changed = tcav(new DefaultClassifier(1)).computeCavs(List.of(List.of(h2, rnd))).get("0-1").get("fc1");
        assertThat(count()).isEqualTo(2 * files);
        assertThat(changed.weights()).isNotEqualTo(first.weights());
        // another classifier setting: a new CAV too
        tcav(new DefaultClassifier(2)).computeCavs(List.of(List.of(h, rnd)));
        assertThat(count()).isEqualTo(3 * files);
    }

    private long count() throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.toString().endsWith(".cav")).count();
        }
    }

    @Test
    void theSameSeedGivesTheSameScores() {
        Concept h = new Concept(0, "hstripes", List.of(images("hstripes", 10, 1)));
        Concept rnd = new Concept(1, "random", List.of(images("random", 10, 2)));
        NDArray x = images("hstripes", 6, 5);
        TCAV plain = new TCAV(model, LAYERS, TCAV.Options.builder("m").classifier(new DefaultClassifier(9)).build());
        TCAV.Score a = plain.interpret(Inputs.of(x), List.of(List.of(h, rnd)), Target.index(0)).get("0-1").get("fc1");
        TCAV.Score b = plain.interpret(Inputs.of(x), List.of(List.of(h, rnd)), Target.index(0)).get("0-1").get("fc1");
        assertThat(a.magnitude()).containsExactly(b.magnitude());
    }

    @Test
    void noArrayLeaksAfterManyCalls() {
        Concept h = new Concept(0, "hstripes", List.of(images("hstripes", 6, 1)));
        Concept rnd = new Concept(1, "random", List.of(images("random", 6, 2)));
        NDArray x = images("hstripes", 4, 5);
        TCAV t = new TCAV(model, LAYERS, TCAV.Options.builder("m").classifier(new MeanDifferenceClassifier()).build());
        int base = manager.getManagedArrays().size();
        for (int i = 0; i < 100; i++) {
            t.interpret(Inputs.of(x), List.of(List.of(h, rnd)), Target.index(0));
        }
        assertThat(manager.getManagedArrays()).hasSize(base);
    }

    @Test
    void badArgumentsNameTheArgument() {
        Concept h = new Concept(0, "hstripes", List.of(images("hstripes", 6, 1)));
        Concept other = new Concept(0, "other", List.of(images("random", 6, 2)));
        TCAV t = tcav(new MeanDifferenceClassifier());
        NDArray x = images("hstripes", 2, 5);
        assertThatThrownBy(() -> t.interpret(Inputs.of(x), List.of(List.of(h)), Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("experimentalSets[0]");
        assertThatThrownBy(() -> t.interpret(Inputs.of(x), List.of(List.of(h, other)), Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("experimentalSets");
        assertThatThrownBy(() -> TCAV.Options.builder("a/b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelId");
        assertThatThrownBy(() -> new Concept(-1, "x", List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> new TCAV(model, List.of(LayerPath.of("nope")), TCAV.Options.builder("m").build())
                        .computeCavs(List.of(List.of(h, new Concept(1, "r", List.of(images("random", 6, 3)))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> t.significance(Inputs.of(x), Target.index(0), h, List.of(h), TCAV.ScoreType.MAGNITUDE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("randomConcepts");
    }

    @Test
    void studentTMatchesKnownValues() {
        // scipy.stats.ttest_ind values
        double[] tp = StudentT.test(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6, 7});
        assertThat(tp[0]).isCloseTo(-2.545875386086578, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tp[1]).isCloseTo(0.03833372883603092, org.assertj.core.data.Offset.offset(1e-10));
        tp = StudentT.test(new double[] {0.3, 0.5, 0.4, 0.9, 0.7}, new double[] {0.1, 0.2, 0.25});
        assertThat(tp[0]).isCloseTo(2.5593836360427145, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tp[1]).isCloseTo(0.04294431456567806, org.assertj.core.data.Offset.offset(1e-10));
        assertThat(StudentT.regularizedBeta(0.5, 2, 2)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(StudentT.regularizedBeta(0.3, 1, 1)).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    }
}
