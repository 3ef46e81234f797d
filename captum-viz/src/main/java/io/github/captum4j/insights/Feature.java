package io.github.captum4j.insights;

/**
 * One input of the model as Insights shows it (Captum's {@code BaseFeature}): an image, a text or a
 * vector of named values. A visualizer has one feature per input tensor, in order.
 */
public sealed interface Feature permits ImageFeature, TextFeature, GeneralFeature {

    /**
     * The feature's label, e.g. "Photo".
     *
     * @return the name
     */
    String name();

    /**
     * The kind of visualisation: {@code "image"}, {@code "text"} or {@code "general"} (Captum's
     * {@code visualization_type()}).
     *
     * @return the kind
     */
    String visualizationType();
}
