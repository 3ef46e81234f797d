package io.github.captum4j.core;

/**
 * The model broke the contract an attribution method relies on: a non-scalar output without a
 * target, a NaN output, a missing layer, a forward pass that failed. The model's own exception, if
 * any, is the cause.
 */
public class AttributionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public AttributionException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause the model's exception
     */
    public AttributionException(String message, Throwable cause) {
        super(message, cause);
    }
}
