package io.github.captum4j.influence;

import io.github.captum4j.core.internal.Checks;

import java.nio.file.Path;

/**
 * One training checkpoint for TracIn: a model file and the learning rate in effect when it was
 * saved (the value Captum's {@code checkpoints_load_func} returns). The file is a TorchScript
 * module ({@code .pt}) or an imported model ({@code .json} architecture beside its {@code .npz}
 * state dict); checkpoints are loaded one at a time, so memory holds one model.
 *
 * <pre>{@code
 * List<Checkpoint> checkpoints = List.of(
 *         new Checkpoint(Path.of("ckpt1.json"), 0.3),
 *         new Checkpoint(Path.of("ckpt2.json"), 0.2));
 * }</pre>
 *
 * @param file the model file, {@code .pt} or {@code .json}
 * @param learningRate the learning rate, finite
 */
public record Checkpoint(Path file, double learningRate) {

    /**
     * Checks the arguments.
     *
     * @param file the model file, {@code .pt} or {@code .json}
     * @param learningRate the learning rate, finite
     */
    public Checkpoint {
        Checks.notNull(file, "file");
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        Checks.argument(
                name.endsWith(".pt") || name.endsWith(".json"),
                "file must be a TorchScript module (.pt) or an imported model (.json), got %s",
                file);
        Checks.argument(
                Double.isFinite(learningRate), "learningRate must be finite, got %s", learningRate);
    }

    /** {@code true} for a TorchScript file. */
    boolean isTorchScript() {
        return file.getFileName().toString().endsWith(".pt");
    }
}
