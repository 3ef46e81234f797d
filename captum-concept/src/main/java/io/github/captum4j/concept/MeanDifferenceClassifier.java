package io.github.captum4j.concept;

import io.github.captum4j.core.internal.Checks;

/**
 * A deterministic classifier: class k's weight row is the difference between the mean activation
 * of its rows and the mean of all other rows, \( w_k = \mu_k - \mu_{\neg k} \), with bias \( b_k =
 * -w_k \cdot (\mu_k + \mu_{\neg k}) / 2 \); the accuracy is the fraction of rows whose \(
 * \arg\max_k (x \cdot w_k + b_k) \) is their own class. For two classes the rows are \( w \) and
 * \( -w \), as Captum's default classifier returns.
 *
 * <p>The fixtures' {@code MeanDifferenceClassifier} ({@code models_def2.py}); no training
 * randomness, so TCAV scores are reproducible to the float.
 *
 * <pre>{@code
 * TCAV tcav = new TCAV(model, layers, TCAV.Options.builder("my_model").classifier(new MeanDifferenceClassifier()).build());
 * }</pre>
 */
public final class MeanDifferenceClassifier implements Classifier {

    @Override
    public Fit trainAndEval(float[][] activations, int[] labels) {
        ClassifierData.check(activations, labels);
        int[] classes = ClassifierData.classes(labels);
        int f = activations[0].length;
        float[][] w = new float[classes.length][];
        double[] b = new double[classes.length];
        for (int k = 0; k < classes.length; k++) {
            double[] in = new double[f];
            double[] out = new double[f];
            int nIn = 0;
            for (int r = 0; r < labels.length; r++) {
                boolean own = labels[r] == classes[k];
                double[] acc = own ? in : out;
                for (int j = 0; j < f; j++) {
                    acc[j] += activations[r][j];
                }
                nIn += own ? 1 : 0;
            }
            int nOut = labels.length - nIn;
            Checks.argument(
                    nOut > 0, "labels must hold at least two concepts, got only %s", classes[k]);
            w[k] = new float[f];
            double bias = 0;
            for (int j = 0; j < f; j++) {
                float mu = (float) (in[j] / nIn);
                float rest = (float) (out[j] / nOut);
                w[k][j] = mu - rest;
                bias += (double) w[k][j] * ((double) mu + rest);
            }
            b[k] = -bias / 2;
        }
        int hits = 0;
        for (int r = 0; r < labels.length; r++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes.length; k++) {
                double s = b[k];
                for (int j = 0; j < f; j++) {
                    s += (double) activations[r][j] * w[k][j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = k;
                }
            }
            hits += classes[best] == labels[r] ? 1 : 0;
        }
        return new Fit(w, classes, (float) hits / labels.length);
    }

    @Override
    public String cacheKey() {
        return "MeanDifferenceClassifier";
    }

    @Override
    public String toString() {
        return "MeanDifferenceClassifier";
    }
}
