package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Captum Insights for the JVM: browse a dataset's predictions and their attributions — per example
 * the top predicted classes with their scores, the true label, each feature's share of the
 * attribution and the attribution itself drawn over the data — filtered by predicted class and by
 * correct / incorrect prediction, with the attribution method and its arguments chosen per request.
 * {@link #serve()} opens the same in a browser, on a local web server ({@link InsightsServer}).
 *
 * <p>Mirrors Captum's {@code AttributionVisualizer(models, classes, features, dataset, score_func,
 * use_label_for_attr)}: each model maps the features' transformed inputs (one tensor per {@link
 * Feature}) to one score per class; {@code scoreFunc} (e.g. softmax) turns outputs into the scores
 * shown; the attribution target is the top predicted class (or the class clicked in the page).
 * Examples are taken one at a time from the {@link Batch}es; the dataset is read once per request
 * (Captum cycles it forever when too few examples pass the filters; here a request returns the
 * examples found).
 *
 * <pre>{@code
 * AttributionVisualizer visualizer = new AttributionVisualizer(
 *         List.of(model), out -> out.softmax(-1), List.of("cat", "dog"),
 *         List.of(ImageFeature.of("Photo")), List.of(Batch.of(images, labels)));
 * try (InsightsServer server = visualizer.serve()) {   // prints the page's address
 *     server.join();
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe: requests run concurrently and each names what it explains (an
 * example is its position in the dataset), so one client cannot change what another's request
 * means; the dataset's {@code iterator()} must allow several iterations at once (a {@link List}
 * does). The work of one request is bounded by the registry's {@link
 * MethodRegistry#maxEvaluations() budget}. All NDArrays made for a request live in a scratch
 * manager closed before it returns; the dataset's arrays are never closed.
 */
public final class AttributionVisualizer {

    /** Number of top predictions shown (Captum's {@code topk(4)}). */
    public static final int TOP_K = 4;

    private final List<ForwardFunction> models;
    private final UnaryOperator<NDArray> scoreFunc;
    private final List<String> classes;
    private final List<Feature> features;
    private final Iterable<Batch> dataset;
    private final boolean useLabelForAttr;
    private final MethodRegistry methods;

    /**
     * A visualizer with the built-in methods, attributing the predicted class.
     *
     * @param models one or more models
     * @param scoreFunc applied to a model's output to give class scores, or {@code null} to show
     *     the outputs as they are
     * @param classes the class labels, in output order
     * @param features one feature per model input, in order
     * @param dataset the batches to browse
     */
    public AttributionVisualizer(
            List<? extends ForwardFunction> models,
            UnaryOperator<NDArray> scoreFunc,
            List<String> classes,
            List<? extends Feature> features,
            Iterable<Batch> dataset) {
        this(models, scoreFunc, classes, features, dataset, true, MethodRegistry.defaults());
    }

    /**
     * A visualizer.
     *
     * @param models one or more models
     * @param scoreFunc applied to a model's output to give class scores, or {@code null}
     * @param classes the class labels, in output order
     * @param features one feature per model input, in order
     * @param dataset the batches to browse
     * @param useLabelForAttr whether the class index is the attribution target (Captum's {@code
     *     use_label_for_attr}); false for models with one output value per example
     * @param methods the attribution methods offered
     */
    public AttributionVisualizer(
            List<? extends ForwardFunction> models,
            UnaryOperator<NDArray> scoreFunc,
            List<String> classes,
            List<? extends Feature> features,
            Iterable<Batch> dataset,
            boolean useLabelForAttr,
            MethodRegistry methods) {
        Checks.notNull(models, "models");
        Checks.argument(!models.isEmpty(), "models must hold at least one model, got none");
        for (int i = 0; i < models.size(); i++) {
            Checks.argument(models.get(i) != null, "models[%s] must not be null", i);
        }
        Checks.notNull(classes, "classes");
        Checks.argument(!classes.isEmpty(), "classes must hold at least one label, got none");
        Checks.notNull(features, "features");
        Checks.argument(!features.isEmpty(), "features must hold at least one feature, got none");
        for (int i = 0; i < features.size(); i++) {
            Checks.argument(features.get(i) != null, "features[%s] must not be null", i);
        }
        this.models = List.copyOf(models);
        this.scoreFunc = scoreFunc;
        this.classes = List.copyOf(classes);
        this.features = List.copyOf(features);
        this.dataset = Checks.notNull(dataset, "dataset");
        this.useLabelForAttr = useLabelForAttr;
        Checks.notNull(methods, "methods");
        this.methods = methods.supportedBy(this.models);
        Checks.argument(
                !this.methods.names().isEmpty(),
                "methods must offer at least one method these models support, got %s",
                methods.names());
    }

    /**
     * The class labels.
     *
     * @return the labels, in output order
     */
    public List<String> classes() {
        return classes;
    }

    /**
     * The features.
     *
     * @return one feature per model input
     */
    public List<Feature> features() {
        return features;
    }

    /**
     * The attribution methods offered: those of the registry that every model supports.
     *
     * @return the registry
     */
    public MethodRegistry methods() {
        return methods;
    }

    /**
     * Explains the first examples of the dataset that pass the config's filters (Captum's {@code
     * visualize()} after {@code _update_config}).
     *
     * @param config the method, its arguments and the filters
     * @return at most {@code config.numExamples()} examples, one output per model each
     * @throws IllegalArgumentException if the config is not valid here or the request would
     *     exceed the {@link MethodRegistry#maxEvaluations() budget}
     */
    public List<VisualizationOutput> visualize(FilterConfig config) {
        return visualize(config, ProgressListener.NONE);
    }

    /**
     * Explains the first examples of the dataset that pass the config's filters, reporting
     * progress in model evaluations.
     *
     * @param config the method, its arguments and the filters
     * @param progress receives the evaluations done and the request's total
     * @return at most {@code config.numExamples()} examples, one output per model each
     */
    public List<VisualizationOutput> visualize(FilterConfig config, ProgressListener progress) {
        Checks.notNull(config, "config");
        Checks.notNull(progress, "progress");
        for (String c : config.classes()) {
            Checks.argument(classes.contains(c), "classes must be among %s, got '%s'", classes, c);
        }
        Request request = request(config, config.numExamples() * (long) models.size(), progress);
        List<VisualizationOutput> outputs = new ArrayList<>();
        int examples = 0;
        int instance = 0;
        for (Batch batch : dataset) {
            Checks.argument(batch != null, "dataset must not hold null batches");
            for (int row = 0; row < batch.size() && examples < config.numExamples(); row++) {
                boolean kept = false;
                for (int m = 0; m < models.size(); m++) {
                    VisualizationOutput out = explain(batch, row, m, request, null, instance);
                    if (out != null) {
                        outputs.add(out);
                        kept = true;
                    }
                }
                examples += kept ? 1 : 0;
                instance++;
            }
            if (examples >= config.numExamples()) {
                break;
            }
        }
        return outputs;
    }

    /**
     * Explains one example for a chosen class (Captum's {@code /attribute}); filters are not
     * applied. The example is named by its position in the dataset, so the request means the same
     * whatever else was shown before.
     *
     * @param instance the output's {@link VisualizationOutput#instance()}: the example's position
     *     in the dataset, counting rows across batches from 0
     * @param modelIndex which model ({@link VisualizationOutput#modelIndex()})
     * @param target the class to explain
     * @param config the method and its arguments
     * @param progress receives the evaluations done and the request's total
     * @return the output
     */
    public VisualizationOutput attribute(
            int instance,
            int modelIndex,
            int target,
            FilterConfig config,
            ProgressListener progress) {
        Checks.notNull(config, "config");
        Checks.notNull(progress, "progress");
        Checks.argument(
                modelIndex >= 0 && modelIndex < models.size(),
                "modelIndex must be in [0, %s), got %s",
                models.size(),
                modelIndex);
        Checks.argument(
                target >= 0 && target < classes.size(),
                "labelIndex must be in [0, %s), got %s",
                classes.size(),
                target);
        Checks.argument(instance >= 0, "instance must be >= 0, got %s", instance);
        Request request = request(config, 1, progress);
        int first = 0;
        for (Batch batch : dataset) {
            Checks.argument(batch != null, "dataset must not hold null batches");
            if (instance < first + batch.size()) {
                return explain(batch, instance - first, modelIndex, request, target, instance);
            }
            first += batch.size();
        }
        throw new IllegalArgumentException(
                String.format(
                        Locale.ROOT,
                        "instance must be in [0, %s) (the dataset's examples), got %s",
                        first,
                        instance));
    }

    /**
     * Explains one example for a chosen class, without progress.
     *
     * @param instance the example's position in the dataset
     * @param modelIndex which model
     * @param target the class to explain
     * @param config the method and its arguments
     * @return the output
     */
    public VisualizationOutput attribute(
            int instance, int modelIndex, int target, FilterConfig config) {
        return attribute(instance, modelIndex, target, config, ProgressListener.NONE);
    }

    /** One checked request: the method, its arguments, its cost per example and its progress. */
    private record Request(
            FilterConfig config,
            InsightsMethod method,
            ArgumentValues values,
            long perExample,
            long total,
            ProgressListener progress,
            AtomicLong done) {

        /** Reports the progress of one example's method call, scaled to evaluations. */
        ProgressListener scaled() {
            long base = done.get();
            return (task, d, t) ->
                    progress.onProgress(
                            task,
                            base + (t <= 0 ? 0 : Math.min(perExample, d * perExample / t)),
                            total);
        }

        void exampleDone() {
            progress.onProgress(method.name(), done.addAndGet(perExample), total);
        }
    }

    /** Checks the method, its arguments and the budget for {@code explained} explanations. */
    private Request request(FilterConfig config, long explained, ProgressListener progress) {
        InsightsMethod method = methods.require(config.attributionMethod());
        ArgumentValues values =
                ArgumentValues.check(method.arguments(), config.attributionArguments());
        long perExample = Math.max(1, method.cost().evaluations(values, exampleShapes()));
        long total =
                perExample > Long.MAX_VALUE / explained ? Long.MAX_VALUE : perExample * explained;
        Checks.argument(
                total <= methods.maxEvaluations(),
                "this request needs about %s model evaluations (%s: %s per example x %s), more"
                        + " than the limit of %s per request; ask for fewer examples, steps or"
                        + " samples",
                total,
                method.name(),
                perExample,
                explained,
                methods.maxEvaluations());
        progress.onProgress(method.name(), 0, total);
        return new Request(config, method, values, perExample, total, progress, new AtomicLong());
    }

    /** The transformed input shapes (batch 1) of the dataset's first example. */
    private List<Shape> exampleShapes() {
        for (Batch batch : dataset) {
            if (batch == null || batch.size() == 0) {
                continue;
            }
            NDList data = batch.inputs();
            try (NDManager scratch = scratchFor(data)) {
                List<Shape> shapes = new ArrayList<>();
                for (int i = 0; i < Math.min(features.size(), data.size()); i++) {
                    NDArray x = row(data.get(i), 0, scratch);
                    NDArray t = transform(inputTransform(features.get(i)), x, "inputTransform", i);
                    shapes.add(new Shape(1).addAll(t.getShape()));
                }
                return shapes;
            }
        }
        return List.of();
    }

    /**
     * Starts the Insights web app on 127.0.0.1 with an ephemeral port and prints its address to
     * {@code System.out}, as Captum's {@code serve()} does: {@code Fetch data and view Captum
     * Insights at http://127.0.0.1:PORT/}.
     *
     * @return the running server
     */
    public InsightsServer serve() {
        return serve(InsightsServer.Options.DEFAULTS);
    }

    /**
     * Starts the Insights web app and prints its address to {@code System.out}.
     *
     * @param options address, port and limits
     * @return the running server
     */
    public InsightsServer serve(InsightsServer.Options options) {
        InsightsServer server = InsightsServer.start(this, options);
        System.out.println("Fetch data and view Captum Insights at " + server.url());
        return server;
    }

    private VisualizationOutput explain(
            Batch batch, int row, int modelIndex, Request request, Integer target, int instance) {
        InsightsMethod method = request.method();
        NDList data = batch.inputs();
        Checks.argument(
                data.size() == features.size(),
                "each batch must hold one input tensor per feature (%s), got %s",
                features.size(),
                data.size());
        ForwardFunction model = models.get(modelIndex);
        try (NDManager scratch = scratchFor(data)) {
            NDList raw = new NDList();
            NDList inputs = new NDList();
            NDList baselines = new NDList();
            for (int i = 0; i < features.size(); i++) {
                NDArray x = row(data.get(i), row, scratch);
                raw.add(x);
                NDArray t = transform(inputTransform(features.get(i)), x, "inputTransform", i);
                UnaryOperator<NDArray> bt = baselineTransform(features.get(i));
                NDArray b = bt == null ? t.zerosLike() : transform(bt, t, "baselineTransform", i);
                inputs.add(t.expandDims(0));
                baselines.add(b.expandDims(0));
            }
            List<Object> args = new ArrayList<>();
            for (Object a : batch.additionalArgs()) {
                args.add(a instanceof NDArray array ? row(array, row, scratch).expandDims(0) : a);
            }
            OutputScore actual = actual(batch, row, scratch);
            List<OutputScore> predicted = predict(model, inputs, args);
            if (target == null && !keep(request.config(), predicted, actual)) {
                return null;
            }
            int active = target != null ? target : predicted.get(0).index();
            Target t = useLabelForAttr ? Target.index(active) : Target.none();
            Inputs in = Inputs.of(inputs).withAdditionalArgs(args);
            try (Attribution a =
                    method.attributor()
                            .attribute(
                                    model, in, baselines, t, request.values(), request.scaled())) {
                Checks.state(
                        a.attributions().size() == features.size(),
                        "%s returned %s attributions for %s inputs",
                        method.name(),
                        a.attributions().size(),
                        features.size());
                double[] contributions = FeatureOutputs.contributions(a.attributions());
                List<FeatureOutput> outputs = new ArrayList<>(features.size());
                for (int i = 0; i < features.size(); i++) {
                    outputs.add(
                            FeatureOutputs.of(
                                    features.get(i),
                                    raw.get(i),
                                    a.attribution(i),
                                    contributions[i]));
                }
                request.exampleDone();
                return new VisualizationOutput(
                        instance, modelIndex, actual, predicted, active, outputs);
            }
        }
    }

    /**
     * A request's own memory. The dataset's arrays are shared by concurrent requests, so they are
     * never borrowed into a request's manager (another request would then find them in a manager
     * about to close); only the rows read from them move there.
     */
    private static NDManager scratchFor(NDList data) {
        return NDManager.newBaseManager(data.get(0).getDevice());
    }

    /** One row of a dataset array, owned by the request's scratch manager. */
    private static NDArray row(NDArray a, int row, NDManager scratch) {
        NDArray r = a.get(row);
        r.attach(scratch);
        return r;
    }

    static NDArray transform(UnaryOperator<NDArray> op, NDArray x, String what, int i) {
        if (op == null) {
            return x;
        }
        NDArray out = op.apply(x);
        Checks.argument(out != null, "features[%s] %s returned null", i, what);
        return out;
    }

    private static UnaryOperator<NDArray> inputTransform(Feature f) {
        if (f instanceof ImageFeature img) {
            return img.inputTransform();
        }
        return f instanceof TextFeature text ? text.inputTransform() : null;
    }

    private static UnaryOperator<NDArray> baselineTransform(Feature f) {
        if (f instanceof ImageFeature img) {
            return img.baselineTransform();
        }
        return f instanceof TextFeature text ? text.baselineTransform() : null;
    }

    private OutputScore actual(Batch batch, int row, NDManager scratch) {
        if (batch.labels() == null) {
            return null;
        }
        long label = row(batch.labels(), row, scratch).toType(DataType.INT64, false).getLong();
        Checks.argument(
                label >= 0 && label < classes.size(),
                "labels must be class indices in [0, %s), got %s",
                classes.size(),
                label);
        // Captum gives the true label a score of 100.
        return new OutputScore(100, (int) label, classes.get((int) label));
    }

    private List<OutputScore> predict(ForwardFunction model, NDList inputs, List<Object> args) {
        NDArray out = Gradients.forward(model, inputs, args);
        NDArray scores = scoreFunc == null ? out : scoreFunc.apply(out);
        Checks.argument(scores != null, "scoreFunc returned null");
        float[] s = scores.toType(DataType.FLOAT32, false).toFloatArray();
        List<OutputScore> predicted = new ArrayList<>();
        if (s.length == 1) {
            // One output value: the class is the value rounded (Captum's binary case).
            int c = (int) Math.max(0, Math.min(classes.size() - 1, Math.round(s[0])));
            predicted.add(new OutputScore(s[0], c, classes.get(c)));
            return predicted;
        }
        Checks.argument(
                s.length == classes.size(),
                "model output must hold one score per class (%s) for one example, got %s values",
                classes.size(),
                s.length);
        for (int c = 0; c < s.length; c++) {
            predicted.add(new OutputScore(s[c], c, classes.get(c)));
        }
        predicted.sort(Comparator.comparingDouble(OutputScore::score).reversed());
        return new ArrayList<>(predicted.subList(0, Math.min(TOP_K, predicted.size())));
    }

    /** Captum's {@code _should_keep_prediction}. */
    private static boolean keep(
            FilterConfig config, List<OutputScore> predicted, OutputScore actual) {
        String top = predicted.get(0).label();
        if (!config.classes().isEmpty() && !config.classes().contains(top)) {
            return false;
        }
        switch (config.prediction()) {
            case CORRECT:
                return actual != null && actual.label().equals(top);
            case INCORRECT:
                return actual != null && !actual.label().equals(top);
            default:
                return true;
        }
    }
}
