package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import io.github.captum4j.core.ForwardFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives the Insights page in Debian's headless Chromium through chromedriver: load the page, pick
 * a method, filter a class, fetch, see the attributions drawn; another class filter and another
 * method give other, non-empty overlays; the page shows a request's progress; explain another
 * class. The
 * screenshot goes to {@code target/insights/}. Skipped where chromium or chromedriver is not
 * installed ({@code apt-get install chromium chromium-driver}, as {@code .ci/run} does).
 */
class InsightsBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "insights");
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Distinct colours of each heat map on the page (1 = an empty, uniform map). */
    private static final String HEAT_MAP_COLOURS =
            "return [...document.querySelectorAll('img.heat-map')].map(img => {"
                    + " const c = document.createElement('canvas');"
                    + " c.width = img.naturalWidth; c.height = img.naturalHeight;"
                    + " const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
                    + " const d = g.getImageData(0, 0, c.width, c.height).data;"
                    + " const seen = new Set();"
                    + " for (let i = 0; i < d.length; i += 4) seen.add(d[i] + ',' + d[i + 1] + ','"
                    + " + d[i + 2]);"
                    + " return seen.size; })";

    /** A model slow enough (60 ms a forward pass) for the page to show a request's progress. */
    private static ForwardFunction slow(ForwardFunction f) {
        return (inputs, args) -> {
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return f.forward(inputs, args);
        };
    }

    @Test
    void aClassFilterAndAMethodChangeGiveDifferentNonEmptyOverlays(@TempDir Path profile)
            throws Exception {
        Optional<Path> chromium = WebDriver.executable("chromium");
        Optional<Path> chromedriver = WebDriver.executable("chromedriver");
        assumeTrue(
                chromium.isPresent() && chromedriver.isPresent(),
                "browser test skipped: chromium and chromedriver are not installed"
                        + " (apt-get install chromium chromium-driver)");
        Files.createDirectories(SCREENSHOTS);
        try (NDManager manager = NDManager.newBaseManager()) {
            AttributionVisualizer visualizer =
                    new AttributionVisualizer(
                            List.of(slow(DemoBatches.imageModel())),
                            out -> out.softmax(-1),
                            DemoBatches.IMAGE_CLASSES,
                            List.of(ImageFeature.of("Photo")),
                            List.of(DemoBatches.images(manager)));
            try (InsightsServer server = visualizer.serve();
                    WebDriver browser =
                            WebDriver.start(
                                    chromedriver.get(),
                                    chromium.get(),
                                    profile,
                                    SCREENSHOTS.resolve("chromedriver.log"))) {
                browser.navigate(server.url());
                browser.await(
                        "return document.body.dataset.ready === 'true'",
                        WAIT,
                        () -> "the page to load");
                assertThat(browser.findAll("#method option"))
                        .hasSize(visualizer.methods().names().size());
                // The first state came from the server: 4 examples with non-empty heat maps.
                assertThat(browser.findAll(".example")).hasSize(4);
                JsonArray first = browser.script(HEAT_MAP_COLOURS).getAsJsonArray();
                assertThat(first).hasSize(4);
                for (JsonElement c : first) {
                    assertThat(c.getAsInt()).as("distinct colours of a first heat map").isGreaterThan(1);
                }
                browser.screenshot(SCREENSHOTS.resolve("insights-start.png"));
                // Its class buttons work as those of fetched examples do.
                browser.click(".example .predictions button.label:not(.active)");
                browser.await(
                        "return document.getElementById('status').textContent.startsWith('Explained"
                                + " class')",
                        WAIT,
                        () -> "the first state's re-attribution (status: " + status(browser) + ")");
                assertThat(browser.findAll(".example:first-child button.label.active")).hasSize(1);

                browser.click("#method option[value='Saliency']");
                browser.click("#class-filter input[value='blue']");
                List<String> blue = fetch(browser, "Saliency", "blue");

                browser.click("#class-filter input[value='blue']");
                browser.click("#class-filter input[value='red']");
                List<String> red = fetch(browser, "Saliency", "red");
                assertThat(red).doesNotContainAnyElementsOf(blue);

                browser.click("#method option[value='IntegratedGradients']");
                assertThat(browser.findAll("#arguments [data-arg='nSteps']")).hasSize(1);
                List<String> redIg = fetch(browser, "IntegratedGradients", "red");
                assertThat(redIg).hasSameSizeAs(red).doesNotContainAnyElementsOf(red);
                // The page showed the request's progress while it ran.
                assertThat(browser.script("return document.body.dataset.progress").getAsString())
                        .matches("\\d+/\\d+");
                browser.screenshot(SCREENSHOTS.resolve("insights-ig-red.png"));

                // Explain the first example for its second-ranked class.
                browser.click(".example .predictions button.label:not(.active)");
                browser.await(
                        "return document.getElementById('status').textContent.startsWith('Explained"
                                + " class')",
                        WAIT,
                        () -> "the re-attribution (status: " + status(browser) + ")");
                assertThat(browser.findAll(".example:first-child button.label.active")).hasSize(1);
                browser.screenshot(SCREENSHOTS.resolve("insights-reattributed.png"));

                textTokensAreHighlighted(browser, manager);
            }
        }
    }

    /** A text model's page: every token highlighted, pad tokens (zero attribution) white. */
    private static void textTokensAreHighlighted(WebDriver browser, NDManager manager)
            throws Exception {
        AttributionVisualizer text = DemoBatches.textVisualizer(manager);
        try (InsightsServer server = text.serve()) {
            browser.navigate(server.url());
            browser.await(
                    "return document.body.dataset.ready === 'true'", WAIT, () -> "the text page");
            browser.click("#method option[value='InputXGradient']");
            browser.click("#fetch");
            browser.await(
                    "return !!document.body.dataset.loaded",
                    WAIT,
                    () -> "the text attributions (status: " + status(browser) + ")");
            JsonArray examples =
                    browser.script(
                                    "return [...document.querySelectorAll('.example')].map(c =>"
                                            + " [...c.querySelectorAll('.token')].map(t =>"
                                            + " [t.textContent, getComputedStyle(t)"
                                            + ".backgroundColor]))")
                            .getAsJsonArray();
            assertThat(examples).hasSize(4);
            for (JsonElement e : examples) {
                JsonArray tokens = e.getAsJsonArray();
                assertThat(tokens).hasSize(6);
                int coloured = 0;
                for (JsonElement t : tokens) {
                    String word = t.getAsJsonArray().get(0).getAsString();
                    String colour = t.getAsJsonArray().get(1).getAsString();
                    if (word.equals("<pad>")) {
                        assertThat(colour).isEqualTo("rgb(255, 255, 255)");
                    } else if (!colour.equals("rgb(255, 255, 255)")) {
                        coloured++;
                    }
                }
                assertThat(coloured).isPositive();
            }
            browser.screenshot(SCREENSHOTS.resolve("insights-text.png"));
        }
    }

    /**
     * Presses Fetch and waits for the results; checks every example is of the class filtered and
     * every heat map shows something.
     *
     * @return the overlays' data URIs
     */
    private static List<String> fetch(WebDriver browser, String method, String label)
            throws Exception {
        JsonElement before = browser.script("return document.body.dataset.loaded || ''");
        browser.click("#fetch");
        browser.await(
                "return (document.body.dataset.loaded || '') !== '" + before.getAsString() + "'",
                WAIT,
                () -> "the attributions (status: " + status(browser) + ")");
        browser.await(
                "return [...document.querySelectorAll('img.attribution')]"
                        + ".every(i => i.complete && i.naturalWidth === 8)",
                WAIT,
                () -> "the attribution images to decode");
        assertThat(status(browser)).contains("result(s) with " + method);
        List<String> cards = browser.findAll(".example");
        assertThat(cards).isNotEmpty();
        JsonArray top =
                browser.script(
                                "return [...document.querySelectorAll('.example')].map(c =>"
                                        + " c.querySelector('.predictions .label span')"
                                        + ".textContent)")
                        .getAsJsonArray();
        for (JsonElement t : top) {
            assertThat(t.getAsString()).isEqualTo(label);
        }
        JsonArray colours = browser.script(HEAT_MAP_COLOURS).getAsJsonArray();
        assertThat(colours).hasSameSizeAs(cards);
        for (JsonElement c : colours) {
            assertThat(c.getAsInt()).as("distinct colours of a heat map").isGreaterThan(1);
        }
        List<String> overlays = new ArrayList<>();
        for (JsonElement o :
                browser.script("return [...document.querySelectorAll('img.overlay')].map(i => i.src)")
                        .getAsJsonArray()) {
            overlays.add(o.getAsString());
        }
        assertThat(overlays).hasSameSizeAs(cards).allMatch(o -> o.startsWith("data:image/png"));
        return overlays;
    }

    private static String status(WebDriver browser) {
        try {
            return browser.script("return document.getElementById('status').textContent")
                    .getAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
