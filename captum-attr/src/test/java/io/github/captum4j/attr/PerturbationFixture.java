package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;

import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.fixtures.FixtureBaselines;
import io.github.captum4j.core.internal.fixtures.FixtureCase;
import io.github.captum4j.core.internal.fixtures.FixtureRoot;
import io.github.captum4j.core.internal.fixtures.FixtureTensors;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A golden perturbation case loaded for a test: its model, inputs, baselines and feature mask. */
final class PerturbationFixture implements AutoCloseable {

    final FixtureCase c;
    final TorchScriptModel model;
    final Inputs inputs;
    final NDArray[] featureMask;

    private PerturbationFixture(FixtureCase c, NDManager m) {
        this.c = c;
        this.model = TorchScriptModel.load(TestModels.model(c.model() + ".pt"));
        NDList x = c.inputs(m);
        FixtureBaselines b = c.baselines(m);
        Baselines baselines;
        switch (b.form()) {
            case NONE:
                baselines = Baselines.zeros();
                break;
            case NUMBER:
                baselines = Baselines.scalar(((Double) b.values().get(0)).floatValue());
                break;
            case TENSOR:
                baselines = Baselines.tensors((NDArray) b.values().get(0));
                break;
            default:
                baselines = Baselines.perInput(b.values().toArray());
        }
        this.inputs = Inputs.of(x).withBaselines(baselines);
        if (c.attributeArgs().has("feature_mask")) {
            JsonElement raw = c.attributeArgs().raw("feature_mask").orElseThrow();
            this.featureMask = new NDArray[] {FixtureTensors.read(raw, m, "feature_mask")};
        } else {
            this.featureMask = null;
        }
    }

    /**
     * Loads a case.
     *
     * @param name the case's file name without {@code .json}
     * @param m where its tensors go
     * @return the fixture
     */
    static PerturbationFixture load(String name, NDManager m) {
        try {
            return new PerturbationFixture(FixtureRoot.of(TestModels.fixtures()).readCase(name), m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int ppe() {
        return c.attributeArgs().integer("perturbations_per_eval", 1);
    }

    @Override
    public void close() {
        model.close();
    }
}
