package io.github.captum4j.spark;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import org.apache.spark.SparkFiles;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an executor finds the model: a TorchScript file ({@code .pt}, with its taps if exported by
 * {@code tools/export_taps.py}) or an imported model ({@code .json} + {@code .npz}). Only the path
 * travels to the executors; each executor JVM loads the model once, on first use, and every task
 * of every partition reuses it (DJL's Spark pattern: load in {@code mapPartitions}, libtorch
 * extracted from the native jar on each node to {@code ~/.djl.ai}, {@code ai.djl.offline=true}).
 *
 * <p>The path must be readable on every node (a shared file system), or be the name of a file
 * shipped with {@code spark-submit --files} / {@code SparkContext.addFile} (resolved through
 * {@link SparkFiles#get}; an imported model's {@code .npz} must be shipped beside its {@code
 * .json}).
 *
 * <pre>{@code
 * ModelSource model = ModelSource.of("models/tabular_mlp.pt");
 * }</pre>
 *
 * @param kind the model format
 * @param path the file
 */
public record ModelSource(Kind kind, String path) implements Serializable {

    /** Model formats. */
    public enum Kind {
        /** A TorchScript {@code .pt} file ({@link TorchScriptModel}). */
        TORCHSCRIPT,
        /** An imported {@code .json} + {@code .npz} model ({@link ImportedModel}). */
        IMPORTED
    }

    private static final Map<ModelSource, ForwardFunction> LOADED = new ConcurrentHashMap<>();

    /**
     * Checks the components.
     *
     * @param kind the model format
     * @param path the file
     */
    public ModelSource {
        if (kind == null || path == null || path.isBlank()) {
            throw new IllegalArgumentException(
                    "kind and path are required, got kind " + kind + ", path '" + path + "'");
        }
    }

    /**
     * A model by file name: {@code .json} is an imported model, anything else TorchScript.
     *
     * @param path the file
     * @return the source
     */
    public static ModelSource of(String path) {
        boolean json = path != null && path.toLowerCase(Locale.ROOT).endsWith(".json");
        return new ModelSource(json ? Kind.IMPORTED : Kind.TORCHSCRIPT, path);
    }

    /**
     * The model of this JVM: loaded on the first call, then shared by all threads and tasks
     * (attribution methods may run concurrently on one model). Released when the JVM exits.
     *
     * @return the model
     */
    public ForwardFunction load() {
        return LOADED.computeIfAbsent(this, ModelSource::open);
    }

    private static ForwardFunction open(ModelSource source) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Path file = resolve(source.path());
        if (source.kind() == Kind.TORCHSCRIPT) {
            return TorchScriptModel.load(file);
        }
        try {
            // lives as long as the executor: the model's parameters stay on this manager
            NDManager manager = NDManager.newBaseManager();
            return ImportedModel.load(file, manager).forwardFunction();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the imported model " + file, e);
        }
    }

    private static Path resolve(String path) {
        Path file = Path.of(path);
        if (Files.isReadable(file)) {
            return file;
        }
        try {
            Path shipped = Path.of(SparkFiles.get(file.getFileName().toString()));
            if (Files.isReadable(shipped)) {
                return shipped;
            }
        } catch (RuntimeException e) {
            // no SparkContext in this JVM: fall through to the error below
        }
        throw new IllegalArgumentException(
                "model file "
                        + path
                        + " is not readable on this node and was not shipped with --files");
    }
}
