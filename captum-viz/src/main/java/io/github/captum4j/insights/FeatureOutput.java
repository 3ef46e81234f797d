package io.github.captum4j.insights;

import java.util.List;

/**
 * What Insights shows for one feature of one example (Captum's {@code FeatureOutput}): the data,
 * its attribution, and the feature's share of the total attribution.
 */
public sealed interface FeatureOutput {

    /**
     * The feature's name.
     *
     * @return the name
     */
    String name();

    /**
     * The feature's net contribution: the sum of its attributions divided by the L1 norm of all
     * features' sums, in [-1, 1].
     *
     * @return the contribution
     */
    double contribution();

    /**
     * An image feature: PNG data URIs of the image, the attribution magnitude as a heat map (Captum
     * Insights' picture: heat map, absolute value) and the signed attribution blended over the
     * image.
     *
     * @param name the feature's name
     * @param contribution the net contribution
     * @param original the image
     * @param heatMap the heat map of absolute attributions
     * @param overlay the signed heat map blended over the image
     */
    record Image(String name, double contribution, String original, String heatMap, String overlay)
            implements FeatureOutput {}

    /**
     * A text feature: the tokens and each token's attribution divided by the largest magnitude,
     * times 100.
     *
     * @param name the feature's name
     * @param contribution the net contribution
     * @param tokens the tokens
     * @param modified one value in [-100, 100] per token
     */
    record Text(String name, double contribution, List<String> tokens, List<Double> modified)
            implements FeatureOutput {
        /**
         * Copies the lists.
         *
         * @param name the feature's name
         * @param contribution the net contribution
         * @param tokens the tokens
         * @param modified one value in [-100, 100] per token
         */
        public Text {
            tokens = List.copyOf(tokens);
            modified = List.copyOf(modified);
        }
    }

    /**
     * A general feature: {@code "category: value"} per value and each value's attribution divided
     * by the L2 norm, times 100.
     *
     * @param name the feature's name
     * @param contribution the net contribution
     * @param base one label per value
     * @param modified one value in [-100, 100] per value
     */
    record General(String name, double contribution, List<String> base, List<Double> modified)
            implements FeatureOutput {
        /**
         * Copies the lists.
         *
         * @param name the feature's name
         * @param contribution the net contribution
         * @param base one label per value
         * @param modified one value in [-100, 100] per value
         */
        public General {
            base = List.copyOf(base);
            modified = List.copyOf(modified);
        }
    }
}
