package io.github.captum4j.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

/**
 * Properties that hold for any model: epsilon 0 is the identity, PGD stays in its ball and bounds,
 * MinParamPerturbation's answer fails and the grid value before it does not, the contracts (no
 * leak, argument errors naming the argument, same seed same result).
 */
class RobustPropertiesTest {

    private static final ForwardFunction MLP = TestModels.mlp(6, 16, 4, 11);

    private NDManager manager;
    private NDArray x;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        x = manager.create(TestModels.gaussian(5 * 6, 3), new Shape(5, 6));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void fgsmWithEpsilonZeroReturnsTheInput() {
        NDList out =
                new FGSM(MLP, Loss.crossEntropy(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
                        .perturb(Inputs.of(x), Target.index(1), FGSM.Options.of(0));
        assertThat(out.get(0).toFloatArray()).containsExactly(x.toFloatArray());
    }

    @Test
    void fgsmMovesEveryUnmaskedElementByEpsilon() {
        NDList out =
                new FGSM(MLP, Loss.crossEntropy(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
                        .perturb(Inputs.of(x), Target.index(1), FGSM.Options.of(0.25));
        float[] d = out.get(0).sub(x).abs().toFloatArray();
        for (float v : d) {
            assertThat(v == 0f || Math.abs(v - 0.25f) < 1e-6f).as("|x' - x| = %s", v).isTrue();
        }
        // an untargeted step raises the loss of the true class
        assertThat(loss(out.get(0), 1)).isGreaterThan(loss(x, 1));
    }

    private float loss(NDArray in, int cls) {
        NDArray l = Loss.crossEntropy().apply(MLP.forward(new NDList(in), java.util.List.of()), Target.index(cls));
        return l.sum().getFloat();
    }

    @Test
    void pgdStaysInsideTheBallAndTheBounds() {
        for (Norm norm : Norm.values()) {
            for (boolean random : new boolean[] {false, true}) {
                PGD.Options o =
                        PGD.Options.builder(0.3, 0.1, 7).norm(norm).randomStart(random).seed(5).build();
                NDArray inside = x.clip(-1f, 1f); // the ball's centre within the bounds
                NDArray out =
                        new PGD(MLP, Loss.crossEntropy(), -1.0, 1.0)
                                .perturb(Inputs.of(inside), Target.perExample(0, 1, 2, 3, 0), o)
                                .get(0);
                NDArray diff = out.sub(inside);
                double dist =
                        norm == Norm.LINF
                                ? diff.abs().max().getFloat()
                                : diff.norm(new int[] {1}).max().getFloat();
                assertThat(dist).as("%s random=%s", norm, random).isLessThanOrEqualTo(0.3 + 1e-6);
                assertThat(out.min().getFloat()).isGreaterThanOrEqualTo(-1f);
                assertThat(out.max().getFloat()).isLessThanOrEqualTo(1f);
            }
        }
    }

    @Test
    void pgdWithTheSameSeedGivesTheSameResult() {
        PGD pgd = new PGD(MLP, Loss.crossEntropy(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        PGD.Options o = PGD.Options.builder(0.2, 0.05, 3).randomStart(true).seed(42).build();
        float[] a = pgd.perturb(Inputs.of(x), Target.index(2), o).get(0).toFloatArray();
        float[] b = pgd.perturb(Inputs.of(x), Target.index(2), o).get(0).toFloatArray();
        assertThat(a).containsExactly(b);
    }

    @Test
    void minParamAnswerFailsAndThePreviousStepDoesNot() {
        NDArray noise = manager.create(TestModels.gaussian(6, 9), new Shape(1, 6));
        int[] labels = predictions(x);
        MinParamPerturbation.Attack attack = (in, s) -> new NDList(in.get(0).add(noise.mul((float) s)));
        for (MinParamPerturbation.Mode mode : MinParamPerturbation.Mode.values()) {
            MinParamPerturbation.Options o =
                    MinParamPerturbation.Options.builder("std", 0, 20, 0.25).mode(mode).build();
            Optional<MinParamPerturbation.Result> r =
                    new MinParamPerturbation(MLP, attack, o)
                            .evaluate(Inputs.of(x), Target.perExample(labels), 3);
            assertThat(r).as("%s", mode).isPresent();
            double p = r.get().value();
            assertThat(predictions(r.get().perturbed().get(0))).isNotEqualTo(labels);
            NDArray previous = x.add(noise.mul((float) (p - 0.25)));
            if (mode == MinParamPerturbation.Mode.LINEAR && p > 0) {
                assertThat(predictions(previous)).isEqualTo(labels);
            }
            assertThat(predictions(x.add(noise.mul((float) p)))).isNotEqualTo(labels);
        }
    }

    private static int[] predictions(NDArray in) {
        long[] p = MLP.forward(new NDList(in), java.util.List.of()).argMax(1).toLongArray();
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (int) p[i];
        }
        return out;
    }

    @Test
    void comparatorSummaryIsTheMeanOverCalls() {
        AttackComparator cmp = new AttackComparator(MLP, AttackComparator.Metric.targetLogit());
        cmp.addAttack(new AttackComparator.AttackSpec("shift", (in, t) -> new NDList(in.get(0).add(0.1f)), 3, true));
        AttackComparator.Evaluation e1 = cmp.evaluate(Inputs.of(x), Target.index(0), 2);
        AttackComparator.Evaluation e2 = cmp.evaluate(Inputs.of(x.mul(2)), Target.index(0), 1);
        float o1 = e1.original().get(0).batchMean().values()[0];
        float o2 = e2.original().get(0).batchMean().values()[0];
        assertThat(cmp.summary().get("Original").get(0).values()[0]).isCloseTo((o1 + o2) / 2, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(cmp.summary()).containsOnlyKeys("Original", "shift Mean Attempt", "shift Max Attempt", "shift Min Attempt");
        assertThat(cmp.summaryTable()).contains("shift Mean Attempt");
        cmp.reset();
        assertThat(cmp.summary()).isEmpty();
    }

    @Test
    void noArrayLeaksAfterManyCalls() {
        FGSM fgsm = new FGSM(MLP, Loss.crossEntropy(), -2, 2);
        PGD pgd = new PGD(MLP, Loss.crossEntropy(), -2, 2);
        AttackComparator cmp = new AttackComparator(MLP, AttackComparator.Metric.accuracyAndTargetProbability());
        cmp.addAttack(AttackComparator.AttackSpec.of("FGSM", (in, t) -> fgsm.perturb(Inputs.of(in), t, FGSM.Options.of(0.1))));
        MinParamPerturbation mpp =
                new MinParamPerturbation(MLP, (in, s) -> new NDList(in.get(0).mul((float) (1 - s))),
                        MinParamPerturbation.Options.builder("s", 0, 1, 0.1).build());
        try (NDManager caller = manager.newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(caller);
            Inputs inputs = Inputs.of(in);
            int base = caller.getManagedArrays().size();
            for (int i = 0; i < 100; i++) {
                fgsm.perturb(inputs, Target.index(1), FGSM.Options.of(0.1)).close();
                pgd.perturb(inputs, Target.index(1), PGD.Options.builder(0.1, 0.05, 2).build()).close();
                cmp.evaluate(inputs, Target.index(1), 1);
                mpp.evaluate(inputs, Target.perExample(predictions(x)), 2).ifPresent(r -> r.perturbed().close());
            }
            assertThat(caller.getManagedArrays()).hasSize(base);
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertThatThrownBy(() -> FGSM.Options.of(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> PGD.Options.builder(-0.1, 0.1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("radius");
        assertThatThrownBy(() -> PGD.Options.builder(0.1, 0.1, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepNum");
        assertThatThrownBy(() -> new FGSM(MLP, null, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lowerBound");
        assertThatThrownBy(() -> MinParamPerturbation.Options.builder("k", 0, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argMax");
        assertThatThrownBy(() -> new FGSM(MLP).perturb(Inputs.of(x), Target.perExample(0, 1), FGSM.Options.of(0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target");
        NDList badMask = new NDList(manager.ones(new Shape(2, 6)));
        assertThatThrownBy(() -> new FGSM(MLP).perturb(Inputs.of(x), Target.index(0), new FGSM.Options(0.1, false, badMask)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask");
        Loss scalar = (o, t) -> o.sum();
        assertThatThrownBy(() -> new FGSM(MLP, scalar, -1, 1).perturb(Inputs.of(x), Target.index(0), FGSM.Options.of(0.1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss");
        AttackComparator cmp = new AttackComparator(MLP, AttackComparator.Metric.targetLogit());
        cmp.addAttack(AttackComparator.AttackSpec.of("a", (in, t) -> in));
        assertThatThrownBy(() -> cmp.addAttack(AttackComparator.AttackSpec.of("a", (in, t) -> in)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        // a failed call leaves the next one working
        assertThat(new FGSM(MLP, Loss.crossEntropy(), -1, 1).perturb(Inputs.of(x), Target.index(0), FGSM.Options.of(0.1))).hasSize(1);
    }
}
