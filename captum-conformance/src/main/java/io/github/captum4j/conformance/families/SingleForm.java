package io.github.captum4j.conformance.families;

import com.google.gson.JsonObject;

import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.FormOutcome;
import io.github.captum4j.conformance.check.ModelForm;
import io.github.captum4j.conformance.check.Verdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the cases of a family that evaluates one model form only (e.g. a causal LM exported as
 * TorchScript, TCAV on the Block form's named layers): the other forms are reported as skipped, an
 * exception as that form's failure. Not API.
 */
final class SingleForm {

    /** The check of a case on its one form. */
    @FunctionalInterface
    interface Check {
        /**
         * Evaluates the case.
         *
         * @return the checks made
         * @throws Exception reported as the form's failure
         */
        Verdict run() throws Exception;
    }

    /** One comparison with Captum's numbers, from the case JSON and the fixtures folder. */
    @FunctionalInterface
    interface Comparison {
        /**
         * Runs the case.
         *
         * @param json the case JSON
         * @param fixturesRoot the fixtures folder (with {@code models/})
         * @return the comparison
         * @throws Exception reported as the form's failure
         */
        Tolerance.Result run(JsonObject json, Path fixturesRoot) throws Exception;
    }

    private SingleForm() {}

    /** {@link #evaluate} of a case whose whole check is one comparison "against Captum". */
    static CaseResult compare(
            GoldenCase c, CaseContext ctx, ModelForm only, String family, Comparison comparison) {
        return evaluate(
                c,
                ctx,
                only,
                family,
                () -> {
                    Verdict v = new Verdict();
                    v.compare(
                            c.method() + " against Captum",
                            comparison.run(c.json(), ctx.root().dir()));
                    return v;
                });
    }

    static CaseResult evaluate(
            GoldenCase c, CaseContext ctx, ModelForm only, String family, Check check) {
        List<FormOutcome> outcomes = new ArrayList<>();
        for (ModelForm form : ctx.forms()) {
            if (form != only) {
                outcomes.add(
                        FormOutcome.skip(
                                form,
                                "the " + family + " cases run on the " + only.label() + " form only"));
                continue;
            }
            try {
                outcomes.add(check.run().outcome(form));
            } catch (Exception e) {
                outcomes.add(FormOutcome.error(form, e));
            }
        }
        return CaseResult.combine(c.name(), outcomes);
    }
}
