package io.github.captum4j.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A prompt built from a template and values, each value (or group of values) one interpretable
 * feature (Captum's {@code TextTemplateInput}). An absent feature's values are replaced by their
 * baselines (default the empty string, i.e. the value is removed) and the template is formatted
 * again, so the model sees a re-tokenised prompt.
 *
 * <p>The template uses Python's {@code str.format} fields: {@code {}} (next value), {@code {i}}
 * (value i), {@code {{} and {@code }}} for braces. A {@code mask} groups values into features:
 * values with the same mask id are present or absent together; the features are the distinct ids
 * in ascending order and attributions are reported per value (each value gets its group's).
 *
 * <pre>{@code
 * TextTemplateInput input = TextTemplateInput.of("{} {} sat on the {}", List.of("the", "cat", "mat"));
 * input.toModelInput(new float[] {1, 0, 1}); // "the  sat on the mat"
 * }</pre>
 */
public final class TextTemplateInput implements InterpretableInput<String> {

    private final List<Object> parts; // String literals and Integer value indices
    private final List<String> values;
    private final Supplier<List<String>> baselines;
    private final int[] featureOf;
    private final int features;

    /**
     * A template input.
     *
     * @param template the template, Python {@code str.format} syntax with positional fields
     * @param values the values, at least one
     * @param baselines one replacement per value, or {@code null} for empty strings
     * @param mask one feature id per value grouping values, or {@code null} for one feature per
     *     value
     * @throws IllegalArgumentException naming the argument that is malformed
     */
    public TextTemplateInput(
            String template, List<String> values, List<String> baselines, int[] mask) {
        this(template, values, fixed(baselines, values), mask);
    }

    /**
     * A template input whose baselines are drawn for every perturbed prompt, e.g. from {@link
     * ProductBaselines}.
     *
     * @param template the template
     * @param values the values, at least one
     * @param baselines returns one replacement per value on each call
     * @param mask one feature id per value, or {@code null}
     * @throws IllegalArgumentException naming the argument that is malformed
     */
    public TextTemplateInput(
            String template, List<String> values, Supplier<List<String>> baselines, int[] mask) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("values must hold at least one value, got " + values);
        }
        if (baselines == null) {
            throw new IllegalArgumentException("baselines must not be null");
        }
        this.values = List.copyOf(values);
        this.parts = parse(template, values.size());
        this.baselines = baselines;
        if (mask == null) {
            featureOf = new int[values.size()];
            for (int i = 0; i < featureOf.length; i++) {
                featureOf[i] = i;
            }
            features = values.size();
        } else {
            if (mask.length != values.size()) {
                throw new IllegalArgumentException(
                        "mask must hold one id per value ("
                                + values.size()
                                + "), got "
                                + mask.length);
            }
            TreeMap<Integer, Integer> ids = new TreeMap<>();
            for (int id : mask) {
                ids.put(id, 0);
            }
            int k = 0;
            for (Integer id : ids.keySet()) {
                ids.put(id, k++);
            }
            featureOf = new int[mask.length];
            for (int i = 0; i < mask.length; i++) {
                featureOf[i] = ids.get(mask[i]);
            }
            features = ids.size();
        }
    }

    /**
     * A template input with one feature per value, removed when absent.
     *
     * @param template the template
     * @param values the values
     * @return the input
     * @throws IllegalArgumentException naming the argument that is malformed
     */
    public static TextTemplateInput of(String template, List<String> values) {
        return new TextTemplateInput(template, values, (List<String>) null, null);
    }

    private static Supplier<List<String>> fixed(List<String> baselines, List<String> values) {
        if (baselines == null) {
            List<String> empty = new ArrayList<>();
            for (int i = 0; values != null && i < values.size(); i++) {
                empty.add("");
            }
            List<String> copy = List.copyOf(empty);
            return () -> copy;
        }
        if (values != null && baselines.size() != values.size()) {
            throw new IllegalArgumentException(
                    "baselines must hold one string per value ("
                            + values.size()
                            + "), got "
                            + baselines.size());
        }
        List<String> copy = List.copyOf(baselines);
        return () -> copy;
    }

    private static List<Object> parse(String template, int nValues) {
        if (template == null) {
            throw new IllegalArgumentException("template must not be null");
        }
        List<Object> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}')
                    && i + 1 < template.length()
                    && template.charAt(i + 1) == c) {
                literal.append(c);
                i++;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "template has an unclosed '{' at " + i + ": \"" + template + "\"");
                }
                String field = template.substring(i + 1, end).strip();
                int index;
                try {
                    index = field.isEmpty() ? auto++ : Integer.parseInt(field);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "template fields must be {} or {index}, got {" + field + "}");
                }
                if (index < 0 || index >= nValues) {
                    throw new IllegalArgumentException(
                            "template field "
                                    + index
                                    + " has no value (values hold "
                                    + nValues
                                    + ")");
                }
                out.add(literal.toString());
                literal.setLength(0);
                out.add(index);
                i = end;
            } else if (c == '}') {
                throw new IllegalArgumentException(
                        "template has a single '}' at " + i + ": \"" + template + "\"");
            } else {
                literal.append(c);
            }
        }
        out.add(literal.toString());
        return List.copyOf(out);
    }

    @Override
    public int featureCount() {
        return features;
    }

    @Override
    public List<String> featureNames() {
        return values;
    }

    @Override
    public String toModelInput(float[] presence) {
        if (presence.length != features) {
            throw new IllegalArgumentException(
                    "presence must hold one entry per feature (" + features + "), got "
                            + presence.length);
        }
        List<String> base = null;
        String[] filled = values.toArray(new String[0]);
        for (int i = 0; i < filled.length; i++) {
            if (presence[featureOf[i]] == 0f) {
                if (base == null) {
                    base = baselines.get();
                    if (base == null || base.size() != filled.length) {
                        throw new IllegalArgumentException(
                                "baselines must return one string per value ("
                                        + filled.length
                                        + "), got "
                                        + base);
                    }
                }
                filled[i] = base.get(i);
            }
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            out.append(part instanceof Integer ? filled[(Integer) part] : (String) part);
        }
        return out.toString();
    }

    @Override
    public float[][] expandAttributions(float[][] attributions) {
        float[][] out = new float[attributions.length][featureOf.length];
        for (int r = 0; r < attributions.length; r++) {
            for (int i = 0; i < featureOf.length; i++) {
                out[r][i] = attributions[r][featureOf[i]];
            }
        }
        return out;
    }
}
