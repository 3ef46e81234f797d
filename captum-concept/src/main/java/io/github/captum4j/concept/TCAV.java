package io.github.captum4j.concept;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import org.immutables.value.Value;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Testing with Concept Activation Vectors: how much a class's prediction is sensitive to a concept
 * at a layer. For an experimental set of concepts \( c_1..c_C \), a linear classifier separates
 * their layer activations; its weight rows \( v_k \) are the CAVs. For inputs \( x_n \) and the
 * gradient \( S_n = \partial f_t(x_n) / \partial a_\ell(x_n) \) of the target output at the layer,
 * \[ \mathrm{sign\_count}_k = \frac{1}{N} \sum_n [S_n \cdot v_k > 0], \qquad
 * \mathrm{magnitude}_k = \frac{1}{N} \sum_n S_n \cdot v_k \]
 * (Captum computes the signed mean, tcav.py:807, although its docstring describes a ratio of
 * absolute values). {@link #significance} compares a concept's scores against random concepts'
 * with a two-sided Student t-test, as Captum's tutorial does by hand.
 *
 * <p>Kim et al., <i>Interpretability Beyond Feature Attribution: Quantitative Testing with Concept
 * Activation Vectors (TCAV)</i>, ICML 2018 (arXiv:1711.11279). Captum's {@code TCAV} with its
 * default layer attribution (the plain layer gradient, LayerGradientXActivation without
 * multiplying) and {@link DefaultClassifier}. CAVs are cached under {@code
 * savePath/modelId}, keyed by the concept ids, the layer and a fingerprint of everything else that
 * changes them (concept names and example values, layer input or output, the classifier's {@link
 * Classifier#cacheKey()}); the model is identified by {@code modelId} only, so give a changed model
 * a new id.
 *
 * <pre>{@code
 * TCAV tcav = new TCAV(model, LayerPath.of("conv2", "fc1"),
 *         TCAV.Options.builder("shapes_cnn").savePath(Path.of("cav")).build());
 * Map<String, Map<String, TCAV.Score>> scores =
 *         tcav.interpret(Inputs.of(images), List.of(List.of(stripes, random0)), Target.index(1));
 * float[] signCount = scores.get("0-5").get("fc1").signCount();
 * }</pre>
 */
@Value.Enclosing
public final class TCAV {

    private final LayerAccess model;
    private final List<LayerPath> layers;
    private final Options options;
    private final CavStore store;

    /**
     * How CAVs are trained and stored, with Captum's names and defaults.
     *
     * @param modelId the model's name in the cache (default {@code "default_model_id"})
     * @param classifier the CAV classifier (default {@code new DefaultClassifier(0)})
     * @param attributeToLayerInput take activations and gradients at the layers' inputs (default
     *     false: outputs)
     * @param savePath the cache folder, or {@code null} for no disk cache (default; Captum's is
     *     {@code ./cav/})
     */
    @Value.Builder
    public record Options(
            String modelId, Classifier classifier, boolean attributeToLayerInput, Path savePath) {
        /**
         * Validates the options.
         *
         * @param modelId the model's name in the cache (default {@code "default_model_id"})
         * @param classifier the CAV classifier (default {@code new DefaultClassifier(0)})
         * @param attributeToLayerInput take activations and gradients at the layers' inputs
         *     (default false: outputs)
         * @param savePath the cache folder, or {@code null} for no disk cache (default; Captum's is
         *     {@code ./cav/})
         */
        public Options {
            Checks.argument(
                    modelId != null && !modelId.isEmpty() && modelId.matches("[A-Za-z0-9._-]+"),
                    "modelId must be a non-empty name of letters, digits, '.', '_' or '-', got"
                            + " '%s'",
                    modelId);
            Checks.notNull(classifier, "classifier");
        }

        /**
         * A builder with Captum's defaults.
         *
         * @param modelId the model's name in the cache
         * @return the builder
         */
        public static Builder builder(String modelId) {
            return new Builder().from(new Options(modelId, new DefaultClassifier(0), false, null));
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (the default, or the copied options); {@code build()} validates.
         * Generated at compile time (Immutables).
         */
        public static final class Builder extends TCAVBuilders.OptionsBuilder {
            Builder() {}
        }
    }

    /**
     * The TCAV scores of one experimental set at one layer, in the set's concept order.
     *
     * @param signCount fraction of inputs whose directional derivative is positive, in [0, 1]
     * @param magnitude mean directional derivative (signed)
     */
    public record Score(float[] signCount, float[] magnitude) {}

    /** Which score {@link #significance} tests. */
    public enum ScoreType {
        /** {@link Score#signCount()}. */
        SIGN_COUNT,
        /** {@link Score#magnitude()}. */
        MAGNITUDE
    }

    /**
     * A concept's scores against random concepts' at one layer.
     *
     * @param layer the layer
     * @param conceptScores the concept's score in each set {@code [concept, random_i]}
     * @param randomScores the first random concept's score in each set {@code [random_0,
     *     random_i]}, i &ge; 1
     * @param tStatistic Student's t (pooled variance) of concept vs random scores
     * @param pValue the two-sided p-value (1 if both samples are the same constant, 0 if they are
     *     different constants)
     */
    public record Significance(
            String layer,
            double[] conceptScores,
            double[] randomScores,
            double tStatistic,
            double pValue) {}

    /**
     * TCAV on layers of a model.
     *
     * @param model a model with named layers
     * @param layers the layers, at least one
     * @param options model id, classifier, layer site, cache
     */
    public TCAV(LayerAccess model, List<LayerPath> layers, Options options) {
        this.model = Checks.notNull(model, "model");
        this.layers = LayerAccess.checkLayers(layers);
        this.options = Checks.notNull(options, "options");
        this.store = new CavStore(options.savePath(), options.modelId());
    }

    /**
     * Captum's key of an experimental set: the concept ids joined by {@code '-'}.
     *
     * @param set the concepts
     * @return the key
     */
    public static String key(List<Concept> set) {
        return set.stream().map(c -> Integer.toString(c.id())).collect(Collectors.joining("-"));
    }

    /**
     * Trains (or loads from the cache) the CAVs of every set at every layer.
     *
     * @param experimentalSets the sets, each of two or more concepts
     * @return per set key, per layer name, the CAV
     */
    public Map<String, Map<String, CAV>> computeCavs(List<List<Concept>> experimentalSets) {
        ConceptActivations.checkSets(experimentalSets);
        ConceptActivations acts =
                new ConceptActivations(model, layers, options.attributeToLayerInput());
        Map<String, Map<String, CAV>> out = new LinkedHashMap<>();
        for (List<Concept> set : experimentalSets) {
            Map<String, CAV> perLayer = new LinkedHashMap<>();
            for (int l = 0; l < layers.size(); l++) {
                perLayer.put(layers.get(l).name(), cav(set, l, acts));
            }
            out.put(key(set), Collections.unmodifiableMap(perLayer));
        }
        return Collections.unmodifiableMap(out);
    }

    private CAV cav(List<Concept> set, int layer, ConceptActivations acts) {
        String name = layers.get(layer).name();
        MessageDigest md = ConceptActivations.sha256();
        String head =
                options.modelId() + "|" + name + "|input=" + options.attributeToLayerInput() + "|"
                        + options.classifier().cacheKey();
        md.update(head.getBytes(StandardCharsets.UTF_8));
        for (Concept c : set) {
            md.update(acts.digest(c).getBytes(StandardCharsets.UTF_8));
        }
        String fingerprint = ConceptActivations.hex(md.digest());
        String setKey = key(set);
        return store.load(setKey, name, fingerprint)
                .orElseGet(
                        () -> {
                            List<float[]> rows = new ArrayList<>();
                            List<Integer> labels = new ArrayList<>();
                            for (Concept c : set) {
                                for (float[] r : acts.of(c, layer)) {
                                    rows.add(r);
                                    labels.add(c.id());
                                }
                            }
                            Classifier.Fit fit =
                                    options.classifier()
                                            .trainAndEval(
                                                    rows.toArray(new float[0][]),
                                                    labels.stream().mapToInt(i -> i).toArray());
                            CAV cav =
                                    new CAV(
                                            set.stream().map(Concept::id).toList(),
                                            set.stream().map(Concept::name).toList(),
                                            name,
                                            fit.weights(),
                                            fit.classes(),
                                            fit.accuracy());
                            store.save(cav, setKey, fingerprint);
                            return cav;
                        });
    }

    /**
     * TCAV scores of every set at every layer (Captum's {@code interpret}).
     *
     * @param inputs the inputs whose predictions are tested, with any additional forward arguments
     * @param experimentalSets the sets, each of two or more concepts
     * @param target the output explained (e.g. the class)
     * @return per set key, per layer name, the scores in the set's concept order
     */
    public Map<String, Map<String, Score>> interpret(
            Inputs inputs, List<List<Concept>> experimentalSets, Target target) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(target, "target");
        Map<String, Map<String, CAV>> cavs = computeCavs(experimentalSets);
        List<float[][]> grads = layerGradients(inputs, target);
        Map<String, Map<String, Score>> out = new LinkedHashMap<>();
        for (List<Concept> set : experimentalSets) {
            Map<String, Score> perLayer = new LinkedHashMap<>();
            for (int l = 0; l < layers.size(); l++) {
                CAV cav = cavs.get(key(set)).get(layers.get(l).name());
                perLayer.put(layers.get(l).name(), score(grads.get(l), cav, set));
            }
            out.put(key(set), Collections.unmodifiableMap(perLayer));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Whether a concept matters beyond chance: its score in the sets {@code [concept, random_i]}
     * against the first random concept's score in {@code [random_0, random_i]} (i &ge; 1), with a
     * two-sided Student t-test per layer.
     *
     * @param inputs the inputs
     * @param target the output explained
     * @param concept the concept tested
     * @param randomConcepts three or more random concepts (e.g. random textures or images)
     * @param scoreType which score is compared
     * @return per layer name, the test
     */
    public Map<String, Significance> significance(
            Inputs inputs,
            Target target,
            Concept concept,
            List<Concept> randomConcepts,
            ScoreType scoreType) {
        Checks.notNull(concept, "concept");
        Checks.notNull(scoreType, "scoreType");
        Checks.argument(
                randomConcepts != null && randomConcepts.size() >= 3,
                "randomConcepts must hold at least three concepts, got %s",
                randomConcepts == null ? "null" : randomConcepts.size());
        List<List<Concept>> conceptSets = new ArrayList<>();
        List<List<Concept>> randomSets = new ArrayList<>();
        for (int i = 0; i < randomConcepts.size(); i++) {
            conceptSets.add(List.of(concept, randomConcepts.get(i)));
            if (i > 0) {
                randomSets.add(List.of(randomConcepts.get(0), randomConcepts.get(i)));
            }
        }
        List<List<Concept>> all = new ArrayList<>(conceptSets);
        all.addAll(randomSets);
        Map<String, Map<String, Score>> scores = interpret(inputs, all, target);
        Map<String, Significance> out = new LinkedHashMap<>();
        for (LayerPath layer : layers) {
            double[] a = firstScores(scores, conceptSets, layer.name(), scoreType);
            double[] b = firstScores(scores, randomSets, layer.name(), scoreType);
            double[] tp = StudentT.test(a, b);
            out.put(layer.name(), new Significance(layer.name(), a, b, tp[0], tp[1]));
        }
        return Collections.unmodifiableMap(out);
    }

    private static double[] firstScores(
            Map<String, Map<String, Score>> scores,
            List<List<Concept>> sets,
            String layer,
            ScoreType type) {
        double[] out = new double[sets.size()];
        for (int i = 0; i < out.length; i++) {
            Score s = scores.get(key(sets.get(i))).get(layer);
            out[i] = type == ScoreType.SIGN_COUNT ? s.signCount()[0] : s.magnitude()[0];
        }
        return out;
    }

    /** Gradients of the target at each layer, flattened to rows {@code (N, F)}. */
    private List<float[][]> layerGradients(Inputs inputs, Target target) {
        LayerGradientXActivation gradient = new LayerGradientXActivation(model, layers, false);
        try (Attribution a =
                gradient.attribute(
                        inputs,
                        target,
                        new LayerGradientXActivation.Options(options.attributeToLayerInput()))) {
            List<float[][]> out = new ArrayList<>(layers.size());
            for (int l = 0; l < layers.size(); l++) {
                out.add(flatRows(a.attribution(l)));
            }
            return out;
        }
    }

    private static Score score(float[][] grads, CAV cav, List<Concept> set) {
        int n = grads.length;
        int f = grads[0].length;
        Checks.argument(
                cav.weights()[0].length == f,
                "the CAV of set %s at layer %s has %s features but the layer gradient has %s; was"
                        + " it cached for another model under the same modelId?",
                key(set),
                cav.layer(),
                cav.weights()[0].length,
                f);
        float[] sign = new float[set.size()];
        float[] magnitude = new float[set.size()];
        for (int k = 0; k < set.size(); k++) {
            float[] v = cav.weightsOf(set.get(k).id());
            int positive = 0;
            double sum = 0;
            for (float[] s : grads) {
                double dot = 0;
                for (int j = 0; j < f; j++) {
                    dot += (double) s[j] * v[j];
                }
                float d = (float) dot;
                positive += d > 0 ? 1 : 0;
                sum += d;
            }
            sign[k] = (float) positive / n;
            magnitude[k] = (float) (sum / n);
        }
        return new Score(sign, magnitude);
    }

    /** An array {@code (n, ...)} as n flattened float rows. */
    static float[][] flatRows(NDArray a) {
        int n = (int) a.getShape().get(0);
        float[] flat = a.toType(DataType.FLOAT32, false).toFloatArray();
        int per = n == 0 ? 0 : flat.length / n;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * per, (i + 1) * per);
        }
        return rows;
    }
}
