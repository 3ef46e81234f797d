package io.github.captum4j.insights;

import io.github.captum4j.viz.TextVisualization;

import java.util.List;
import java.util.Locale;

/**
 * Explained examples as the HTML that {@code app.js}'s {@code renderExample} builds, for the page's
 * first state rendered on the server. The page's content security policy allows no inline style,
 * so the bar widths and token colours go to a small stylesheet of their own, served beside the
 * page (one class per element). Every text is HTML-escaped. Not API.
 */
final class ResultsHtml {

    /**
     * The rendered results.
     *
     * @param html the {@code <article class="example">} elements
     * @param css the rules of their bar widths and token colours
     */
    record Rendered(String html, String css) {}

    private final StringBuilder html = new StringBuilder();
    private final StringBuilder css = new StringBuilder();
    private int styled;

    private ResultsHtml() {}

    /**
     * Renders explained examples.
     *
     * @param outputs the examples
     * @return the HTML and its stylesheet
     */
    static Rendered render(List<VisualizationOutput> outputs) {
        ResultsHtml r = new ResultsHtml();
        for (VisualizationOutput out : outputs) {
            r.example(out);
        }
        if (outputs.isEmpty()) {
            r.html.append("<p class=\"empty\">No example matches these filters.</p>");
        }
        return new Rendered(r.html.toString(), r.css.toString());
    }

    private void example(VisualizationOutput out) {
        html.append("<article class=\"example\" data-instance=\"")
                .append(out.instance())
                .append("\" data-model-index=\"")
                .append(out.modelIndex())
                .append("\"><div class=\"predictions\"><h3>Predicted</h3>");
        for (OutputScore p : out.predicted()) {
            boolean correct = out.actual() != null && out.actual().index() == p.index();
            html.append("<button type=\"button\" class=\"label")
                    .append(p.index() == out.activeIndex() ? " active" : "")
                    .append(correct ? " correct" : "")
                    .append("\" data-index=\"")
                    .append(p.index())
                    .append("\" title=\"Explain this class\"><span>")
                    .append(Page.escape(p.label()))
                    .append("</span><span>")
                    .append(fixed(p.score(), 3))
                    .append("</span></button>");
        }
        html.append("<h3>Label</h3>");
        if (out.actual() != null) {
            boolean right =
                    !out.predicted().isEmpty()
                            && out.predicted().get(0).index() == out.actual().index();
            html.append("<div class=\"label truth ")
                    .append(right ? "correct" : "wrong")
                    .append("\"><span>")
                    .append(Page.escape(out.actual().label()))
                    .append("</span><span>")
                    .append(right ? "correct" : "incorrect")
                    .append("</span></div>");
        } else {
            html.append("<div class=\"label truth\">unknown</div>");
        }
        html.append("</div><div class=\"contributions\"><h3>Feature contributions (%)</h3>");
        bars(
                out.featureOutputs().stream().map(FeatureOutput::name).toList(),
                out.featureOutputs().stream().map(f -> 100 * f.contribution()).toList());
        html.append("</div><div class=\"features\">");
        for (FeatureOutput f : out.featureOutputs()) {
            feature(f);
        }
        html.append("</div></article>");
    }

    private void feature(FeatureOutput f) {
        String type =
                f instanceof FeatureOutput.Image
                        ? "image"
                        : f instanceof FeatureOutput.Text ? "text" : "general";
        html.append("<div class=\"feature feature-")
                .append(type)
                .append("\"><h3>")
                .append(Page.escape(f.name() + " (" + type + ")"))
                .append("</h3>");
        if (f instanceof FeatureOutput.Image img) {
            html.append("<div class=\"images\">");
            figure(img.original(), "original", "Original", f.name());
            figure(img.heatMap(), "attribution heat-map", "Attribution magnitude", f.name());
            figure(img.overlay(), "attribution overlay", "Overlay (green +, red \u2212)", f.name());
            html.append("</div>");
        } else if (f instanceof FeatureOutput.Text text) {
            html.append("<p class=\"tokens\">");
            for (int i = 0; i < text.tokens().size(); i++) {
                double m = text.modified().get(i);
                html.append("<span class=\"token attribution ")
                        .append(style("background-color:" + TextVisualization.color((float) (m / 100))))
                        .append("\" title=\"")
                        .append(fixed(m, 1))
                        .append("\">")
                        .append(Page.escape(text.tokens().get(i)))
                        .append("</span> ");
            }
            html.append("</p>");
        } else {
            FeatureOutput.General g = (FeatureOutput.General) f;
            bars(g.base(), g.modified());
        }
        html.append("</div>");
    }

    private void figure(String src, String cls, String caption, String feature) {
        html.append("<figure><img src=\"")
                .append(Page.escape(src))
                .append("\" class=\"")
                .append(cls)
                .append("\" alt=\"")
                .append(Page.escape(caption + " of " + feature))
                .append("\"><figcaption>")
                .append(Page.escape(caption))
                .append("</figcaption></figure>");
    }

    /** Signed bars of values in [-100, 100], as {@code app.js}'s {@code bars}. */
    private void bars(List<String> labels, List<Double> values) {
        html.append("<div class=\"bars\">");
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i);
            double width = Math.min(50, Math.abs(v) / 2);
            html.append("<div class=\"bar-row\"><span>")
                    .append(Page.escape(labels.get(i)))
                    .append("</span><div class=\"bar-track\"><div class=\"bar ")
                    .append(v >= 0 ? "pos " : "neg ")
                    .append(style("width:" + String.format(Locale.ROOT, "%.3f%%", width)))
                    .append("\"></div></div><span>")
                    .append(fixed(v, 1))
                    .append("</span></div>");
        }
        html.append("</div>");
    }

    /** A class carrying one declaration, its rule added to the stylesheet. */
    private String style(String declaration) {
        String name = "s" + styled++;
        css.append('.').append(name).append('{').append(declaration).append("}\n");
        return name;
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
