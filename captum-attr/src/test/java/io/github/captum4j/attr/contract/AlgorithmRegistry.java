package io.github.captum4j.attr.contract;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.Deconvolution;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.DeepLiftShap;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.FeaturePermutation;
import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.GuidedGradCam;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.InterpretableModel;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.LRP;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.attr.SkLearnLasso;
import io.github.captum4j.attr.SkLearnLinearRegression;
import io.github.captum4j.attr.SkLearnRidge;
import io.github.captum4j.attr.layer.Interpolation;
import io.github.captum4j.attr.layer.InternalInfluence;
import io.github.captum4j.attr.layer.LayerActivation;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerDeepLift;
import io.github.captum4j.attr.layer.LayerDeepLiftShap;
import io.github.captum4j.attr.layer.LayerFeatureAblation;
import io.github.captum4j.attr.layer.LayerFeaturePermutation;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.attr.layer.LayerGradientShap;
import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.attr.layer.LayerLRP;
import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.attr.neuron.NeuronDeconvolution;
import io.github.captum4j.attr.neuron.NeuronDeepLift;
import io.github.captum4j.attr.neuron.NeuronDeepLiftShap;
import io.github.captum4j.attr.neuron.NeuronFeatureAblation;
import io.github.captum4j.attr.neuron.NeuronGradient;
import io.github.captum4j.attr.neuron.NeuronGradientShap;
import io.github.captum4j.attr.neuron.NeuronGuidedBackprop;
import io.github.captum4j.attr.neuron.NeuronIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.testing.TestModels;

import java.util.ArrayList;
import java.util.List;

/**
 * Every algorithm of the project, each with small valid options, for the contract suite. A new
 * algorithm joins the suite by adding its spec here.
 */
public final class AlgorithmRegistry {

    private AlgorithmRegistry() {}

    /** Examples per batch in the suite's inputs. */
    static final int BATCH = 3;

    /**
     * The suite's model: two inputs, (N, 5) and (N, 2, 3), into a smooth network with 3 outputs.
     *
     * @return the model
     */
    static ForwardFunction model() {
        ForwardFunction mlp = TestModels.mlp(11, 8, 3, 17);
        return (in, args) ->
                mlp.forward(
                        new NDList(
                                in.get(0)
                                        .concat(
                                                in.get(1).reshape(in.get(1).getShape().get(0), 6),
                                                1)),
                        args);
    }

    /**
     * Seeded inputs for {@link #model()}.
     *
     * @param manager where they go
     * @param seed the seed
     * @return the inputs
     */
    static Inputs inputs(NDManager manager, long seed) {
        NDArray x1 = manager.create(TestModels.gaussian(BATCH * 5, seed), new Shape(BATCH, 5));
        NDArray x2 =
                manager.create(TestModels.gaussian(BATCH * 6, seed + 1), new Shape(BATCH, 2, 3));
        return Inputs.of(x1, x2);
    }

    /**
     * A valid per-example target for {@link #inputs}.
     *
     * @return the target
     */
    static Target target() {
        return Target.perExample(0, 2, 1);
    }

    /**
     * All registered algorithms.
     *
     * @return the specs
     */
    public static List<AlgorithmSpec> all() {
        IntegratedGradients.Options ig =
                IntegratedGradients.Options.builder()
                        .nSteps(8)
                        .internalBatchSize(6)
                        .returnConvergenceDelta(true)
                        .build();
        List<AlgorithmSpec> all = new ArrayList<>(gradientMethods(ig));
        all.addAll(perturbationMethods());
        all.addAll(blockModelMethods());
        all.addAll(architectureMethods());
        return all;
    }

