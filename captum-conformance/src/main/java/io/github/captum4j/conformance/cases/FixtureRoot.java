package io.github.captum4j.conformance.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fixture folder: {@code cases/<case>.json} and {@code models/<id>.pt|.json|.npz}, as in {@code
 * src-test-resources/}.
 *
 * <pre>{@code
 * FixtureRoot root = FixtureRoot.fromSystemProperty();
 * for (String name : root.caseNames()) {
 *     GoldenCase c = root.readCase(name);
 *     Path pt = root.torchScriptFile(c.model());
 * }
 * }</pre>
 *
 * <p>Not API: may change without notice.
 */
public final class FixtureRoot {

    /** System property that surefire sets to the fixture folder. */
    public static final String PROPERTY = "captum4j.fixtures";

    /** Folder used when the property is unset, relative to the working directory. */
    public static final String DEFAULT_FOLDER = "src-test-resources";

    private final Path dir;

    private FixtureRoot(Path dir) {
        this.dir = dir;
    }

    /**
     * A fixture folder.
     *
     * @param dir a folder holding {@code cases/} and {@code models/}
     * @return the root
     * @throws IllegalArgumentException if either sub-folder is missing
     */
    public static FixtureRoot of(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("dir must not be null");
        }
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs.resolve("cases")) || !Files.isDirectory(abs.resolve("models"))) {
            throw new IllegalArgumentException(
                    "fixture folder must hold cases/ and models/, got "
                            + abs
                            + (Files.isDirectory(abs)
                                    ? " (missing sub-folders)"
                                    : " (not a folder)"));
        }
        return new FixtureRoot(abs);
    }

    /**
     * The folder named by the system property {@value #PROPERTY}, or {@value #DEFAULT_FOLDER} in
     * the working directory if it is unset.
     *
     * @return the root
     * @throws IllegalArgumentException if that folder is not a fixture folder
     */
    public static FixtureRoot fromSystemProperty() {
        String p = System.getProperty(PROPERTY);
        return of(Paths.get(p == null || p.isBlank() ? DEFAULT_FOLDER : p));
    }

    /**
     * The folder.
     *
     * @return its absolute path
     */
    public Path dir() {
        return dir;
    }

    /**
     * The names of every case ({@code cases/*.json} without the extension), sorted.
     *
     * @return the names
     */
    public List<String> caseNames() {
        List<String> names = new ArrayList<>();
        for (Path p : caseFiles()) {
            String f = p.getFileName().toString();
            names.add(f.substring(0, f.length() - ".json".length()));
        }
        return names;
    }

    /**
     * Every case file, sorted by name.
     *
     * @return the files
     */
    public List<Path> caseFiles() {
        try (Stream<Path> s = Files.list(dir.resolve("cases"))) {
            List<Path> files = new ArrayList<>();
            s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted()
                    .forEach(files::add);
            return Collections.unmodifiableList(files);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir.resolve("cases"), e);
        }
    }

    /**
     * The file of a case.
     *
     * @param name the case name
     * @return {@code cases/<name>.json}
     * @throws IllegalArgumentException if it does not exist
     */
    public Path caseFile(String name) {
        Path p = dir.resolve("cases").resolve(name + ".json");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(
                    "case must be one of the files in "
                            + dir.resolve("cases")
                            + ", got '"
                            + name
                            + "'");
        }
        return p;
    }

    /**
     * Reads a case by name.
     *
     * @param name the case name
     * @return the case
     * @throws IOException if the file cannot be read
     */
    public GoldenCase readCase(String name) throws IOException {
        return GoldenCase.read(caseFile(name));
    }

    /**
     * A model file, which may not exist.
     *
     * @param modelId the model id, e.g. {@code toy}
     * @param extension {@code pt}, {@code json} or {@code npz}
     * @return {@code models/<id>.<extension>}
     */
    public Path modelFile(String modelId, String extension) {
        if (modelId == null
                || modelId.isEmpty()
                || modelId.contains("/")
                || modelId.contains("..")) {
            throw new IllegalArgumentException(
                    "modelId must be a plain model id, got '" + modelId + "'");
        }
        return dir.resolve("models").resolve(modelId + "." + extension);
    }

    /**
     * The TorchScript form of a model.
     *
     * @param modelId the model id
     * @return {@code models/<id>.pt} (may not exist)
     */
    public Path torchScriptFile(String modelId) {
        return modelFile(modelId, "pt");
    }

    /**
     * The architecture JSON of a model (its Block form, with the {@code .npz} it names).
     *
     * @param modelId the model id
     * @return {@code models/<id>.json} (may not exist)
     */
    public Path modelJsonFile(String modelId) {
        return modelFile(modelId, "json");
    }

    @Override
    public String toString() {
        return "FixtureRoot[" + dir + "]";
    }
}
