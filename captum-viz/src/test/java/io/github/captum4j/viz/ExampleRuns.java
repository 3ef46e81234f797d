package io.github.captum4j.viz;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the repository's example scripts as a user would, on this build's class path. */
final class ExampleRuns {

    /** The examples folder of the repository (captum-viz's tests run in captum-viz/). */
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    private ExampleRuns() {}

    /** A finished process: exit status and what it printed (stdout and stderr together). */
    record Result(int exitStatus, String output) {}

    /** The class path of this test run: captum-viz, captum-attr, captum-core, DJL, libtorch. */
    static String classPath() {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                kept.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** An executable on the PATH, if present. */
    static Optional<Path> onPath(String name) {
        for (String dir :
                System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs a command with extra environment variables, killing it after the timeout. */
    static Result run(List<String> command, Map<String, String> env, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(
                    "timed out after " + timeoutSeconds + " s: " + command.get(0) + "; see " + log);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
