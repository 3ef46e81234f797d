package io.github.captum4j.conformance.check;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.conformance.cases.FixtureRoot;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads each fixture model at most once per form (and its TorchScript export with taps) and closes
 * them all at the end: the one place where the conformance runner loads models. A load failure is
 * remembered too, so every case of that model reports it without retrying.
 */
final class ModelCache implements AutoCloseable {

    private final FixtureRoot root;
    private final NDManager manager;
    private final Map<String, AutoCloseable> open = new LinkedHashMap<>();
    private final Map<String, ForwardFunction> functions = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();

    /**
     * A cache over a fixture folder.
     *
     * @param root the fixture folder
     * @param manager the manager under which Block-form parameters are held
     */
    ModelCache(FixtureRoot root, NDManager manager) {
        this.root = root;
        this.manager = manager;
    }

    /**
     * The model file a form reads.
     *
     * @param form the form
     * @param modelId the model id
     * @return the file (may not exist)
     */
    Path file(ModelForm form, String modelId) {
        return form == ModelForm.TORCHSCRIPT
                ? root.torchScriptFile(modelId)
                : root.modelJsonFile(modelId);
    }

    /**
     * Whether the form's model file exists.
     *
     * @param form the form
     * @param modelId the model id
     * @return {@code true} if the file is there
     */
    boolean exists(ModelForm form, String modelId) {
        return Files.isRegularFile(file(form, modelId));
    }

    /**
     * The model as a forward function, loading it on first use.
     *
     * @param form the form
     * @param modelId the model id
     * @return the forward function
     * @throws IllegalStateException if the model could not be loaded (now or before)
     */
    ForwardFunction get(ModelForm form, String modelId) {
        String key = form.label() + ":" + modelId;
        ForwardFunction f = functions.get(key);
        if (f != null) {
            return f;
        }
        String failed = failures.get(key);
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
        Path file = file(form, modelId);
        try {
            if (form == ModelForm.TORCHSCRIPT) {
                TorchScriptModel m = TorchScriptModel.load(file);
                open.put(key, m);
                f = m;
            } else {
                ImportedModel m = ImportedModel.load(file, manager);
                open.put(key, m);
                f = m.forwardFunction();
            }
        } catch (IOException | RuntimeException e) {
            String message = "could not load " + file.getFileName() + ": " + e;
            failures.put(key, message);
            throw new IllegalStateException(message, e);
        }
        functions.put(key, f);
        return f;
    }

    /**
     * The TorchScript form exported with layer taps by {@code tools/export_taps.py}: {@code
     * taps/<id>.pt} beside the fixture folder's {@code models/}, loaded once.
     *
     * @param modelId the model id
     * @return the tapped module, or empty if the file does not exist
     * @throws IllegalStateException if it exists but could not be loaded
     */
    Optional<TorchScriptModel> tapped(String modelId) {
        String key = "taps:" + modelId;
        ForwardFunction f = functions.get(key);
        if (f != null) {
            return Optional.of((TorchScriptModel) f);
        }
        String failed = failures.get(key);
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
        Path file = root.dir().resolve("taps").resolve(modelId + ".pt");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            TorchScriptModel m = TorchScriptModel.load(file);
            open.put(key, m);
            functions.put(key, m);
            return Optional.of(m);
        } catch (RuntimeException e) {
            String message = "could not load taps/" + file.getFileName() + ": " + e;
            failures.put(key, message);
            throw new IllegalStateException(message, e);
        }
    }

    /** Closes every model loaded, the last loaded first. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(open.values());
        open.clear();
        functions.clear();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                // Closing is best effort: report and go on with the others.
                System.err.println("warning: could not close a model: " + e);
            }
        }
    }
}
