package io.github.captum4j.conformance.check;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The two forms in which a fixture model is evaluated. */
public enum ModelForm {
    /** {@code models/<id>.pt} through {@link io.github.captum4j.core.model.TorchScriptModel}. */
    TORCHSCRIPT,
    /**
     * {@code models/<id>.json} + {@code .npz} through {@link
     * io.github.captum4j.core.model.ImportedModel}.
     */
    BLOCK;

    /** The name used on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@code --form} value.
     *
     * @param value {@code torchscript}, {@code block} or {@code both}
     * @return the forms
     * @throws IllegalArgumentException for any other value
     */
    public static Set<ModelForm> parse(String value) {
        switch (value) {
            case "torchscript":
                return EnumSet.of(TORCHSCRIPT);
            case "block":
                return EnumSet.of(BLOCK);
            case "both":
                return EnumSet.allOf(ModelForm.class);
            default:
                throw new IllegalArgumentException(
                        "--form must be torchscript, block or both, got '" + value + "'");
        }
    }
}
