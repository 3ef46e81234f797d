package io.github.captum4j.insights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.viz.TextVisualization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The JSON of the Insights API: the page's requests in, the visualizer's results out. */
final class Json {

    private static final Set<String> FETCH_KEYS =
            Set.of(
                    "requestId",
                    "attributionMethod",
                    "arguments",
                    "prediction",
                    "classes",
                    "numExamples");
    private static final Set<String> ATTRIBUTE_KEYS =
            Set.of(
                    "requestId",
                    "attributionMethod",
                    "arguments",
                    "instance",
                    "modelIndex",
                    "labelIndex");

    private Json() {}

    /** A parsed {@code /api/fetch} request. */
    record FetchRequest(FilterConfig config, String requestId) {}

    /** A parsed {@code /api/attribute} request. */
    record AttributeRequest(
            int instance, int modelIndex, int labelIndex, FilterConfig config, String requestId) {}

    static FetchRequest fetchRequest(String body) {
        JsonObject o = object(body, FETCH_KEYS);
        FilterConfig.Builder b = method(o, FilterConfig.builder());
        if (o.has("prediction")) {
            String p = string(o.get("prediction"), "prediction");
            try {
                b.prediction(FilterConfig.Prediction.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "prediction must be all, correct or incorrect, got '" + p + "'");
            }
        }
        if (o.has("classes")) {
            JsonElement c = o.get("classes");
            Checks.argument(c.isJsonArray(), "classes must be a list of labels, got %s", c);
            List<String> classes = new ArrayList<>();
            for (JsonElement e : c.getAsJsonArray()) {
                classes.add(string(e, "classes[]"));
            }
            b.classes(classes);
        }
        if (o.has("numExamples")) {
            b.numExamples(integer(o.get("numExamples"), "numExamples"));
        }
        return new FetchRequest(b.build(), requestId(o));
    }

    static AttributeRequest attributeRequest(String body) {
        JsonObject o = object(body, ATTRIBUTE_KEYS);
        Checks.argument(
                o.has("instance") && o.has("labelIndex"), "instance and labelIndex are required");
        return new AttributeRequest(
                integer(o.get("instance"), "instance"),
                o.has("modelIndex") ? integer(o.get("modelIndex"), "modelIndex") : 0,
                integer(o.get("labelIndex"), "labelIndex"),
                method(o, FilterConfig.builder()).build(),
                requestId(o));
    }

    private static String requestId(JsonObject o) {
        return o.has("requestId") ? string(o.get("requestId"), "requestId") : null;
    }

    static String config(AttributionVisualizer v, FilterConfig defaults) {
        JsonObject o = new JsonObject();
        o.add("classes", strings(v.classes()));
        JsonArray features = new JsonArray();
        for (Feature f : v.features()) {
            JsonObject fo = new JsonObject();
            fo.addProperty("name", f.name());
            fo.addProperty("type", f.visualizationType());
            features.add(fo);
        }
        o.add("features", features);
        o.add("methods", strings(v.methods().names()));
        JsonObject arguments = new JsonObject();
        for (String name : v.methods().names()) {
            JsonObject args = new JsonObject();
            for (Map.Entry<String, ArgumentConfig> e :
                    v.methods().get(name).orElseThrow().arguments().entrySet()) {
                args.add(e.getKey(), argument(e.getValue()));
            }
            arguments.add(name, args);
        }
        o.add("methodArguments", arguments);
        o.addProperty("selectedMethod", Page.defaultMethod(v.methods()));
        o.addProperty("numExamples", defaults.numExamples());
        o.addProperty("maxExamples", FilterConfig.MAX_EXAMPLES);
        return o.toString();
    }

    static String outputs(List<VisualizationOutput> outputs) {
        JsonArray a = new JsonArray();
        for (VisualizationOutput out : outputs) {
            a.add(output(out));
        }
        return a.toString();
    }

