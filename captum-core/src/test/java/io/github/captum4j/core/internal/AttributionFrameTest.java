package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerPath;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

class AttributionFrameTest {

    /** Options of a method under test. */
    record Opts(int k) {}

    private static final Opts OPTS = new Opts(3);
    private static final MethodInfo<Opts> GRADIENT = MethodInfo.gradient("Grad", OPTS);
    private static final MethodInfo<Opts> PERTURBATION = MethodInfo.perturbation("Pert", OPTS);

    /** A body that doubles every input in scratch and makes throw-away intermediates. */
    private static Result doubled(Inputs inputs, NDManager scratch) {
        NDList out = new NDList();
        for (NDArray x : inputs.tensors()) {
            NDArray waste = x.add(1).mul(0); // an intermediate that must die with scratch
            out.add(x.mul(2).add(waste));
        }
        return new Result(out, scratch.create(new float[] {0.5f}));
    }

    @Test
    void resultIsHandedToTheCallerAndIntermediatesDieWithScratch() {
        try (NDManager caller = NDManager.newBaseManager()) {
            NDArray x = caller.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            Inputs in = Inputs.of(x);
            int before = caller.getManagedArrays().size();
            AtomicReference<NDManager> seen = new AtomicReference<>();
            try (Attribution a =
                    AttributionFrame.run(
                            Provenance.of(GRADIENT, OPTS, Target.none()),
                            in,
                            scratch -> {
                                // the caller's array is borrowed: expressions land in scratch
                                seen.set(x.getManager());
                                assertThat(x.getManager()).isSameAs(scratch);
                                return doubled(in, scratch);
                            })) {
                assertThat(seen.get()).isNotSameAs(caller);
                assertThat(x.getManager()).isSameAs(caller);
                assertThat(a.attribution(0).getManager()).isSameAs(caller);
                assertThat(a.attribution(0).toFloatArray()).containsExactly(2, 4, 6, 8);
                assertThat(a.convergenceDelta().orElseThrow().toFloatArray()).containsExactly(0.5f);
                // only the attribution and the delta outlive the call
                assertThat(caller.getManagedArrays().size()).isEqualTo(before + 2);
            }
        }
    }

    @Test
    void provenanceRecordsMethodOptionsTargetAndLayers() {
        try (NDManager caller = NDManager.newBaseManager()) {
            NDArray x = caller.ones(new Shape(2, 3));
            MethodInfo<Opts> info =
                    GRADIENT.withMultiplyByInputs(true).withConvergenceDelta().withBaselines();
            Provenance call =
                    Provenance.of(info, new Opts(7), Target.index(1))
                            .atLayers(List.of(LayerPath.of("fc1")))
                            .atNeuron("neuron 4");
            try (Attribution a =
                    AttributionFrame.run(
                            call, Inputs.of(x), scratch -> Result.of(new NDList(x.mul(1))))) {
                Provenance p = a.provenance();
                assertThat(p).isEqualTo(call);
                assertThat(p.method().name()).isEqualTo("Grad");
                assertThat(p.method().multipliesByInputs()).isTrue();
                assertThat(p.method().hasConvergenceDelta()).isTrue();
                assertThat(p.method().defaults()).isEqualTo(OPTS);
                assertThat(p.options()).isEqualTo(new Opts(7));
                assertThat(p.target()).isEqualTo(Target.index(1));
                assertThat(p.layers()).containsExactly(LayerPath.of("fc1"));
                assertThat(p.neuron()).isEqualTo("neuron 4");
                assertThat(a.method()).isEqualTo("Grad");
                assertThat(a.options()).isEqualTo(new Opts(7));
                assertThat(a.convergenceDelta()).isEmpty();
            }
        }
    }

