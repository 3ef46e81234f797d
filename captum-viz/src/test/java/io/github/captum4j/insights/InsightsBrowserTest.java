package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Drives the Insights page in Debian's headless Chromium through chromedriver: load the page, pick
 * a method, filter a class, fetch, see the attributions drawn, explain another class. The
 * screenshot goes to {@code target/insights/}. Skipped where chromium or chromedriver is not
 * installed ({@code apt-get install chromium chromium-driver}, as {@code .ci/run} does).
 */
class InsightsBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "insights");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void pickAMethodFilterAClassAndSeeTheAttributions(@TempDir Path profile) throws Exception {
        Optional<Path> chromium = WebDriver.executable("chromium");
        Optional<Path> chromedriver = WebDriver.executable("chromedriver");
        assumeTrue(
                chromium.isPresent() && chromedriver.isPresent(),
                "browser test skipped: chromium and chromedriver are not installed"
                        + " (apt-get install chromium chromium-driver)");
        Files.createDirectories(SCREENSHOTS);
        try (NDManager manager = NDManager.newBaseManager()) {
            AttributionVisualizer visualizer = DemoBatches.imageVisualizer(manager);
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

                browser.click("#method option[value='Saliency']");
                assertThat(
                                browser.script("return document.getElementById('method').value")
                                        .getAsString())
                        .isEqualTo("Saliency");
                browser.click("#class-filter input[value='blue']");
                browser.click("#fetch");
                browser.await(
                        "return !!document.body.dataset.loaded",
                        WAIT,
                        () -> "the attributions (status: " + status(browser) + ")");
                browser.await(
                        "return [...document.querySelectorAll('img.attribution')]"
                                + ".every(i => i.complete && i.naturalWidth === 8)",
                        WAIT,
                        () -> "the attribution images to decode");

                List<String> cards = browser.findAll(".example");
                assertThat(cards).isNotEmpty();
                assertThat(
                                browser.script(
                                                "return"
                                                    + " [...document.querySelectorAll('.example')].map(c"
                                                    + " => c.querySelector('.predictions .label"
                                                    + " span').textContent)")
                                        .toString())
                        .doesNotContain("red", "green");
                assertThat(browser.findAll(".example img.heat-map")).hasSameSizeAs(cards);
                assertThat(browser.findAll(".example img.overlay")).hasSameSizeAs(cards);
                assertThat(status(browser)).contains("result(s) with Saliency");
                browser.screenshot(SCREENSHOTS.resolve("insights-saliency-blue.png"));

                // Explain the first example for its second-ranked class.
                browser.click(".example .predictions button.label:not(.active)");
                browser.await(
                        "return document.getElementById('status').textContent.startsWith('Explained"
                                + " class')",
                        WAIT,
                        () -> "the re-attribution (status: " + status(browser) + ")");
                assertThat(browser.findAll(".example:first-child button.label.active")).hasSize(1);
                browser.screenshot(SCREENSHOTS.resolve("insights-reattributed.png"));
            }
        }
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
