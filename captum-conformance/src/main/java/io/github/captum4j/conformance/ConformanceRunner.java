package io.github.captum4j.conformance;

import io.github.captum4j.conformance.cases.FixtureRoot;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseFamily;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.ModelForm;
import io.github.captum4j.conformance.check.Properties;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code conformance} subcommand: evaluates every golden case of a fixture folder on each model
 * form (TorchScript and imported Block) and prints one line per case, then {@code N passed, M
 * failed, K skipped}. Each case goes to the first family of {@link CaseRegistry} that handles it. A
 * case passes only if every form that can take it passes; cases no family handles are skipped,
 * never passed; a statistical case recording a property its family does not check fails, naming the
 * property ({@link Properties}).
 *
 * <pre>{@code
 * ConformanceRunner.Summary s = new ConformanceRunner(Path.of("src-test-resources"),
 *         Pattern.compile("^ig_"), EnumSet.allOf(ModelForm.class)).run(System.out);
 * }</pre>
 */
public final class ConformanceRunner {

    private final FixtureRoot root;
    private final Pattern filter;
    private final Set<ModelForm> forms;

    /**
     * A runner over a fixture folder.
     *
     * @param dir the folder holding {@code cases/} and {@code models/}
     * @param filter cases whose name this pattern finds are run; {@code null} for all
     * @param forms the model forms to evaluate
     */
    public ConformanceRunner(Path dir, Pattern filter, Set<ModelForm> forms) {
        this.root = FixtureRoot.of(dir);
        this.filter = filter;
        if (forms == null || forms.isEmpty()) {
            throw new IllegalArgumentException("forms must name at least one model form, got none");
        }
        this.forms = Collections.unmodifiableSet(EnumSet.copyOf(forms));
    }

    /**
     * The outcome of a run.
     *
     * @param results one per case run, in case-name order
     * @param seconds wall time
     */
    public record Summary(List<CaseResult> results, double seconds) {

        /**
         * How many cases ended with a status.
         *
         * @param status the status
         * @return the count
         */
        public long count(CaseResult.Status status) {
            return results.stream().filter(r -> r.status() == status).count();
        }

        /**
         * The last line: {@code N passed, M failed, K skipped}.
         *
         * @return the line
         */
        public String line() {
            return count(CaseResult.Status.PASS)
                    + " passed, "
                    + count(CaseResult.Status.FAIL)
                    + " failed, "
                    + count(CaseResult.Status.SKIP)
                    + " skipped";
        }

        /**
         * The exit status: 1 if any case failed.
         *
         * @return 0 or 1
         */
        public int exitStatus() {
            return count(CaseResult.Status.FAIL) > 0 ? 1 : 0;
        }
    }

    /**
     * Runs every selected case, printing a line per case and the summary line last.
     *
     * @param out where the report goes
     * @return the summary
     */
    public Summary run(PrintStream out) {
        long start = System.nanoTime();
        List<CaseResult> results = new ArrayList<>();
        try (CaseContext ctx = new CaseContext(root, forms)) {
            for (Path file : root.caseFiles()) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                if (filter != null && !filter.matcher(name).find()) {
                    continue;
                }
                CaseResult r = runCase(file, ctx);
                results.add(r);
                out.println(r.line());
                out.flush();
            }
        }
        Summary s = new Summary(results, (System.nanoTime() - start) / 1e9);
        out.printf(
                Locale.ROOT,
                "# %d cases in %.1f s (forms: %s)%n",
                results.size(),
                s.seconds(),
                formsLabel());
        out.println(s.line());
        out.flush();
        return s;
    }

    /**
     * Evaluates one case file: read it, find its family, let the family evaluate it. A case that
     * cannot be read, or that a family finds malformed, fails; a case no family handles is skipped.
     *
     * @param file the case file
     * @param ctx the fixture folder, forms and cached models
     * @return the verdict, named after the file
     */
    public static CaseResult runCase(Path file, CaseContext ctx) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        GoldenCase c;
        try {
            c = GoldenCase.read(file);
        } catch (Exception e) {
            return CaseResult.fail(name, "could not read case: " + e.getMessage());
        }
        Optional<CaseFamily> family;
        try {
            family = CaseRegistry.familyFor(c);
        } catch (RuntimeException e) {
            return CaseResult.fail(name, "malformed case: " + e.getMessage());
        }
        if (family.isEmpty()) {
            return CaseResult.skip(name, c.method() + ": not implemented yet");
        }
        Set<String> unchecked = Properties.unchecked(c, family.get());
        if (!unchecked.isEmpty()) {
            return CaseResult.fail(
                    name,
                    "statistical case records "
                            + (unchecked.size() == 1 ? "property " : "properties ")
                            + String.join(", ", unchecked)
                            + ", which the "
                            + family.get().name()
                            + " family does not check");
        }
        try {
            return family.get().evaluate(c, ctx).named(name);
        } catch (RuntimeException e) {
            return CaseResult.fail(
                    name, "error " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private String formsLabel() {
        List<String> labels = new ArrayList<>();
        for (ModelForm f : forms) {
            labels.add(f.label());
        }
        return String.join(", ", labels);
    }
}
