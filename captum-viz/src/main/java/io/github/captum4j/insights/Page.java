package io.github.captum4j.insights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Insights page rendered on the server: the bundled {@code index.html} with the method list,
 * the class filter, the default method's arguments, the page's configuration and its first state
 * (the first examples explained with the default method, see {@link FirstState}) filled in, so the
 * page is complete before any script runs (a headless screenshot shows filled dropdowns,
 * predictions and heat maps). Every text from the visualizer is HTML-escaped. Not API.
 */
final class Page {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

    private Page() {}

    /**
     * The page.
     *
     * @param visualizer what the page shows
     * @param initJson the {@code /api/init} configuration, embedded for the script
     * @param results the examples shown when the page opens (HTML), or empty
     * @param status the status line's text
     * @return the HTML
     */
    static String render(
            AttributionVisualizer visualizer, String initJson, String results, String status)
            throws IOException {
        String template = new String(asset("index.html"), StandardCharsets.UTF_8);
        FilterConfig defaults = FilterConfig.DEFAULTS;
        String selected = defaultMethod(visualizer.methods());
        StringBuilder methods = new StringBuilder();
        for (String m : visualizer.methods().names()) {
            methods.append("<option value=\"")
                    .append(escape(m))
                    .append(m.equals(selected) ? "\" selected>" : "\">")
                    .append(escape(m))
                    .append("</option>");
        }
        StringBuilder classes = new StringBuilder();
        for (String c : visualizer.classes()) {
            classes.append("<label><input type=\"checkbox\" value=\"")
                    .append(escape(c))
                    .append("\">")
                    .append(escape(c))
                    .append("</label>");
        }
        StringBuilder args = new StringBuilder();
        for (Map.Entry<String, ArgumentConfig> e :
                visualizer.methods().get(selected).orElseThrow().arguments().entrySet()) {
            args.append(argument(e.getKey(), e.getValue()));
        }
        return fill(
                template,
                Map.of(
                        "METHODS", methods.toString(),
                        "CLASSES", classes.toString(),
                        "ARGUMENTS", args.toString(),
                        "NUM_EXAMPLES", String.valueOf(defaults.numExamples()),
                        "MAX_EXAMPLES", String.valueOf(FilterConfig.MAX_EXAMPLES),
                        "STATUS", escape(status),
                        "CONFIG", scriptSafe(initJson),
                        "RESULTS", results));
    }

    /**
     * The template with each {@code {{NAME}}} replaced in one pass (a value is never searched for
     * placeholders, so a label such as {@code "{{CONFIG}}"} stays text).
     */
    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() * 2);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("index.html has no value for " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** The method selected when the page opens: IntegratedGradients, or the first one offered. */
    static String defaultMethod(MethodRegistry methods) {
        String ig = FilterConfig.DEFAULTS.attributionMethod();
        return methods.names().contains(ig) ? ig : methods.names().get(0);
    }

    /** One argument's label and input, as {@code app.js} draws them. */
    private static String argument(String name, ArgumentConfig c) {
        String id = "arg-" + escape(name);
        StringBuilder s = new StringBuilder();
        s.append("<label for=\"").append(id).append("\">").append(escape(name)).append("</label>");
        String value = escape(String.valueOf(c.defaultValue()));
        if (c instanceof ArgumentConfig.StrEnumConfig e) {
            s.append("<select id=\"").append(id).append("\" data-arg=\"").append(escape(name));
            s.append("\">");
            for (String choice : e.limit()) {
                s.append("<option value=\"")
                        .append(escape(choice))
                        .append(choice.equals(e.value()) ? "\" selected>" : "\">")
                        .append(escape(choice))
                        .append("</option>");
            }
            return s.append("</select>").toString();
        }
        s.append("<input id=\"").append(id).append("\" data-arg=\"").append(escape(name));
        if (c instanceof ArgumentConfig.NumberConfig n) {
            s.append("\" type=\"number\" min=\"")
                    .append(plain(n.min()))
                    .append("\" max=\"")
                    .append(plain(n.max()))
                    .append("\" step=\"")
                    .append(n.integer() ? "1" : "any");
        } else {
            s.append("\" type=\"text");
        }
        return s.append("\" value=\"").append(value).append("\">").toString();
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : "" + d;
    }

    /** HTML text and attribute escaping. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** JSON that cannot close its {@code <script>} element: {@code < > &} as Unicode escapes. */
    private static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** A bundled asset's bytes. */
    static byte[] asset(String name) throws IOException {
        try (InputStream in = Page.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                throw new IOException("Insights asset " + name + " is missing from captum-viz");
            }
            return in.readAllBytes();
        }
    }
}
