package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code Target.many} rows of the {@code bench} subcommand: K targets in one call against the K
 * single calls (the "raw" column is the K single calls, so the ratio is time(many) / time(K
 * singles)); and, for comparison, the other way to share a call, one call on the batch tiled K
 * times with one target per copy.
 */
final class ManyTargetsBenchCases {

    private static final int K = 4;

    private ManyTargetsBenchCases() {}

    /**
     * The rows for IntegratedGradients and Saliency on a CNN.
     *
     * @param cnn the model
     * @param model the model's name for the labels
     * @param shape the attributed batch
     * @return the rows
     */
    static List<BenchCase> all(ForwardFunction cnn, String model, Shape shape) {
        IntegratedGradients ig = new IntegratedGradients(cnn);
        IntegratedGradients.Options igOptions = IntegratedGradients.Options.DEFAULTS;
        Saliency saliency = new Saliency(cnn);
        Saliency.Options salOptions = Saliency.Options.DEFAULTS;
        String batch = " " + model + " B=" + shape.get(0) + " [block]";
        List<BenchCase> rows = new ArrayList<>();
        rows.add(many("Target.many K=4 / 4 single calls: IG nSteps=50" + batch, ig, igOptions, shape));
        rows.add(many("Target.many K=4 / 4 single calls: Saliency" + batch, saliency, salOptions, shape));
        rows.add(tiled("K-fold tiled batch / 4 single calls: IG nSteps=50" + batch, ig, igOptions, shape));
        rows.add(tiled("K-fold tiled batch / 4 single calls: Saliency" + batch, saliency, salOptions, shape));
        return rows;
    }

    private static Target.Many targets() {
        Target[] ts = new Target[K];
        for (int k = 0; k < K; k++) {
            ts[k] = Target.index(k);
        }
        return Target.many(ts);
    }

    /** Target.many against K single calls. */
    private static <O extends Record> BenchCase many(
            String name, AttributionMethod<O> method, O options, Shape shape) {
        return row(
                name,
                shape,
                in -> {
                    List<Attribution> all = method.attribute(in, targets(), options);
                    for (int k = 1; k < all.size(); k++) {
                        all.get(k).attribution(0).toFloatArray();
                        all.get(k).close();
                    }
                    return all.get(0);
                },
                method,
                options);
    }

    /** One call on K copies of the batch, copy k with target k, against K single calls. */
    private static <O extends Record> BenchCase tiled(
            String name, AttributionMethod<O> method, O options, Shape shape) {
        return row(
                name,
                shape,
                in -> {
                    NDArray x = in.get(0);
                    int n = Math.toIntExact(x.getShape().get(0));
                    NDList copies = new NDList(K);
                    int[] perRow = new int[K * n];
                    for (int k = 0; k < K; k++) {
                        copies.add(x);
                        for (int i = 0; i < n; i++) {
                            perRow[k * n + i] = k;
                        }
                    }
                    NDArray tiled = NDArrays.concat(copies, 0);
                    Attribution a = method.attribute(Inputs.of(tiled), Target.perExample(perRow), options);
                    tiled.close();
                    return a;
                },
                method,
                options);
    }

    private static <O extends Record> BenchCase row(
            String name,
            Shape shape,
            Function<Inputs, Attribution> attribution,
            AttributionMethod<O> method,
            O options) {
        return new BenchCase(
                name,
                shape,
                attribution,
                (x, m) ->
                        () -> {
                            for (Target t : targets().targets()) {
                                try (Attribution a = method.attribute(Inputs.of(x), t, options)) {
                                    a.attribution(0).toFloatArray();
                                }
                            }
                        },
                0);
    }
}