    /**
     * The rule-based and layer methods on the real architectures of the graph executor: the
     * Conv1d network ({@code conv1d_dna}), the transformer encoder ({@code bert_encoder}) and the
     * {@code nn.MultiheadAttention} encoder ({@code mha_encoder}).
     */
    private static List<AlgorithmSpec> architectureMethods() {
        LayerPath conv2 = LayerPath.of("conv2");
        LayerPath block1 = LayerPath.of("blocks.1");
        LayerPath attention = LayerPath.of("blocks.2.attn.softmax");
        LayerPath mhaAttention = LayerPath.of("blocks.0.attn");
        return List.of(
                block("DeepLift", m -> new DeepLift((ForwardFunction) m))
                        .on(Fixture.CONV1D_BLOCK)
                        .usesBaselines()
                        .returnsDelta(0),
                block("DeepLiftShap", m -> new DeepLiftShap((ForwardFunction) m))
                        .on(Fixture.CONV1D_BLOCK)
                        .usesBaselines(),
                block("GuidedBackprop", m -> new GuidedBackprop((ForwardFunction) m))
                        .on(Fixture.CONV1D_BLOCK),
                block("LRP", m -> new LRP((ForwardFunction) m)).on(Fixture.CONV1D_BLOCK),
                block("GuidedGradCam", m -> new GuidedGradCam(m, conv2))
                        .on(Fixture.CONV1D_BLOCK)
                        .rejects(
                                () -> new GuidedGradCam.Options(null, false),
                                "interpolateMode must not be null"),
                block("LayerConductance", m -> new LayerConductance(m, conv2))
                        .on(Fixture.CONV1D_BLOCK)
                        .attributesShapes(fc1(8, 21))
                        .acceptsIntegerInputs()
                        .usesBaselines()
                        .rejects(
                                () -> LayerConductance.Options.builder().nSteps(0).build(),
                                "nSteps must be >= 1, got 0"),
                block("DeepLift", m -> new DeepLift((ForwardFunction) m))
                        .on(Fixture.TRANSFORMER_BLOCK)
                        .usesBaselines(),
                block("LayerConductance", m -> new LayerConductance(m, block1))
                        .on(Fixture.TRANSFORMER_BLOCK)
                        .attributesShapes(fc1(12, 16))
                        .acceptsIntegerInputs()
                        .usesBaselines()
                        .rejects(
                                () -> LayerConductance.Options.builder().nSteps(0).build(),
                                "nSteps must be >= 1, got 0"),
                block("LayerIntegratedGradients", m -> new LayerIntegratedGradients(m, block1))
                        .on(Fixture.TRANSFORMER_BLOCK)
                        .attributesShapes(fc1(12, 16))
                        .acceptsIntegerInputs()
                        .usesBaselines()
                        .rejects(
                                () ->
                                        LayerIntegratedGradients.Options.builder()
                                                .internalBatchSize(0)
                                                .build(),
                                "internalBatchSize must be >= 1"),
                block("LayerActivation", m -> new LayerActivation(m, attention))
                        .on(Fixture.TRANSFORMER_BLOCK)
                        .attributesShapes(fc1(2, 12, 12))
                        .acceptsIntegerInputs()
                        .neuron(),
                block("DeepLift", m -> new DeepLift((ForwardFunction) m))
                        .on(Fixture.MHA_BLOCK)
                        .usesBaselines(),
                block("LayerConductance", m -> new LayerConductance(m, block1))
                        .on(Fixture.MHA_BLOCK)
                        .attributesShapes(fc1(8, 16))
                        .acceptsIntegerInputs()
                        .usesBaselines()
                        .rejects(
                                () -> LayerConductance.Options.builder().nSteps(0).build(),
                                "nSteps must be >= 1, got 0"),
                block("LayerIntegratedGradients", m -> new LayerIntegratedGradients(m, block1))
                        .on(Fixture.MHA_BLOCK)
                        .attributesShapes(fc1(8, 16))
                        .acceptsIntegerInputs()
                        .usesBaselines()
                        .rejects(
                                () ->
                                        LayerIntegratedGradients.Options.builder()
                                                .internalBatchSize(0)
                                                .build(),
                                "internalBatchSize must be >= 1"),
                block("LayerActivation", m -> new LayerActivation(m, mhaAttention))
                        .on(Fixture.MHA_BLOCK)
                        .attributesShapes(fc1(8, 16))
                        .acceptsIntegerInputs()
                        .neuron());
    }

