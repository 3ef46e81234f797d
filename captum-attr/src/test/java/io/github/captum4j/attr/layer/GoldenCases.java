package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.fixtures.FixtureBaselines;
import io.github.captum4j.core.internal.fixtures.FixtureCase;
import io.github.captum4j.core.internal.fixtures.FixtureRoot;
import io.github.captum4j.core.internal.fixtures.Tolerance;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Golden cases of the layer and neuron methods, run on the imported (Block) form of the fixture
 * models: each model is loaded once; {@link #check} compares a method's output with the case's
 * expected attributions, delta and interpolations within the case's tolerance.
 */
public final class GoldenCases implements AutoCloseable {

    private final FixtureRoot root = FixtureRoot.fromSystemProperty();
    private final Map<String, ImportedModel> models = new HashMap<>();
    private final NDManager manager = NDManager.newBaseManager();

    /**
     * The case's model, loaded once.
     *
     * @param id the model id
     * @return the model
     */
    public ImportedModel model(String id) {
        return models.computeIfAbsent(
                id,
                k -> {
                    try {
                        return ImportedModel.load(root.modelJsonFile(k), manager);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /**
     * Reads a case.
     *
     * @param name the case name
     * @return the case
     */
    public FixtureCase read(String name) {
        try {
            return root.readCase(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A sub-manager for one test's tensors.
     *
     * @return the manager
     */
    public NDManager newSubManager() {
        return manager.newSubManager();
    }

    /**
     * Runs a case: builds the method on the case's model and layer and compares its output with the
     * expected values.
     *
     * @param caseName the case
     * @param method the method, from the model and the case's layer
     * @param options the options the case describes
     * @param <O> the options record
     */
    public <O extends Record> void check(
            String caseName,
            BiFunction<LayerAccess, LayerPath, AttributionMethod<O>> method,
            O options) {
        FixtureCase c = read(caseName);
        try (NDManager m = manager.newSubManager()) {
            AttributionMethod<O> am =
                    method.apply(
                            model(c.model()),
                            LayerPath.of(c.initArgs().string("layer").orElseThrow()));
            try (Attribution a = am.attribute(inputs(c, m), c.target(), options)) {
                NDList expected = c.expectedAttributions(m);
                assertThat(a.attributions()).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    Tolerance.Result r = c.tolerance().check(a.attribution(i), expected.get(i));
                    assertThat(r.passed()).as(caseName + ": " + r.detail()).isTrue();
                }
                if (c.attributeArgs().bool("return_convergence_delta", false)) {
                    Tolerance.Result r =
                            c.tolerance()
                                    .check(
                                            a.convergenceDelta().orElseThrow(),
                                            c.tensor("delta", m));
                    assertThat(r.passed()).as(caseName + " delta: " + r.detail()).isTrue();
                }
                if (c.has("interpolated_nearest")) {
                    NDArray x = c.inputs(m).get(0);
                    long[] size = {x.getShape().get(2), x.getShape().get(3)};
                    for (Interpolation mode :
                            new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
                        NDArray up = LayerAttribution.interpolate(a.attribution(0), size, mode);
                        String key = "interpolated_" + mode.name().toLowerCase();
                        Tolerance.Result r = c.tolerance().check(up, c.tensor(key, m));
                        assertThat(r.passed())
                                .as(caseName + " " + key + ": " + r.detail())
                                .isTrue();
                    }
                }
            }
        }
    }

    /**
     * The case's inputs with its baselines (one tensor or one number).
     *
     * @param c the case
     * @param m where the tensors go
     * @param distribution whether tensor baselines are a distribution to draw from
     * @return the inputs
     */
    public static Inputs inputs(FixtureCase c, NDManager m, boolean distribution) {
        FixtureBaselines b = c.baselines(m);
        Inputs in = Inputs.of(c.inputs(m));
        if (b.form() == FixtureBaselines.Form.TENSOR) {
            NDArray t = (NDArray) b.values().get(0);
            in = in.withBaselines(distribution ? Baselines.distribution(t) : Baselines.tensors(t));
        } else if (b.form() == FixtureBaselines.Form.NUMBER) {
            in = in.withBaselines(Baselines.scalar(((Double) b.values().get(0)).floatValue()));
        }
        return in;
    }

    private static Inputs inputs(FixtureCase c, NDManager m) {
        return inputs(c, m, false);
    }

    /**
     * Checks a stochastic method against the case's {@code seed_stats}: the mean of {@code runs}
     * seeded calls must lie within 5 standard errors of the difference of two means (plus the
     * case's tolerance) of the recorded mean over seeds.
     *
     * @param caseName the case
     * @param call one seeded call on the case's inputs
     * @param runs number of seeds averaged
     */
    public void checkSeedMean(
            String caseName,
            java.util.function.BiFunction<Inputs, Integer, Attribution> call,
            int runs) {
        FixtureCase c = read(caseName);
        try (NDManager m = manager.newSubManager()) {
            Inputs in = inputs(c, m, true);
            NDArray mean = c.tensors("seed_stats.mean", m).get(0);
            NDArray std = c.tensors("seed_stats.std", m).get(0);
            double nSeeds = c.number("seed_stats.n_seeds").orElse(1.0);
            NDArray sum = mean.zerosLike();
            for (int seed = 0; seed < runs; seed++) {
                try (Attribution a = call.apply(in, seed)) {
                    sum = sum.add(a.attribution(0));
                }
            }
            double[] ours = io.github.captum4j.core.testing.NDArrayAssert.toDoubles(sum.div(runs));
            double[] mu = io.github.captum4j.core.testing.NDArrayAssert.toDoubles(mean);
            double[] sd = io.github.captum4j.core.testing.NDArrayAssert.toDoubles(std);
            for (int j = 0; j < mu.length; j++) {
                // both means are estimates: the recorded one over n_seeds runs, ours over runs
                double allowed =
                        5 * sd[j] * Math.sqrt(1 / nSeeds + 1.0 / runs)
                                + c.tolerance().atol()
                                + c.tolerance().rtol() * Math.abs(mu[j]);
                assertThat(Math.abs(ours[j] - mu[j]))
                        .as(
                                "%s element %s: mean of %s runs %s, seed mean %s",
                                caseName, j, runs, ours[j], mu[j])
                        .isLessThanOrEqualTo(allowed);
            }
        }
    }

    /** Closes the models. */
    @Override
    public void close() {
        models.values().forEach(ImportedModel::close);
        manager.close();
    }
}