    static JsonObject output(VisualizationOutput out) {
        JsonObject o = new JsonObject();
        o.addProperty("instance", out.instance());
        o.addProperty("modelIndex", out.modelIndex());
        o.add("actual", out.actual() == null ? JsonNull.INSTANCE : score(out.actual()));
        JsonArray predicted = new JsonArray();
        out.predicted().forEach(s -> predicted.add(score(s)));
        o.add("predicted", predicted);
        o.addProperty("activeIndex", out.activeIndex());
        JsonArray features = new JsonArray();
        for (FeatureOutput f : out.featureOutputs()) {
            JsonObject fo = new JsonObject();
            fo.addProperty("name", f.name());
            fo.addProperty("contribution", f.contribution());
            if (f instanceof FeatureOutput.Image img) {
                fo.addProperty("type", "image");
                fo.addProperty("original", img.original());
                fo.addProperty("heatMap", img.heatMap());
                fo.addProperty("overlay", img.overlay());
            } else if (f instanceof FeatureOutput.Text text) {
                fo.addProperty("type", "text");
                fo.add("base", strings(text.tokens()));
                fo.add("modified", numbers(text.modified()));
                // Captum's visualize_text colours, from one implementation.
                JsonArray colors = new JsonArray();
                for (double m : text.modified()) {
                    colors.add(TextVisualization.color((float) (m / 100)));
                }
                fo.add("colors", colors);
            } else {
                FeatureOutput.General g = (FeatureOutput.General) f;
                fo.addProperty("type", "general");
                fo.add("base", strings(g.base()));
                fo.add("modified", numbers(g.modified()));
            }
            features.add(fo);
        }
        o.add("featureOutputs", features);
        return o;
    }

    static String error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", Reply.bounded(message));
        return o.toString();
    }

    private static FilterConfig.Builder method(JsonObject o, FilterConfig.Builder b) {
        if (o.has("attributionMethod")) {
            b.attributionMethod(string(o.get("attributionMethod"), "attributionMethod"));
        }
        if (o.has("arguments")) {
            JsonElement a = o.get("arguments");
            Checks.argument(a.isJsonObject(), "arguments must be an object, got %s", a);
            Map<String, Object> args = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : a.getAsJsonObject().entrySet()) {
                JsonElement v = e.getValue();
                Checks.argument(
                        v.isJsonPrimitive() && !v.getAsJsonPrimitive().isBoolean(),
                        "arguments.%s must be a number or a string, got %s",
                        e.getKey(),
                        v);
                JsonPrimitive p = v.getAsJsonPrimitive();
                args.put(e.getKey(), p.isNumber() ? (Object) p.getAsDouble() : p.getAsString());
            }
            b.attributionArguments(args);
        }
        return b;
    }

    private static JsonObject object(String body, Set<String> allowed) {
        JsonElement e;
        try {
            e = JsonParser.parseString(body);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException("request body must be JSON: " + ex.getMessage(), ex);
        }
        Checks.argument(e.isJsonObject(), "request body must be a JSON object, got %s", kind(e));
        JsonObject o = e.getAsJsonObject();
        for (String key : o.keySet()) {
            Checks.argument(
                    allowed.contains(key), "unknown field '%s', expected some of %s", key, allowed);
        }
        return o;
    }

    private static String kind(JsonElement e) {
        return e.isJsonArray() ? "an array" : e.isJsonNull() ? "null" : "a value";
    }

    private static String string(JsonElement e, String name) {
        return primitive(e, name, true).getAsString();
    }

    private static int integer(JsonElement e, String name) {
        double d = primitive(e, name, false).getAsDouble();
        Checks.argument(
                d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE,
                "%s must be a whole number, got %s",
                name,
                e);
        return (int) d;
    }

    /** A string ({@code text}) or number value, else an error naming the field. */
    private static JsonPrimitive primitive(JsonElement e, String name, boolean text) {
        boolean ok =
                e.isJsonPrimitive()
                        && (text ? e.getAsJsonPrimitive().isString() : e.getAsJsonPrimitive().isNumber());
        Checks.argument(ok, "%s must be a %s, got %s", name, text ? "string" : "number", e);
        return e.getAsJsonPrimitive();
    }

    private static JsonObject argument(ArgumentConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("type", c.type());
        Object v = c.defaultValue();
        if (v instanceof Number n) {
            o.addProperty("value", n);
        } else {
            o.addProperty("value", String.valueOf(v));
        }
        if (c instanceof ArgumentConfig.NumberConfig n) {
            JsonArray limit = new JsonArray();
            limit.add(n.min());
            limit.add(n.max());
            o.add("limit", limit);
            o.addProperty("integer", n.integer());
        } else if (c instanceof ArgumentConfig.StrEnumConfig s) {
            o.add("limit", strings(s.limit()));
        }
        return o;
    }

    private static JsonObject score(OutputScore s) {
        JsonObject o = new JsonObject();
        o.addProperty("score", s.score());
        o.addProperty("index", s.index());
        o.addProperty("label", s.label());
        return o;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static JsonArray numbers(List<Double> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }
}