    @Test
    void gradientMethodsRejectIntegerAndNonFiniteInputsBeforeComputing() {
        try (NDManager caller = NDManager.newBaseManager()) {
            NDArray ints = caller.create(new int[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray nan = caller.create(new float[] {1, Float.NaN, 3, 4}, new Shape(2, 2));
            AtomicBoolean ran = new AtomicBoolean();
            AttributionFrame.Body body =
                    scratch -> {
                        ran.set(true);
                        return Result.of(new NDList(scratch.zeros(new Shape(2, 2))));
                    };
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            Provenance.of(GRADIENT, OPTS, Target.none()),
                                            Inputs.of(ints),
                                            body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs[0] must be floating point for Grad");
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            Provenance.of(GRADIENT, OPTS, Target.none()),
                                            Inputs.of(nan),
                                            body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs[0] must be finite for Grad");
            assertThat(ran).isFalse();
            // the arrays went back to the caller after the failed call
            assertThat(nan.getManager()).isSameAs(caller);
        }
    }

    @Test
    void flagsOfTheMethodDecideWhichInputsAreAccepted() {
        try (NDManager caller = NDManager.newBaseManager()) {
            NDArray ints = caller.create(new int[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray nan = caller.create(new float[] {1, Float.NaN, 3, 4}, new Shape(2, 2));
            AttributionFrame.Body body =
                    scratch -> Result.of(new NDList(scratch.zeros(new Shape(2, 2))));
            // a layer method (gradients at a layer) takes integer ids
            try (Attribution a =
                    AttributionFrame.run(
                            Provenance.of(GRADIENT.withIntegerInputs(), OPTS, Target.none()),
                            Inputs.of(ints),
                            body)) {
                assertThat(ints.getDataType()).isEqualTo(DataType.INT32);
                assertThat(a.attributions()).hasSize(1);
            }
            // a perturbation method hands any values to the model
            try (Attribution a =
                    AttributionFrame.run(
                            Provenance.of(PERTURBATION, OPTS, Target.none()),
                            Inputs.of(nan),
                            body)) {
                assertThat(a.attributions()).hasSize(1);
            }
        }
    }

    @Test
    void baselinesAreRejectedByMethodsThatDoNotUseThem() {
        try (NDManager caller = NDManager.newBaseManager()) {
            Inputs in = Inputs.of(caller.ones(new Shape(2, 2))).withBaselines(Baselines.scalar(1));
            AttributionFrame.Body body =
                    scratch -> Result.of(new NDList(scratch.zeros(new Shape(2, 2))));
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            Provenance.of(GRADIENT, OPTS, Target.none()), in, body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("baselines: Grad does not use baselines");
            try (Attribution a =
                    AttributionFrame.run(
                            Provenance.of(GRADIENT.withBaselines(), OPTS, Target.none()),
                            in,
                            body)) {
                assertThat(a.attributions()).hasSize(1);
            }
        }
    }

    @Test
    void targetsAreCheckedAgainstTheBatchAndMissingArgumentsAreNamed() {
        try (NDManager caller = NDManager.newBaseManager()) {
            Inputs in = Inputs.of(caller.ones(new Shape(2, 2)));
            AttributionFrame.Body body =
                    scratch -> Result.of(new NDList(scratch.zeros(new Shape(2, 2))));
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            Provenance.of(GRADIENT, OPTS, Target.perExample(1)),
                                            in,
                                            body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("target must hold one entry per example (2), got 1");
            assertThatThrownBy(() -> Provenance.of(GRADIENT, null, Target.none()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("options must not be null");
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            Provenance.of(GRADIENT, OPTS, Target.none()),
                                            null,
                                            body))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("inputs must not be null");
        }
    }

    @Test
    void aFailingBodyLeavesNothingBehindAndTheNextCallWorks() {
        try (NDManager caller = NDManager.newBaseManager()) {
            NDArray x = caller.ones(new Shape(2, 2));
            Inputs in = Inputs.of(x);
            Provenance call = Provenance.of(GRADIENT, OPTS, Target.none());
            int before = caller.getManagedArrays().size();
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            call,
                                            in,
                                            scratch -> {
                                                x.mul(3); // an intermediate left in scratch
                                                throw new IllegalStateException("model broke");
                                            }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("model broke");
            assertThat(x.getManager()).isSameAs(caller);
            assertThat(caller.getManagedArrays().size()).isEqualTo(before);
            try (Attribution a = AttributionFrame.run(call, in, scratch -> doubled(in, scratch))) {
                assertThat(a.attribution(0).toFloatArray()).containsExactly(2, 2, 2, 2);
            }
            assertThat(caller.getManagedArrays().size()).isEqualTo(before);
        }
    }

    /**
     * A result made from JVM values ({@link Scope#fresh}) is handed over as it is, once: a second
     * slot holding the same array gets a copy, a result of another call is copied, and a failed
     * call forgets its fresh results (they die with its scratch manager).
     */
    @Test
    void freshResultsAreMovedToTheCallerOnceAndForgottenWhenTheCallEnds() {
        try (NDManager caller = NDManager.newBaseManager()) {
            Inputs in = Inputs.of(caller.ones(new Shape(1, 2)));
            Provenance call = Provenance.of(PERTURBATION, OPTS, Target.none());
            int before = caller.getManagedArrays().size();
            AtomicReference<NDArray> made = new AtomicReference<>();
            try (Attribution a =
                    AttributionFrame.run(
                            call,
                            in,
                            scratch -> {
                                made.set(Scope.fresh(scratch, new float[] {3, -1}, new Shape(1, 2)));
                                return Result.of(new NDList(made.get(), made.get()));
                            })) {
                assertThat(a.attribution(0)).isSameAs(made.get());
                assertThat(a.attribution(0).getManager()).isSameAs(caller);
                assertThat(a.attribution(1)).isNotSameAs(made.get());
                assertThat(a.attribution(1).toFloatArray()).containsExactly(3, -1);
                assertThat(caller.getManagedArrays().size()).isEqualTo(before + 2);
            }
            assertThatThrownBy(
                            () ->
                                    AttributionFrame.run(
                                            call,
                                            in,
                                            scratch -> {
                                                made.set(Scope.fresh(scratch, new float[] {1, 2}, new Shape(1, 2)));
                                                throw new IllegalStateException("model broke");
                                            }))
                    .hasMessage("model broke");
            assertThat(made.get().isReleased()).as("died with the failed call's scratch").isTrue();
            NDArray elsewhere;
            try (NDManager other = NDManager.newBaseManager()) {
                elsewhere = Scope.fresh(other, new float[] {5, 6}, new Shape(1, 2));
                Scope.endCall(); // made outside any frame, then forgotten: the next call copies it
                try (Attribution a =
                        AttributionFrame.run(call, in, scratch -> Result.of(new NDList(elsewhere)))) {
                    assertThat(a.attribution(0)).isNotSameAs(elsewhere);
                    assertThat(a.attribution(0).toFloatArray()).containsExactly(5, 6);
                }
                assertThat(elsewhere.getManager()).isSameAs(other);
            }
            assertThat(caller.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void aNonFiniteResultOfFiniteInputsIsReportedInEveryFloatTypeAndNothingIsHandedOver() {
        try (NDManager caller = NDManager.newBaseManager()) {
            NDArray x = caller.ones(new Shape(2, 2));
            Inputs in = Inputs.of(x, x);
            Provenance call = Provenance.of(GRADIENT, OPTS, Target.none());
            int before = caller.getManagedArrays().size();
            float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT64, DataType.FLOAT16)) {
                for (float value : bad) {
                    assertThatThrownBy(
                                    () ->
                                            AttributionFrame.run(
                                                    call,
                                                    in,
                                                    scratch -> {
                                                        NDArray fine = x.mul(2).toType(type, false);
                                                        NDArray broken =
                                                                scratch.create(new float[] {1, 2, value, 4}, new Shape(2, 2))
                                                                        .toType(type, false);
                                                        return Result.of(new NDList(fine, broken));
                                                    }))
                            .as("%s %s", type, value)
                            .isInstanceOf(io.github.captum4j.core.AttributionException.class)
                            .hasMessage(
                                    "Grad: the attribution of input 1 (shape (2, 2)) has NaN or"
                                            + " infinite values although the inputs are finite: the"
                                            + " model's output or its gradient is not finite");
                    assertThat(caller.getManagedArrays().size()).isEqualTo(before);
                }
                // The same results, finite, are handed over with their values and type.
                try (Attribution a =
                        AttributionFrame.run(
                                call,
                                in,
                                scratch ->
                                        Result.of(
                                                new NDList(
                                                        x.mul(2).toType(type, false),
                                                        scratch.create(new float[] {1, 2, 3, 4}, new Shape(2, 2))
                                                                .toType(type, false))))) {
                    NDArray handed = a.attribution(1);
                    assertThat(handed.getDataType()).isEqualTo(type);
                    NDArray asFloat = handed.toType(DataType.FLOAT32, false);
                    assertThat(asFloat.toFloatArray()).containsExactly(1, 2, 3, 4);
                    if (asFloat != handed) {
                        asFloat.close();
                    }
                }
            }
            assertThat(caller.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void methodInfoWithMethodsSetOneFlagEach() {
        assertThat(GRADIENT.acceptsIntegerInputs()).isFalse();
        assertThat(GRADIENT.acceptsNonFiniteInputs()).isFalse();
        assertThat(PERTURBATION.acceptsIntegerInputs()).isTrue();
        assertThat(PERTURBATION.acceptsNonFiniteInputs()).isTrue();
        MethodInfo<Opts> all =
                GRADIENT.withMultiplyByInputs(true)
                        .withConvergenceDelta()
                        .withBaselines()
                        .withIntegerInputs();
        assertThat(all).isEqualTo(new MethodInfo<>("Grad", OPTS, true, true, true, true, false));
        assertThat(all.withMultiplyByInputs(false).multipliesByInputs()).isFalse();
        assertThat(all.withFloatingInputsOnly().acceptsIntegerInputs()).isFalse();
        MethodInfo<Opts> derived = PERTURBATION.withBaselines().derived("Wrap(Pert)", new Opts(1));
        assertThat(derived)
                .isEqualTo(
                        new MethodInfo<>(
                                "Wrap(Pert)", new Opts(1), false, false, true, true, true));
    }
}
