package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.Perturbations;
import io.github.captum4j.core.internal.Randomness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * FeaturePermutation with cross-tensor attribution (Captum 0.9): the features are the ids present
 * in the masks, in Captum's order (each input's ids ascending, inputs in order, an id counted where
 * it first appears); a feature shuffles its elements in every input it touches. The permutations
 * are drawn as Captum draws them: pass by pass ({@code perturbationsPerEval} features), for each
 * input any feature of the pass touches, one non-identity {@code randperm} per feature of the pass.
 */
final class CrossTensorPermutation {

    private CrossTensorPermutation() {}

    /**
     * Attributions of every target.
     *
     * @param engine the engine (no baselines)
     * @param x the inputs {@code (N, ...)}
     * @param mask the shared feature ids
     * @param ppe perturbations per pass (Captum's grouping of the draws)
     * @param seed the seed, or {@code null}
     * @param scratch the call's manager
     * @param passes receives the number of forward passes before the first
     * @return per target, one attribution per input
     */
    static List<NDList> attribute(
            Perturbations engine,
            NDList x,
            FeatureMask mask,
            int ppe,
            Integer seed,
            NDManager scratch,
            LongConsumer passes) {
        Map<Long, boolean[]> touched = new LinkedHashMap<>();
        for (int i = 0; i < x.size(); i++) {
            for (long id : mask.presentIds(i)) {
                touched.computeIfAbsent(id, k -> new boolean[x.size()])[i] = true;
            }
        }
        long[] features = touched.keySet().stream().mapToLong(Long::longValue).toArray();
        List<boolean[]> inputsOf = new ArrayList<>(touched.values());
        int n = Math.toIntExact(x.get(0).getShape().get(0));
        long[][][] perms = draw(inputsOf, x.size(), n, ppe, seed, scratch);
        passes.accept(engine.ablationPasses(features.length, true));
        return engine.ablate(
                features.length,
                (first, count, m) -> {
                    long[] ids = Arrays.copyOfRange(features, (int) first, (int) first + count);
                    NDList keep = new NDList(x.size());
                    NDList repl = new NDList(x.size());
                    for (int i = 0; i < x.size(); i++) {
                        keep.add(mask.ablationKeep(i, ids, m));
                        repl.add(FeaturePermutation.shuffled(x.get(i), perms[i], (int) first, count, m));
                    }
                    return new Perturbations.Chunk(keep, repl);
                });
    }

    /** {@code perms[input][feature]}: a permutation, or {@code null} where Captum draws none. */
    private static long[][][] draw(
            List<boolean[]> inputsOf, int inputs, int n, int ppe, Integer seed, NDManager scratch) {
        int f = inputsOf.size();
        return Randomness.draw(
                seed,
                () -> {
                    long[][][] out = new long[inputs][f][];
                    try (NDManager m = scratch.newSubManager()) {
                        for (int start = 0; start < f; start += ppe) {
                            int end = Math.min(f, start + ppe);
                            for (int i = 0; i < inputs; i++) {
                                boolean any = false;
                                for (int k = start; k < end && !any; k++) {
                                    any = inputsOf.get(k)[i];
                                }
                                for (int k = start; any && k < end; k++) {
                                    out[i][k] = FeaturePermutation.nonIdentity(m, n);
                                }
                            }
                        }
                    }
                    return out;
                });
    }
}
