package io.github.captum4j.examples;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.fixtures.FixtureCase;
import io.github.captum4j.core.internal.fixtures.FixtureRoot;

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
 * failed, K skipped}. A case passes only if every form that can take it passes; methods the library
 * does not implement yet are skipped, never passed.
 *
 * <pre>{@code
 * ConformanceRunner.Summary s = new ConformanceRunner(Path.of("src-test-resources"),
 *         Pattern.compile("^ig_"), EnumSet.allOf(ModelForm.class)).run(System.out);
 * }</pre>
 */
final class ConformanceRunner {

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
    ConformanceRunner(Path dir, Pattern filter, Set<ModelForm> forms) {
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
    record Summary(List<CaseResult> results, double seconds) {

        long count(CaseResult.Status status) {
            return results.stream().filter(r -> r.status() == status).count();
        }

        /**
         * The last line: {@code N passed, M failed, K skipped}.
         *
         * @return the line
         */
        String line() {
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
        int exitStatus() {
            return count(CaseResult.Status.FAIL) > 0 ? 1 : 0;
        }
    }

    /**
     * Runs every selected case, printing a line per case and the summary line last.
     *
     * @param out where the report goes
     * @return the summary
     */
    Summary run(PrintStream out) {
        long start = System.nanoTime();
        List<CaseResult> results = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                ModelCache models = new ModelCache(root, manager)) {
            for (Path file : root.caseFiles()) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                if (filter != null && !filter.matcher(name).find()) {
                    continue;
                }
                CaseResult r = runCase(name, file, models, manager);
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

    private CaseResult runCase(String name, Path file, ModelCache models, NDManager manager) {
        FixtureCase c;
        try {
            c = FixtureCase.read(file);
        } catch (Exception e) {
            return CaseResult.fail(name, "could not read case: " + e.getMessage());
        }
        Optional<String> unsupported;
        try {
            unsupported = CaseMethod.unsupportedReason(c);
        } catch (RuntimeException e) {
            return CaseResult.fail(name, "malformed case: " + e.getMessage());
        }
        if (unsupported.isPresent()) {
            return CaseResult.skip(name, c.method() + ": " + unsupported.get());
        }
        List<FormOutcome> outcomes = new ArrayList<>();
        for (ModelForm form : forms) {
            Optional<String> cannot = formCannotTake(form, c, models);
            if (cannot.isPresent()) {
                outcomes.add(FormOutcome.skip(form, cannot.get()));
                continue;
            }
            ForwardFunction f;
            try {
                f = models.get(form, c.model());
            } catch (RuntimeException e) {
                outcomes.add(FormOutcome.error(form, e));
                continue;
            }
            outcomes.add(CaseChecks.evaluate(form, c, f, manager));
        }
        return combine(name, outcomes);
    }

    /** Why a form cannot take a case (a model file missing, or an argument it cannot pass). */
    private static Optional<String> formCannotTake(
            ModelForm form, FixtureCase c, ModelCache models) {
        if (!models.exists(form, c.model())) {
            return Optional.of("no " + models.file(form, c.model()).getFileName());
        }
        if (form == ModelForm.TORCHSCRIPT && c.hasAdditionalForwardArgs()) {
            // TorchScriptModel passes None only in trailing positions (the module's default).
            JsonElement raw = c.json().get("additional_forward_args");
            if (raw.isJsonArray()) {
                JsonArray args = raw.getAsJsonArray();
                for (int i = 0; i < args.size(); i++) {
                    if (args.get(i).isJsonNull() && nonNullAfter(args, i)) {
                        return Optional.of(
                                "additional_forward_args["
                                        + i
                                        + "] is None before a non-None argument (TorchScript takes"
                                        + " None only in trailing positions)");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean nonNullAfter(JsonArray args, int from) {
        for (int j = from + 1; j < args.size(); j++) {
            if (!args.get(j).isJsonNull()) {
                return true;
            }
        }
        return false;
    }

    private static CaseResult combine(String name, List<FormOutcome> outcomes) {
        List<ModelForm> evaluated = new ArrayList<>();
        boolean failed = false;
        double maxAbs = Double.NaN;
        double maxRel = Double.NaN;
        List<String> notes = new ArrayList<>();
        String firstNote = null;
        boolean sameNote = true;
        for (FormOutcome o : outcomes) {
            if (o.status() == CaseResult.Status.SKIP) {
                notes.add(o.form().label() + " skipped: " + o.note());
                continue;
            }
            evaluated.add(o.form());
            failed |= o.status() == CaseResult.Status.FAIL;
            maxAbs = max(maxAbs, o.maxAbs());
            maxRel = max(maxRel, o.maxRel());
            if (firstNote == null) {
                firstNote = o.note();
            } else {
                sameNote &= firstNote.equals(o.note());
            }
        }
        List<String> formNotes = new ArrayList<>();
        for (FormOutcome o : outcomes) {
            if (o.status() != CaseResult.Status.SKIP) {
                formNotes.add(sameNote ? o.note() : o.form().label() + ": " + o.note());
                if (sameNote) {
                    break;
                }
            }
        }
        formNotes.addAll(notes);
        String note = String.join(" | ", formNotes);
        if (evaluated.isEmpty()) {
            return new CaseResult(
                    CaseResult.Status.SKIP, name, List.of(), Double.NaN, Double.NaN, note);
        }
        return new CaseResult(
                failed ? CaseResult.Status.FAIL : CaseResult.Status.PASS,
                name,
                evaluated,
                maxAbs,
                maxRel,
                note);
    }

    private static double max(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }

    private String formsLabel() {
        List<String> labels = new ArrayList<>();
        for (ModelForm f : forms) {
            labels.add(f.label());
        }
        return String.join(", ", labels);
    }
}
