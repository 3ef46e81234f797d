package io.github.captum4j.conformance.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

class GoldenCaseTest {

    private static final FixtureRoot ROOT = FixtureRoot.fromSystemProperty();

    @Test
    void rootListsEveryCaseAndLocatesModels() {
        List<String> names = ROOT.caseNames();
        assertThat(names).contains("readme_ig_toy", "gradient_shap_tabular_zero_baseline");
        assertThat(names).isSorted();
        assertThat(ROOT.caseFiles()).hasSameSizeAs(names);
        assertThat(Files.isRegularFile(ROOT.torchScriptFile("toy"))).isTrue();
        assertThat(Files.isRegularFile(ROOT.modelJsonFile("tiny_resnet"))).isTrue();
        assertThatThrownBy(() -> ROOT.caseFile("no_such_case"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'no_such_case'");
        assertThatThrownBy(() -> FixtureRoot.of(ROOT.dir().resolve("cases")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold cases/ and models/");
    }

    @Test
    void readsTheReadmeIntegratedGradientsCase() throws IOException {
        GoldenCase c = ROOT.readCase("readme_ig_toy");
        assertThat(c.name()).isEqualTo("readme_ig_toy");
        assertThat(c.model()).isEqualTo("toy");
        assertThat(c.method()).isEqualTo("IntegratedGradients");
        assertThat(c.kind()).isEqualTo(GoldenCase.Kind.EXACT);
        assertThat(c.targetKind()).contains(GoldenCase.TargetKind.INT);
        assertThat(c.target()).isEqualTo(Target.index(0));
        assertThat(c.attributeArgs().bool("return_convergence_delta", false)).isTrue();
        assertThat(c.attributeArgs().integer("n_steps")).isEmpty();
        assertThat(c.tolerance()).isEqualTo(new Tolerance(1e-4, 5.2e-5));
        assertThat(c.torchManualSeed()).isEmpty();
        assertThat(c.hasAdditionalForwardArgs()).isFalse();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList x = c.inputs(m);
            assertThat(x).hasSize(1);
            assertThat(x.get(0).getShape()).isEqualTo(new Shape(2, 3));
            assertThat(x.get(0).getDataType()).isEqualTo(DataType.FLOAT32);
            // Parsed straight to float: the exact float32 the file spells.
            assertThat(x.get(0).toFloatArray())
                    .containsExactly(
                            0.29611194f,
                            0.5165623f,
                            0.25167072f,
                            0.6885568f,
                            0.07397246f,
                            0.86652195f);
            CaseBaselines b = c.baselines(m);
            assertThat(b.form()).isEqualTo(CaseBaselines.Form.TENSOR);
            assertThat(((NDArray) b.values().get(0)).getShape()).isEqualTo(new Shape(2, 3));
            NDList expected = c.expectedAttributions(m);
            assertThat(expected.get(0).toFloatArray()[1]).isEqualTo(-1.5496867f);
            assertThat(c.expectedDelta(m)).isPresent();
            assertThat(c.expectedDelta(m).get().getShape()).isEqualTo(new Shape(2));
        }
    }

    @Test
    void readsPerInputBaselinesAndIntegerAdditionalArgs() throws IOException {
        GoldenCase c = ROOT.readCase("ig_multi_input_afa");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(c.inputs(m)).hasSize(3);
            CaseBaselines b = c.baselines(m);
            assertThat(b.form()).isEqualTo(CaseBaselines.Form.PER_INPUT);
            assertThat(b.values()).hasSize(3).allMatch(v -> v instanceof NDArray);
            assertThat(b.allTensors()).isTrue();
            assertThat(c.additionalForwardArgs(m)).containsExactly(2);
            assertThat(c.expectedAttributions(m)).hasSize(3);
        }
    }

    @Test
    void readsTupleTargetsAndNullOrBooleanAdditionalArgs() throws IOException {
        GoldenCase c = ROOT.readCase("ig_tuple_target_multidim");
        assertThat(c.targetKind()).contains(GoldenCase.TargetKind.TUPLE);
        assertThat(c.target()).isEqualTo(Target.position(1, 0, 1));
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(c.additionalForwardArgs(m)).containsExactly(null, true);
            assertThat(c.baselines(m).form()).isEqualTo(CaseBaselines.Form.NONE);
        }
        GoldenCase perExample = ROOT.readCase("ig_per_example_target_tabular");
        assertThat(perExample.target()).isEqualTo(Target.perExample(0, 2, 1));
        try (NDManager m = NDManager.newBaseManager()) {
            CaseBaselines b = perExample.baselines(m);
            assertThat(b.form()).isEqualTo(CaseBaselines.Form.NUMBER);
            assertThat(b.values()).containsExactly(0.0);
        }
    }

    @Test
    void readsStatisticalExtrasAtTheTopLevelAndInsideExpected() throws IOException {
        GoldenCase c = ROOT.readCase("gradient_shap_tabular_zero_baseline");
        assertThat(c.kind()).isEqualTo(GoldenCase.Kind.STATISTICAL);
        assertThat(c.torchManualSeed()).contains(0);
        assertThat(c.attributeArgs().numbers("stdevs")).contains(List.of(0.0));
        assertThat(c.number("many_sample_n")).contains(4000.0);
        assertThat(c.has("integrated_gradients_reference")).isTrue();
        assertThat(c.has("seed_stats.mean")).isFalse();
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(c.tensor("integrated_gradients_reference", m).getShape())
                    .isEqualTo(new Shape(2, 10));
            assertThat(c.tensor("f_x_minus_f_baseline", m).getShape()).isEqualTo(new Shape(2));
        }
        GoldenCase nt = ROOT.readCase("noise_tunnel_saliency_smoothgrad_small_cnn");
        assertThat(nt.initArgs().object("base").flatMap(b -> b.string("method")))
                .contains("Saliency");
        assertThat(nt.number("seed_stats.n_seeds")).contains(30.0);
        GoldenCase metric = ROOT.readCase("infidelity_random_tabular_saliency");
        assertThat(metric.targetKind()).isEmpty();
        assertThat(metric.number("seed_stats.n_seeds")).contains(20.0);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(nt.tensors("seed_stats.std", m).get(0).getShape())
                    .isEqualTo(new Shape(1, 1, 28, 28));
            assertThat(nt.expectedDelta(m)).isEmpty();
        }
        assertThatThrownBy(() -> c.number("no.such.key").orElseThrow())
                .isInstanceOf(RuntimeException.class);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> c.tensors("no_such_key", m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must hold no_such_key");
        }
    }

    @Test
    void readsInt64TensorsInAttributeArgs() throws IOException {
        GoldenCase c = ROOT.readCase("feature_ablation_mask_tabular");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = c.attributeArgs().tensor("feature_mask", m).orElseThrow();
            assertThat(mask.getDataType()).isEqualTo(DataType.INT64);
            assertThat(mask.getShape()).isEqualTo(new Shape(1, 10));
            assertThat(Arrays.copyOf(mask.toLongArray(), 3)).containsExactly(0L, 0L, 1L);
        }
    }

    @Test
    void malformedCasesAreRejectedWithTheKeyNamed() {
        assertThatThrownBy(
                        () -> GoldenCase.parse("{\"case\": \"x\", \"model\": \"toy\"}", "inline"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("case inline must have a string \"method\", got nothing");
        String base = "{\"case\":\"x\",\"model\":\"toy\",\"method\":\"Saliency\",";
        assertThatThrownBy(() -> GoldenCase.parse(base + "\"kind\":\"fuzzy\"}", "inline"))
                .hasMessageContaining("kind must be \"exact\" or \"statistical\", got \"fuzzy\"");
        GoldenCase c =
                GoldenCase.parse(
                        base
                                + "\"kind\":\"exact\","
                                + "\"attribute_args\":{\"n_steps\":\"ten\"},"
                                + "\"inputs\":[{\"shape\":[2],\"dtype\":\"float32\","
                                + "\"data\":[1]}]}",
                        "inline");
        assertThatThrownBy(() -> c.attributeArgs().integer("n_steps"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute_args.n_steps must be an integer, got \"ten\"");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> c.inputs(m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("inputs[0].data must hold 2 values for shape (2), got 1");
        }
    }
}
