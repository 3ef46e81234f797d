package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A text input (Captum's {@code TextFeature}): Insights shows the tokens highlighted by their
 * attribution (summed over an embedding dimension if there is one, divided by the largest
 * magnitude).
 *
 * <p>Gradient methods need a floating-point input: the usual input transform turns token ids into
 * embeddings (or one-hot rows) that the model takes. Transforms receive one example without its
 * batch dimension.
 *
 * <pre>{@code
 * TextFeature review = new TextFeature("Review", ids -> ids.zerosLike(),
 *         ids -> embed(ids), ids -> vocabulary.tokens(ids));
 * }</pre>
 *
 * @param name the label
 * @param baselineTransform makes the baseline from the transformed input, or {@code null} for zeros
 * @param inputTransform turns the data into the model's input, or {@code null} for none
 * @param visualizationTransform turns the data (e.g. token ids) into the tokens shown, or {@code
 *     null} to show the data's values
 */
public record TextFeature(
        String name,
        UnaryOperator<NDArray> baselineTransform,
        UnaryOperator<NDArray> inputTransform,
        Function<NDArray, List<String>> visualizationTransform)
        implements Feature {

    /**
     * Validates the name.
     *
     * @param name the label
     * @param baselineTransform makes the baseline from the transformed input, or {@code null} for
     *     zeros
     * @param inputTransform turns the data into the model's input, or {@code null} for none
     * @param visualizationTransform turns the data (e.g. token ids) into the tokens shown, or
     *     {@code null} to show the data's values
     */
    public TextFeature {
        Checks.notNull(name, "name");
    }

    /** {@inheritDoc} */
    @Override
    public String visualizationType() {
        return "text";
    }
}