    private static List<AlgorithmSpec> gradientMethods(IntegratedGradients.Options ig) {
        return List.of(
                AlgorithmSpec.of(
                                "IntegratedGradients",
                                IntegratedGradients::new,
                                f -> {
                                    IntegratedGradients m = new IntegratedGradients(f);
                                    return (in, t, seed) -> m.attribute(in, t, ig);
                                })
                        .usesBaselines()
                        .returnsDelta(1)
                        .rejects(() -> ig.toBuilder().nSteps(0).build(), "nSteps must be >= 1")
                        .rejects(
                                () -> ig.toBuilder().internalBatchSize(0).build(),
                                "internalBatchSize must be >= 1")
                        .rejects(
                                () ->
                                        ig.toBuilder()
                                                .method(ApproximationMethod.RIEMANN_LEFT)
                                                .nSteps(1)
                                                .build(),
                                "nSteps must be >= 2 for RIEMANN_LEFT")
                        .rejects(
                                () -> ig.toBuilder().method(null).build(),
                                "method must not be null"),
                AlgorithmSpec.of(
                        "Saliency",
                        Saliency::new,
                        f -> {
                            Saliency m = new Saliency(f);
                            return (in, t, seed) -> m.attribute(in, t);
                        }),
                AlgorithmSpec.of(
                        "InputXGradient",
                        InputXGradient::new,
                        f -> {
                            InputXGradient m = new InputXGradient(f);
                            return (in, t, seed) -> m.attribute(in, t);
                        }),
                AlgorithmSpec.of(
                                "GradientShap",
                                GradientShap::new,
                                f -> {
                                    GradientShap m = new GradientShap(f);
                                    GradientShap.Options o =
                                            GradientShap.Options.builder()
                                                    .nSamples(4)
                                                    .stdevs(0.1)
                                                    .returnConvergenceDelta(true)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(in, t, o.toBuilder().seed(seed).build());
                                })
                        .usesBaselines()
                        .stochastic()
                        .returnsDelta(4)
                        .rejects(
                                () -> GradientShap.Options.builder().nSamples(0).build(),
                                "nSamples must be >= 1")
                        .rejects(
                                () -> GradientShap.Options.builder().stdevs(-0.5).build(),
                                "stdevs must be finite and >= 0")
                        .rejects(
                                () -> GradientShap.Options.builder().internalBatchSize(0).build(),
                                "internalBatchSize must be >= 1 or null"),
                AlgorithmSpec.of(
                                "GradientShap (internalBatchSize)",
                                GradientShap::new,
                                f -> {
                                    GradientShap m = new GradientShap(f);
                                    GradientShap.Options o =
                                            GradientShap.Options.builder()
                                                    .nSamples(5)
                                                    .stdevs(0.1)
                                                    .internalBatchSize(6)
                                                    .returnConvergenceDelta(true)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(in, t, o.toBuilder().seed(seed).build());
                                })
                        .usesBaselines()
                        .stochastic()
                        .returnsDelta(5)
                        .rejects(
                                () -> GradientShap.Options.builder().internalBatchSize(-1).build(),
                                "internalBatchSize must be >= 1 or null"),
                AlgorithmSpec.of(
                                "NoiseTunnel(IntegratedGradients)",
                                f -> new NoiseTunnel<>(new IntegratedGradients(f)),
                                f -> {
                                    NoiseTunnel<IntegratedGradients.Options> m =
                                            new NoiseTunnel<>(new IntegratedGradients(f));
                                    NoiseTunnel.Options o =
                                            NoiseTunnel.Options.builder()
                                                    .ntType(NoiseTunnel.Type.SMOOTHGRAD_SQ)
                                                    .ntSamples(3)
                                                    .ntSamplesBatchSize(2)
                                                    .stdevs(0.2)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in, t, o.toBuilder().seed(seed).build(), ig);
                                })
                        .usesBaselines()
                        .stochastic()
                        .returnsDelta(3)
                        .rejects(
                                () -> NoiseTunnel.Options.builder().ntSamples(0).build(),
                                "ntSamples must be >= 1")
                        .rejects(
                                () -> NoiseTunnel.Options.builder().ntSamplesBatchSize(0).build(),
                                "ntSamplesBatchSize must be >= 1"),
                AlgorithmSpec.of(
                                "NoiseTunnel(Saliency)",
                                f -> new NoiseTunnel<>(new Saliency(f)),
                                f -> {
                                    NoiseTunnel<Saliency.Options> m =
                                            new NoiseTunnel<>(new Saliency(f));
                                    NoiseTunnel.Options o =
                                            NoiseTunnel.Options.builder()
                                                    .ntType(NoiseTunnel.Type.VARGRAD)
                                                    .ntSamples(4)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(in, t, o.toBuilder().seed(seed).build());
                                })
                        .stochastic()
                        .rejects(
                                () -> NoiseTunnel.Options.builder().stdevs(-1).build(),
                                "stdevs must be finite and >= 0"));
    }

    /**
     * Five feature groups over the suite's two inputs, (N, 5) and (N, 2, 3), so that the sampling
     * and regression methods stay cheap.
     */
    private static NDArray[] groups(Inputs in) {
        return GROUPS;
    }

    /** Masks live in their own manager, so that the suite's leak checks see only the methods. */
    private static final NDManager MASKS = NDManager.newBaseManager();

    private static final NDArray[] GROUPS = {
        MASKS.create(new long[] {0, 0, 1, 1, 2}, new Shape(1, 5)),
        MASKS.create(new long[] {3, 3, 3, 4, 4, 4}, new Shape(1, 2, 3))
    };

    /** Groups of {@link Fixture#ARRAY_MODEL}'s input, ids 4 and 6 unused (empty ablations). */
    private static final NDArray ARRAY_GROUPS =
            MASKS.create(new long[] {3, 3, 5, 5, 5, 7}, new Shape(1, 2, 3));

    /**
     * Arrays in the masks' manager: the suite checks it does not grow either.
     *
     * @return the count
     */
    static int maskManagerArrays() {
        return MASKS.getManagedArrays().size();
    }

    /** FeatureAblation with fixed options on a fixture (perturbationsPerEval 0 is rejected). */
    private static AlgorithmSpec featureAblation(String name, FeatureAblation.Options o, Fixture on) {
        return AlgorithmSpec.of(
                        name,
                        FeatureAblation::new,
                        f -> {
                            FeatureAblation m = new FeatureAblation(f);
                            return (in, t, seed) -> m.attribute(in, t, o);
                        })
                .perturbation()
                .usesBaselines()
                .on(on)
                .rejects(
                        () -> FeatureAblation.Options.builder().perturbationsPerEval(0).build(),
                        "perturbationsPerEval must be >= 1");
    }

    private static List<AlgorithmSpec> perturbationMethods() {
        FeatureAblation.Options ppe4 = FeatureAblation.Options.builder().perturbationsPerEval(4).build();
        return List.of(
                featureAblation("FeatureAblation", ppe4, Fixture.TWO_INPUT_LAMBDA),
                featureAblation("FeatureAblation", ppe4, Fixture.ARRAY_MODEL),
                featureAblation("FeatureAblation", ppe4, Fixture.TABULAR_BLOCK),
                featureAblation(
                        "FeatureAblation (feature mask with gaps)",
                        FeatureAblation.Options.builder()
                                .featureMask(List.of(ARRAY_GROUPS))
                                .perturbationsPerEval(2)
                                .build(),
                        Fixture.ARRAY_MODEL),
                AlgorithmSpec.of(
                                "Occlusion",
                                Occlusion::new,
                                f -> {
                                    Occlusion m = new Occlusion(f);
                                    Occlusion.Options o =
                                            Occlusion.Options.builder()
                                                    .slidingWindowShapesPerInput(
                                                            List.of(
                                                                    new long[] {2},
                                                                    new long[] {1, 2}))
                                                    .perturbationsPerEval(3)
                                                    .build();
                                    return (in, t, seed) -> m.attribute(in, t, o);
                                })
                        .perturbation()
                        .usesBaselines()
                        .rejects(
                                () ->
                                        Occlusion.Options.builder()
                                                .slidingWindowShapes(2)
                                                .perturbationsPerEval(0)
                                                .build(),
                                "perturbationsPerEval must be >= 1"),
                AlgorithmSpec.of(
                                "FeaturePermutation",
                                FeaturePermutation::new,
                                f -> {
                                    FeaturePermutation m = new FeaturePermutation(f);
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in,
                                                    t,
                                                    FeaturePermutation.Options.builder()
                                                            .seed(seed)
                                                            .build());
                                })
                        .perturbation()
                        .stochastic()
                        .rejects(
                                () ->
                                        FeaturePermutation.Options.builder()
                                                .perturbationsPerEval(0)
                                                .build(),
                                "perturbationsPerEval must be >= 1")
                        .rejects(
                                () ->
                                        FeaturePermutation.Options.builder()
                                                .minExamplesPerBatch(0)
                                                .build(),
                                "minExamplesPerBatch must be >= 1"),
                AlgorithmSpec.of(
                                "FeatureAblation (cross-tensor off)",
                                FeatureAblation::new,
                                f -> {
                                    FeatureAblation m = new FeatureAblation(f);
                                    FeatureAblation.Options o =
                                            FeatureAblation.Options.builder()
                                                    .enableCrossTensorAttribution(false)
                                                    .perturbationsPerEval(3)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in,
                                                    t,
                                                    o.toBuilder().featureMask(groups(in)).build());
                                })
                        .perturbation()
                        .usesBaselines()
                        .rejects(
                                () ->
                                        FeatureAblation.Options.builder()
                                                .enableCrossTensorAttribution(false)
                                                .perturbationsPerEval(-1)
                                                .build(),
                                "perturbationsPerEval must be >= 1"),
                AlgorithmSpec.of(
                                "FeaturePermutation (cross-tensor off, minExamplesPerBatch 3)",
                                FeaturePermutation::new,
                                f -> {
                                    FeaturePermutation m = new FeaturePermutation(f);
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in,
                                                    t,
                                                    FeaturePermutation.Options.builder()
                                                            .enableCrossTensorAttribution(false)
                                                            .minExamplesPerBatch(BATCH)
                                                            .featureMask(groups(in))
                                                            .perturbationsPerEval(2)
                                                            .seed(seed)
                                                            .build());
                                })
                        .perturbation()
                        .stochastic()
                        .rejects(
                                () ->
                                        FeaturePermutation.Options.builder()
                                                .minExamplesPerBatch(-3)
                                                .build(),
                                "minExamplesPerBatch must be >= 1"),
                AlgorithmSpec.of(
                                "ShapleyValueSampling",
                                ShapleyValueSampling::new,
                                f -> {
                                    ShapleyValueSampling m = new ShapleyValueSampling(f);
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in,
                                                    t,
                                                    ShapleyValueSampling.Options.builder()
                                                            .featureMask(groups(in))
                                                            .nSamples(3)
                                                            .perturbationsPerEval(4)
                                                            .seed(seed)
                                                            .build());
                                })
                        .perturbation()
                        .usesBaselines()
                        .stochastic()
                        .rejects(
                                () -> ShapleyValueSampling.Options.builder().nSamples(0).build(),
                                "nSamples must be >= 1"),
                AlgorithmSpec.of(
                                "ShapleyValues",
                                ShapleyValues::new,
                                f -> {
                                    ShapleyValues m = new ShapleyValues(f);
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in,
                                                    t,
                                                    ShapleyValues.Options.DEFAULTS
                                                            .withFeatureMask(groups(in))
                                                            .withPerturbationsPerEval(8));
                                })
                        .perturbation()
                        .usesBaselines()
                        .rejects(
                                () ->
                                        ShapleyValues.Options.DEFAULTS
                                                .withPerturbationsPerEval(-2),
                                "perturbationsPerEval must be >= 1, got -2"),
                lime("Lime", Lime::new)
                        .rejects(
                                () -> Lime.Options.builder().nSamples(0).build(),
                                "nSamples must be >= 1"),
                lime(
                                "Lime (SkLearnLinearRegression, no intercept)",
                                f -> lime(f, new SkLearnLinearRegression(false)))
                        .rejects(
                                () -> Lime.Options.builder().nSamples(0).build(),
                                "nSamples must be >= 1"),
                lime("Lime (SkLearnRidge)", f -> lime(f, new SkLearnRidge(0.5)))
                        .rejects(() -> new SkLearnRidge(-1), "alpha must be finite and >= 0"),
                lime(
                                "Lime (SkLearnLasso, no intercept)",
                                f -> lime(f, new SkLearnLasso(0.01, false)))
                        .rejects(() -> new SkLearnLasso(-1), "alpha must be finite and >= 0"),
                lime("KernelShap", KernelShap::new)
                        .rejects(
                                () -> Lime.Options.builder().perturbationsPerEval(0).build(),
                                "perturbationsPerEval must be >= 1"));
    }

    private static final LayerPath FC1 = LayerPath.of("fc1");

    /** Neurons are taken after a ReLU, so that their gradient depends on where it is taken. */
    private static final LayerPath FC2 = LayerPath.of("fc2");

    private static final NeuronSelector NEURON = NeuronSelector.index(3);

    /** fc1's output for the Block fixture's inputs: (N, 16). */
    private static java.util.function.Function<Inputs, List<Shape>> fc1(long... perExample) {
        return in -> List.of(new Shape(in.batchSize()).addAll(new Shape(perExample)));
    }

    private static AlgorithmSpec layer(
            String name, java.util.function.Function<LayerAccess, AttributionMethod<?>> build) {
        return block(name, build).attributesShapes(fc1(16)).acceptsIntegerInputs();
    }

    private static AlgorithmSpec block(
            String name, java.util.function.Function<LayerAccess, AttributionMethod<?>> build) {
        return AlgorithmSpec.of(
                        name,
                        f -> build.apply(LayerAccess.of(f)),
                        f -> {
                            @SuppressWarnings("unchecked")
                            AttributionMethod<Record> m =
                                    (AttributionMethod<Record>) build.apply(LayerAccess.of(f));
                            return (in, t, seed) -> m.attribute(in, t);
                        })
                .on(Fixture.TABULAR_BLOCK);
    }

    private static AlgorithmSpec neuron(
            String name, java.util.function.Function<LayerAccess, AttributionMethod<?>> build) {
        return block(name, build).neuron().acceptsIntegerInputs();
    }

    private static AlgorithmSpec seededBlock(
            String name,
            java.util.function.Function<LayerAccess, AttributionMethod<?>> method,
            java.util.function.Function<LayerAccess, AlgorithmSpec.Call> call) {
        return AlgorithmSpec.of(
                        name,
                        f -> method.apply(LayerAccess.of(f)),
                        f -> call.apply(LayerAccess.of(f)))
                .on(Fixture.TABULAR_BLOCK)
                .stochastic();
    }

    /**
     * Layer, neuron and rule-based methods, which must see inside the model: on the imported {@code
     * tabular_mlp}, layer {@code fc1}, neuron 3.
     */
    private static List<AlgorithmSpec> blockModelMethods() {
        return List.of(
                layer("LayerActivation", m -> new LayerActivation(m, FC1)).neuron(),
                layer("LayerGradientXActivation", m -> new LayerGradientXActivation(m, FC1)),
                layer("LayerConductance", m -> new LayerConductance(m, FC1))
                        .usesBaselines()
                        .rejects(
                                () -> LayerConductance.Options.builder().nSteps(0).build(),
                                "nSteps must be >= 1, got 0")
                        .rejects(
                                () -> LayerConductance.Options.builder().nSteps(-1).build(),
                                "nSteps must be >= 1, got -1"),
                layer("InternalInfluence", m -> new InternalInfluence(m, FC1))
                        .usesBaselines()
                        .rejects(
                                () -> InternalInfluence.Options.builder().nSteps(0).build(),
                                "nSteps must be >= 1, got 0"),
                layer("LayerIntegratedGradients", m -> new LayerIntegratedGradients(m, FC1))
                        .usesBaselines()
                        .rejects(
                                () ->
                                        LayerIntegratedGradients.Options.builder()
                                                .internalBatchSize(0)
                                                .build(),
                                "internalBatchSize must be >= 1"),
                block("LayerGradCam", m -> new LayerGradCam(m, FC1))
                        .attributesShapes(fc1(1))
                        .acceptsIntegerInputs(),
                seededBlock(
                                "LayerGradientShap",
                                m -> new LayerGradientShap(m, FC1),
                                m -> {
                                    LayerGradientShap gs = new LayerGradientShap(m, FC1);
                                    return (in, t, seed) ->
                                            gs.attribute(
                                                    in,
                                                    t,
                                                    LayerGradientShap.Options.builder()
                                                            .nSamples(4)
                                                            .stdevs(0.1)
                                                            .seed(seed)
                                                            .build());
                                })
                        .usesBaselines()
                        .attributesShapes(fc1(16))
                        .acceptsIntegerInputs()
                        .rejects(
                                () -> LayerGradientShap.Options.builder().nSamples(0).build(),
                                "nSamples must be >= 1, got 0")
                        .rejects(
                                () ->
                                        LayerGradientShap.Options.builder()
                                                .internalBatchSize(0)
                                                .build(),
                                "internalBatchSize must be >= 1 or null, got 0"),
                layer("LayerFeatureAblation", m -> new LayerFeatureAblation(m, FC1))
                        .perturbation()
                        .layerBaselines()
                        .rejects(
                                () ->
                                        LayerFeatureAblation.Options.DEFAULTS
                                                .withPerturbationsPerEval(0),
                                "perturbationsPerEval must be >= 1"),
                seededBlock(
                                "LayerFeaturePermutation",
                                m -> new LayerFeaturePermutation(m, FC1),
                                m -> {
                                    LayerFeaturePermutation lfp =
                                            new LayerFeaturePermutation(m, FC1);
                                    return (in, t, seed) ->
                                            lfp.attribute(
                                                    in,
                                                    t,
                                                    new LayerFeaturePermutation.Options(
                                                            null, 3, seed));
                                })
                        .perturbation()
                        .attributesShapes(fc1(16))
                        .acceptsIntegerInputs()
                        .rejects(
                                () -> new LayerFeaturePermutation.Options(null, 0, null),
                                "perturbationsPerEval must be >= 1"),
                layer("LayerDeepLift", m -> new LayerDeepLift(m, FC1)).usesBaselines(),
                layer("LayerDeepLiftShap", m -> new LayerDeepLiftShap(m, FC1)).usesBaselines(),
                layer("LayerLRP", m -> new LayerLRP(m, FC1)),
                neuron("NeuronGradient", m -> new NeuronGradient(m, FC2).atNeuron(NEURON)).neuron(),
                neuron(
                                "NeuronIntegratedGradients",
                                m -> new NeuronIntegratedGradients(m, FC2).atNeuron(NEURON))
                        .neuron()
                        .usesBaselines()
                        .rejects(
                                () -> NeuronIntegratedGradients.Options.builder().nSteps(0).build(),
                                "nSteps must be >= 1, got 0"),
                block("NeuronConductance", m -> new NeuronConductance(m, FC2).atNeuron(NEURON))
                        .usesBaselines()
                        .acceptsIntegerInputs()
                        .rejects(
                                () -> NeuronConductance.Options.builder().method(null).build(),
                                "method must not be null"),
                seededBlock(
                                "NeuronGradientShap",
                                m -> new NeuronGradientShap(m, FC2).atNeuron(NEURON),
                                m -> {
                                    AttributionMethod<NeuronGradientShap.Options> gs =
                                            new NeuronGradientShap(m, FC2).atNeuron(NEURON);
                                    return (in, t, seed) ->
                                            gs.attribute(
                                                    in,
                                                    t,
                                                    NeuronGradientShap.Options.builder()
                                                            .nSamples(4)
                                                            .seed(seed)
                                                            .build());
                                })
                        .neuron()
                        .acceptsIntegerInputs()
                        .usesBaselines()
                        .rejects(
                                () -> NeuronGradientShap.Options.builder().stdevs(-1).build(),
                                "stdevs must be finite and >= 0")
                        .rejects(
                                () ->
                                        NeuronGradientShap.Options.builder()
                                                .internalBatchSize(-2)
                                                .build(),
                                "internalBatchSize must be >= 1 or null, got -2"),
                neuron(
                                "NeuronFeatureAblation",
                                m -> new NeuronFeatureAblation(m, FC2).atNeuron(NEURON))
                        .neuron()
                        .perturbation()
                        .usesBaselines()
                        .rejects(
                                () ->
                                        NeuronFeatureAblation.Options.DEFAULTS
                                                .withPerturbationsPerEval(0),
                                "perturbationsPerEval must be >= 1"),
                neuron("NeuronDeepLift", m -> new NeuronDeepLift(m, FC2).atNeuron(NEURON))
                        .neuron()
                        .usesBaselines(),
                neuron("NeuronDeepLiftShap", m -> new NeuronDeepLiftShap(m, FC2).atNeuron(NEURON))
                        .neuron()
                        .usesBaselines(),
                neuron(
                                "NeuronGuidedBackprop",
                                m -> new NeuronGuidedBackprop(m, FC2).atNeuron(NEURON))
                        .neuron(),
                neuron("NeuronDeconvolution", m -> new NeuronDeconvolution(m, FC2).atNeuron(NEURON))
                        .neuron(),
                block("DeepLift", m -> new DeepLift((ForwardFunction) m))
                        .usesBaselines()
                        .returnsDelta(0),
                block("DeepLiftShap", m -> new DeepLiftShap((ForwardFunction) m)).usesBaselines(),
                block("GuidedBackprop", m -> new GuidedBackprop((ForwardFunction) m)),
                block("Deconvolution", m -> new Deconvolution((ForwardFunction) m)),
                block("LRP", m -> new LRP((ForwardFunction) m)),
                block("GuidedGradCam", m -> new GuidedGradCam(m, LayerPath.of("conv2")))
                        .on(Fixture.CNN_BLOCK)
                        .rejects(
                                () -> new GuidedGradCam.Options(null, false),
                                "interpolateMode must not be null"),
                AlgorithmSpec.of(
                                "GuidedGradCam (interpolateMode BICUBIC)",
                                f -> new GuidedGradCam(LayerAccess.of(f), LayerPath.of("conv2")),
                                f -> {
                                    GuidedGradCam m =
                                            new GuidedGradCam(
                                                    LayerAccess.of(f), LayerPath.of("conv2"));
                                    GuidedGradCam.Options o =
                                            new GuidedGradCam.Options(Interpolation.BICUBIC, false);
                                    return (in, t, seed) -> m.attribute(in, t, o);
                                })
                        .on(Fixture.CNN_BLOCK)
                        .rejects(
                                () -> new GuidedGradCam.Options(null, true),
                                "interpolateMode must not be null"));
    }

    /** Lime (on one surrogate) or KernelShap with small valid options. */
    private static AlgorithmSpec lime(
            String name,
            java.util.function.Function<ForwardFunction, AttributionMethod<Lime.Options>> build) {
        return AlgorithmSpec.of(
                        name,
                        build::apply,
                        f -> {
                            AttributionMethod<Lime.Options> m = build.apply(f);
                            return (in, t, seed) ->
                                    m.attribute(
                                            in,
                                            t,
                                            Lime.Options.builder()
                                                    .featureMask(groups(in))
                                                    .nSamples(20)
                                                    .perturbationsPerEval(10)
                                                    .seed(seed)
                                                    .build());
                        })
                .perturbation()
                .usesBaselines()
                .stochastic();
    }

    private static Lime lime(ForwardFunction f, InterpretableModel surrogate) {
        return new Lime(
                f, surrogate, Lime.SimilarityFunction.DEFAULT, Lime.PerturbFunction.DEFAULT);
    }
}
