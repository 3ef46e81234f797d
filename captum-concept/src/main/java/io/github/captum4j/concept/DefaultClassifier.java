package io.github.captum4j.concept;

import io.github.captum4j.core.internal.Randomness;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Captum's default TCAV classifier: shuffle the labelled activations, hold out 33% for the
 * accuracy, and fit a linear SVM by stochastic gradient descent on the rest — a port of
 * scikit-learn's {@code SGDClassifier(alpha=0.01, max_iter=1000, tol=1e-3)}: hinge loss \(
 * \max(0, 1 - y\,(w \cdot x + b)) \), L2 penalty \( \tfrac{\alpha}{2}\|w\|^2 \), the "optimal"
 * learning rate \( \eta_t = 1 / (\alpha (t_0 + t - 1)) \) with \( t_0 = 1 / (\alpha
 * \sqrt{\alpha^{-1/2}}) \), rows reshuffled every epoch, stop after 5 epochs whose summed loss did
 * not drop by more than \( \mathrm{tol} \cdot n \); one-vs-rest for more than two classes.
 *
 * <p>For two classes the weights are \( (-w, w) \) as in Captum. Captum's accuracy for two classes
 * is the fraction of held-out rows labelled with the first class (its prediction takes the argmax
 * over a single score column, always class 0); this port reports the same number, so that it
 * compares with Captum's {@code accs}. The shuffles come from a {@link SplittableRandom} seeded by
 * {@code seed}, so a seed reproduces the CAVs but not Python's (statistically equivalent) draws.
 *
 * <pre>{@code
 * Classifier c = new DefaultClassifier(42);
 * }</pre>
 */
public final class DefaultClassifier implements Classifier {

    /** Regularisation strength (Captum passes 0.01). */
    public static final double ALPHA = 0.01;

    /** Epoch limit. */
    public static final int MAX_ITER = 1000;

    /** Stopping tolerance on the epoch's summed loss, per row. */
    public static final double TOL = 1e-3;

    /** Epochs without improvement before stopping. */
    public static final int N_ITER_NO_CHANGE = 5;

    /** Fraction of rows held out for the accuracy (Captum's {@code test_split_ratio}). */
    public static final double TEST_SPLIT = 0.33;

    private final long seed;

    /**
     * A classifier with a seed for its shuffles.
     *
     * @param seed the seed
     */
    public DefaultClassifier(long seed) {
        this.seed = seed;
    }

    @Override
    public Fit trainAndEval(float[][] activations, int[] labels) {
        ClassifierData.check(activations, labels);
        ClassifierData.classes(labels);
        SplittableRandom random = new SplittableRandom(seed);
        int n = labels.length;
        int[] order = Randomness.shuffledRange(n, random);
        int testSize = (int) (TEST_SPLIT * n);
        int[] test = Arrays.copyOfRange(order, 0, testSize);
        int[] train = Arrays.copyOfRange(order, testSize, n);
        int[] trainLabels = new int[train.length];
        for (int i = 0; i < train.length; i++) {
            trainLabels[i] = labels[train[i]];
        }
        int[] classes = ClassifierData.classes(trainLabels);
        int f = activations[0].length;
        int models = classes.length == 2 ? 1 : classes.length;
        double[][] w = new double[models][];
        double[] b = new double[models];
        for (int k = 0; k < models; k++) {
            int positive = classes.length == 2 ? classes[1] : classes[k];
            double[] wb = fitBinary(activations, labels, train, positive, f, random.split());
            w[k] = Arrays.copyOf(wb, f);
            b[k] = wb[f];
        }
        int hits = 0;
        for (int r : test) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < models; k++) {
                double s = b[k];
                for (int j = 0; j < f; j++) {
                    s += w[k][j] * activations[r][j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = k;
                }
            }
            hits += classes[best] == labels[r] ? 1 : 0;
        }
        double accuracy = testSize == 0 ? Double.NaN : (float) hits / testSize;
        float[][] weights = new float[classes.length][f];
        for (int k = 0; k < classes.length; k++) {
            for (int j = 0; j < f; j++) {
                weights[k][j] =
                        classes.length == 2 ? (float) (k == 0 ? -w[0][j] : w[0][j]) : (float) w[k][j];
            }
        }
        return new Fit(weights, classes, accuracy);
    }

    /**
     * scikit-learn's {@code _plain_sgd} for one binary problem (+1 = {@code positive}), dense rows,
     * hinge loss, L2, "optimal" learning rate, intercept. Returns the weights followed by the
     * intercept.
     */
    private static double[] fitBinary(
            float[][] x, int[] labels, int[] rows, int positive, int f, SplittableRandom random) {
        double[] w = new double[f];
        double intercept = 0;
        double typw = Math.sqrt(1.0 / Math.sqrt(ALPHA));
        double eta0 = typw; // typw / max(1, dloss(-typw, 1)), and the hinge's dloss there is -1
        double optimalInit = 1.0 / (eta0 * ALPHA);
        double t = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        int noImprovement = 0;
        int[] order = rows.clone();
        for (int epoch = 0; epoch < MAX_ITER; epoch++) {
            Randomness.shuffle(order, random);
            double sumLoss = 0;
            for (int r : order) {
                double y = labels[r] == positive ? 1.0 : -1.0;
                float[] xr = x[r];
                double p = intercept;
                for (int j = 0; j < f; j++) {
                    p += w[j] * xr[j];
                }
                double eta = 1.0 / (ALPHA * (optimalInit + t - 1));
                double z = p * y;
                sumLoss += Math.max(0, 1 - z);
                double dloss = z <= 1 ? -y : 0;
                double update = -eta * dloss;
                double scale = Math.max(0, 1.0 - eta * ALPHA);
                for (int j = 0; j < f; j++) {
                    w[j] *= scale;
                }
                if (update != 0) {
                    for (int j = 0; j < f; j++) {
                        w[j] += update * xr[j];
                    }
                    intercept += update;
                }
                t += 1;
            }
            if (sumLoss > bestLoss - TOL * order.length) {
                noImprovement++;
            } else {
                noImprovement = 0;
            }
            if (sumLoss < bestLoss) {
                bestLoss = sumLoss;
            }
            if (noImprovement >= N_ITER_NO_CHANGE) {
                break;
            }
        }
        double[] out = Arrays.copyOf(w, f + 1);
        out[f] = intercept;
        return out;
    }

    @Override
    public String cacheKey() {
        return "DefaultClassifier(alpha=" + ALPHA + ",maxIter=" + MAX_ITER + ",tol=" + TOL
                + ",testSplit=" + TEST_SPLIT + ",seed=" + seed + ")";
    }

    @Override
    public String toString() {
        return cacheKey();
    }
}
