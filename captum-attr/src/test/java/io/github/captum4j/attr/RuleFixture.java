package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.fixtures.FixtureBaselines;
import io.github.captum4j.core.internal.fixtures.FixtureCase;
import io.github.captum4j.core.internal.fixtures.FixtureRoot;
import io.github.captum4j.core.internal.fixtures.Tolerance;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A golden case of a rule-based method on the Block form of its model. */
public final class RuleFixture implements AutoCloseable {

    public static final FixtureRoot ROOT = FixtureRoot.fromSystemProperty();

    public final FixtureCase c;
    public final ImportedModel model;
    public final Inputs inputs;

    private RuleFixture(FixtureCase c, NDManager m, boolean distribution) throws IOException {
        this.c = c;
        this.model = ImportedModel.load(ROOT.modelJsonFile(c.model()), m);
        FixtureBaselines b = c.baselines(m);
        Object[] values = b.values().toArray();
        Baselines baselines =
                switch (b.form()) {
                    case NONE -> Baselines.zeros();
                    case NUMBER -> Baselines.scalar(((Double) values[0]).floatValue());
                    case TENSOR ->
                            distribution
                                    ? Baselines.distribution((NDArray) values[0])
                                    : Baselines.tensors((NDArray) values[0]);
                    default -> Baselines.perInput(values);
                };
        this.inputs =
                Inputs.of(c.inputs(m))
                        .withBaselines(baselines)
                        .withAdditionalArgs(c.additionalForwardArgs(m));
    }

    /**
     * Loads a case and its Block model.
     *
     * @param name the case's file name without {@code .json}
     * @param m where its tensors go
     * @param distribution whether a tensor baseline is a distribution (DeepLiftShap)
     * @return the fixture
     */
    public static RuleFixture load(String name, NDManager m, boolean distribution) {
        try {
            return new RuleFixture(ROOT.readCase(name), m, distribution);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts attributions (and the delta, if the case has one) within the case's tolerance. */
    public void assertMatches(Attribution a, NDManager m) {
        NDList expected = c.expectedAttributions(m);
        assertThat(a.attributions()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Tolerance.Result r = c.tolerance().check(a.attribution(i), expected.get(i));
            assertThat(r.passed()).as(c.name() + " attributions[" + i + "]: " + r).isTrue();
        }
        c.expectedDelta(m)
                .ifPresent(
                        d -> {
                            Tolerance.Result r =
                                    c.tolerance().check(a.convergenceDelta().orElseThrow(), d);
                            assertThat(r.passed()).as(c.name() + " delta: " + r).isTrue();
                        });
    }

    @Override
    public void close() {
        model.close();
    }
}
