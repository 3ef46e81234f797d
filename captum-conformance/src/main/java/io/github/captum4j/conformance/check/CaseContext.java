package io.github.captum4j.conformance.check;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import io.github.captum4j.conformance.cases.FixtureRoot;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.TorchScriptModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link CaseFamily} gets besides its case: the fixture folder, the model forms to evaluate,
 * the models loaded once per run (TorchScript {@code models/<id>.pt}, Block {@code
 * models/<id>.json} + {@code .npz}, TorchScript with taps {@code taps/<id>.pt}) and a manager for
 * the case's tensors. {@link #eachForm} runs a check on every form that can take the case and
 * combines the outcomes.
 *
 * <pre>{@code
 * try (CaseContext ctx = new CaseContext(FixtureRoot.of(dir), EnumSet.allOf(ModelForm.class))) {
 *     CaseResult r = family.evaluate(c, ctx);
 * }
 * }</pre>
 */
public final class CaseContext implements AutoCloseable {

    /** A check of a case on one model form. */
    @FunctionalInterface
    public interface FormCheck {
        /**
         * Evaluates the case on one form.
         *
         * @param form the form
         * @param model the case's model in that form
         * @param manager a per-case manager, closed after the check
         * @return the checks made, or {@link Verdict#skipped(String)}
         */
        Verdict check(ModelForm form, ForwardFunction model, NDManager manager);
    }

    /** A check of a layer or neuron case on one model form. */
    @FunctionalInterface
    public interface LayerCheck {
        /**
         * Evaluates the case on one form.
         *
         * @param form the form
         * @param model the case's model with access to its layers
         * @param layer the case's {@code init_args.layer}
         * @param manager a per-case manager, closed after the check
         * @return the checks made, or {@link Verdict#skipped(String)}
         */
        Verdict check(ModelForm form, LayerAccess model, LayerPath layer, NDManager manager);
    }

    private final FixtureRoot root;
    private final Set<ModelForm> forms;
    private final NDManager manager;
    private final ModelCache models;

    /**
     * A context over a fixture folder.
     *
     * @param root the fixture folder
     * @param forms the model forms to evaluate, at least one
     */
    public CaseContext(FixtureRoot root, Set<ModelForm> forms) {
        if (root == null) {
            throw new IllegalArgumentException("root must not be null");
        }
        if (forms == null || forms.isEmpty()) {
            throw new IllegalArgumentException("forms must name at least one model form, got none");
        }
        this.root = root;
        this.forms = Collections.unmodifiableSet(EnumSet.copyOf(forms));
        this.manager = NDManager.newBaseManager();
        this.models = new ModelCache(root, manager);
    }

    /**
     * The fixture folder.
     *
     * @return the root
     */
    public FixtureRoot root() {
        return root;
    }

    /**
     * The model forms evaluated.
     *
     * @return the forms, in declaration order
     */
    public Set<ModelForm> forms() {
        return forms;
    }

    /**
     * The run's manager: a family opens a sub-manager per case for anything {@link #eachForm} does
     * not already scope.
     *
     * @return the manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * A fixture model in one form, loaded once per run.
     *
     * @param form the form
     * @param modelId the model id
     * @return the forward function
     * @throws IllegalStateException if the model could not be loaded
     */
    public ForwardFunction model(ModelForm form, String modelId) {
        return models.get(form, modelId);
    }

    /**
     * Runs a check on every form that can take the case: a form is skipped when its model file is
     * missing or (TorchScript) when a {@code None} argument precedes a non-{@code None} one; an
     * exception becomes that form's failure.
     *
     * @param c the case
     * @param check the check
     * @return the combined verdict
     */
    public CaseResult eachForm(GoldenCase c, FormCheck check) {
        List<FormOutcome> outcomes = new ArrayList<>();
        for (ModelForm form : forms) {
            Optional<String> cannot = formCannotTake(form, c);
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
            try (NDManager m = manager.newSubManager()) {
                outcomes.add(check.check(form, f, m).outcome(form));
            } catch (RuntimeException e) {
                outcomes.add(FormOutcome.error(form, e));
            }
        }
        return CaseResult.combine(c.name(), outcomes);
    }

    /**
     * {@link #eachForm} for a case on a layer ({@code init_args.layer}): the Block form gives its
     * layers directly; the TorchScript form runs on the module exported with taps ({@code
     * taps/<model>.pt}, skipped when the file or the layer is missing).
     *
     * @param c the case
     * @param check the check
     * @return the combined verdict
     */
    public CaseResult eachLayerForm(GoldenCase c, LayerCheck check) {
        return eachForm(
                c,
                (form, f, m) -> {
                    LayerAccess model;
                    if (f instanceof TorchScriptModel ts && ts.layerNames().isEmpty()) {
                        Optional<TorchScriptModel> tapped = models.tapped(c.model());
                        if (tapped.isEmpty()) {
                            return Verdict.skipped("no taps/" + c.model() + ".pt");
                        }
                        model = tapped.get();
                    } else {
                        model = LayerAccess.of(f);
                    }
                    String layer = c.initArgs().string("layer").orElseThrow();
                    if (!model.layerNames().contains(layer)) {
                        return Verdict.skipped("layer " + layer + " not among the exported taps");
                    }
                    return check.check(form, model, LayerPath.of(layer), m);
                });
    }

    /**
     * The model file a form reads.
     *
     * @param form the form
     * @param modelId the model id
     * @return the file (may not exist)
     */
    public Path modelFile(ModelForm form, String modelId) {
        return models.file(form, modelId);
    }

    /** Closes every model loaded and the manager. */
    @Override
    public void close() {
        try {
            models.close();
        } finally {
            manager.close();
        }
    }

    /** Why a form cannot take a case (a model file missing, or an argument it cannot pass). */
    private Optional<String> formCannotTake(ModelForm form, GoldenCase c) {
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
}
