package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.DataLoaderAttribution.InputRole;
import io.github.captum4j.attr.DataLoaderAttribution.Metric;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Captum's data-loader cases: a sum metric equals Feature Ablation of the concatenated data. */
class DataLoaderAttributionTest {

    /** Captum's sum_forward: every input flattened per row, concatenated, summed per row. */
    static final ForwardFunction SUM =
            (inputs, args) -> {
                NDList flat = new NDList();
                for (NDArray x : inputs) {
                    flat.add(x.reshape(x.getShape().get(0), -1));
                }
                return NDArrays.concat(flat, 1).sum(new int[] {1});
            };

    NDManager manager;
    /** Captum's mock data set: (5,2), (5,2,2), (5,1) in batches of 2. */
    List<NDList> batches;
    NDList all;

    @BeforeEach
    void data() {
        manager = NDManager.newBaseManager();
        NDArray a = manager.create(new float[][] {{0f, .1f}, {.3f, .4f}, {.6f, .7f}, {.9f, 1f}, {1.2f, 1.3f}});
        NDArray b =
                manager.create(
                        new float[] {
                            .1f, .2f, .3f, .2f, .4f, .5f, .3f, .2f, .8f, .1f, .2f, .5f, 1.1f, .7f, .1f,
                            .7f, .6f, 1.4f, 1.2f, .4f
                        },
                        new ai.djl.ndarray.types.Shape(5, 2, 2));
        NDArray c = manager.create(new float[][] {{0}, {1}, {0}, {0}, {1}});
        all = new NDList(a, b, c);
        batches = new ArrayList<>();
        for (int start = 0; start < 5; start += 2) {
            int end = Math.min(5, start + 2);
            batches.add(
                    new NDList(
                            a.get(start + ":" + end), b.get(start + ":" + end), c.get(start + ":" + end)));
        }
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void concatenatedSumMetricEqualsFeatureAblationOfTheConcatenatedDataSet() {
        try (Attribution dl = new DataLoaderAttribution(SUM).attribute(batches);
                Attribution fa = new FeatureAblation(SUM).attribute(Inputs.of(all), Target.none())) {
            for (int i = 0; i < 3; i++) {
                assertThat(dl.attribution(i).getShape()).isEqualTo(all.get(i).getShape());
                assertThat(dl.attribution(i).toFloatArray()).containsExactly(fa.attribution(i).toFloatArray());
            }
        }
    }

    @Test
    void masksAndBaselinesAreSharedByAllRowsAsInFeatureAblation() {
        NDArray[] masks = {
            manager.create(new long[][] {{0, 0}}),
            manager.create(new long[] {1, 2, 3, 2}, new ai.djl.ndarray.types.Shape(1, 2, 2)),
            manager.create(new long[][] {{4}})
        };
        NDArray b0 = manager.create(new float[][] {{0, -1}});
        DataLoaderAttribution.Options options =
                DataLoaderAttribution.Options.builder().featureMask(masks).baselines(b0, 1f, 0.1f).build();
        try (Attribution dl = new DataLoaderAttribution(SUM).attribute(batches, Metric.concat(), options);
                Attribution fa =
                        new FeatureAblation(SUM)
                                .attribute(
                                        Inputs.of(all).withBaselines(Baselines.perInput(b0, 1f, 0.1f)),
                                        Target.none(),
                                        FeatureAblation.Options.builder().featureMask(masks).build())) {
            for (int i = 0; i < 3; i++) {
                assertThat(dl.attribution(i).toFloatArray()).containsExactly(fa.attribution(i).toFloatArray());
            }
        }
    }

    @Test
    void aScalarSumMetricIsTheSumOverRowsAndPassesFollowPerturbationsPerPass() {
        Metric<NDArray> total =
                new Metric<>() {
                    @Override
                    public NDArray reduce(NDArray accum, NDArray output, NDList inputs) {
                        NDArray s = output.sum();
                        return accum == null ? s : accum.add(s);
                    }

                    @Override
                    public NDArray toMetric(NDArray accum) {
                        return accum;
                    }
                };
        AtomicInteger traversals = new AtomicInteger();
        Iterable<NDList> counted =
                () -> {
                    traversals.incrementAndGet();
                    return batches.iterator();
                };
        List<Long> progress = new ArrayList<>();
        DataLoaderAttribution.Options options =
                DataLoaderAttribution.Options.builder()
                        .inputRoles(InputRole.NEED_ATTR, InputRole.NEED_ATTR, InputRole.NO_FORWARD)
                        .perturbationsPerPass(3)
                        .returnInputShape(false)
                        .progress((task, done, all) -> progress.add(all))
                        .build();
        try (Attribution dl = new DataLoaderAttribution(SUM).attribute(counted, total, options);
                Attribution fa =
                        new FeatureAblation(SUM)
                                .attribute(Inputs.of(all.get(0), all.get(1)), Target.none())) {
            // 6 features (2 + 4): the attribute call's first row + 1 unperturbed + ceil(6/3) traversals
            assertThat(traversals.get()).isEqualTo(1 + 1 + 2);
            assertThat(progress).containsOnly(3L);
            float[] unique = dl.attribution(0).toFloatArray();
            assertThat(dl.attribution(0).getShape().getShape()).containsExactly(6);
            float[] a = fa.attribution(0).sum(new int[] {0}).toFloatArray();
            float[] b = fa.attribution(1).sum(new int[] {0}).flatten().toFloatArray();
            for (int f = 0; f < 6; f++) {
                float expected = f < 2 ? a[f] : b[f - 2];
                assertThat(unique[f]).isCloseTo(expected, within(1e-5f));
            }
        }
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        DataLoaderAttribution dl = new DataLoaderAttribution(SUM);
        assertThatThrownBy(() -> dl.attribute(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataLoader");
        assertThatThrownBy(
                        () ->
                                dl.attribute(
                                        batches,
                                        Metric.concat(),
                                        DataLoaderAttribution.Options.builder()
                                                .inputRoles(InputRole.NEED_ATTR)
                                                .build()))
                .hasMessageContaining("inputRoles");
        assertThatThrownBy(
                        () -> DataLoaderAttribution.Options.builder().inputRoles(InputRole.NO_FORWARD).build())
                .hasMessageContaining("NEED_ATTR");
        // a failed call leaves the next one working, and a call leaves nothing behind but its result
        int before = manager.getManagedArrays().size();
        try (Attribution ok = dl.attribute(batches)) {
            assertThat(ok.attributions()).hasSize(3);
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
