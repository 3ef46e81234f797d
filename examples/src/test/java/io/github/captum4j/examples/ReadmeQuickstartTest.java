package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's quickstart as a newcomer runs it: the Java program of "Quickstart", and the pom and
 * the {@code simplelogger.properties} of "Maven" are written to a fresh project, built by {@code
 * mvn} against this build's jars and run from the repository root; it must print Captum's README
 * numbers, and nothing of DJL's INFO lines or GPU probe.
 *
 * <p>Nothing touches the user's local repository: this build's artifacts (poms and the jars of
 * {@code package}) are laid out in a private local repository under {@code target/}, and every
 * other artifact is copied there from {@code ~/.m2} (a {@code file:} repository), falling back to
 * Maven Central. Skips with a message when {@code mvn} is missing or the module jars are not built
 * ({@code mvn test} without {@code package}).
 */
class ReadmeQuickstartTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "readme-quickstart").toAbsolutePath();
    private static final String GROUP_PATH = "io/github/captum4j";

    @Test
    void readmeQuickstartBuildsWithTheReadmePomAndPrintsCaptumsNumbers() throws Exception {
        Optional<Path> mvn = onPath("mvn");
        assumeTrue(mvn.isPresent(), "README quickstart test skipped: mvn is not on the PATH");
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String java = block(readme, "## Quickstart", "java");
        String pom = block(readme, "## Maven", "xml");
        String logging = block(readme, "## Maven", "properties");
        String version = projectVersion();
        Path repo = WORK.resolve("repo");
        List<String> missing = installReactorArtifacts(repo, version);
        missing.removeIf(artifactId -> !pom.contains("<artifactId>" + artifactId + "</artifactId>"));
        assumeTrue(
                missing.isEmpty(),
                "README quickstart test skipped: module jars not built (run mvn package or verify): "
                        + missing);

        Path project = WORK.resolve("project");
        deleteTree(project);
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
        Files.writeString(
                project.resolve("src/main/java/Quickstart.java"), java, StandardCharsets.UTF_8);
        Files.createDirectories(project.resolve("src/main/resources"));
        Files.writeString(
                project.resolve("src/main/resources/simplelogger.properties"),
                logging,
                StandardCharsets.UTF_8);
        Path settings = WORK.resolve("settings.xml");
        Files.writeString(settings, settings(), StandardCharsets.UTF_8);

        Path cpFile = project.resolve("cp.txt");
        Result build =
                run(
                        List.of(
                                mvn.get().toString(),
                                "-B",
                                "-q",
                                "-nsu",
                                "-s",
                                settings.toString(),
                                "-Dmaven.repo.local=" + repo,
                                "compile",
                                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                                "-Dmdep.outputFile=" + cpFile),
                        project,
                        WORK.resolve("mvn.log"),
                        600);
        assumeTrue(
                build.status() == 0 || !build.output().contains("Could not transfer"),
                "README quickstart test skipped: an artifact is neither in ~/.m2 nor downloadable"
                        + " (offline?); see "
                        + WORK.resolve("mvn.log"));
        assertThat(build.status()).as(build.output()).isZero();

        String classPath =
                project.resolve("target/classes")
                        + File.pathSeparator
                        + Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Result runResult =
                run(
                        List.of(
                                javaBin.toString(),
                                "-Dai.djl.offline=true",
                                "-cp",
                                classPath,
                                "Quickstart"),
                        ROOT,
                        WORK.resolve("run.log"),
                        300);
        assertThat(runResult.status()).as(runResult.output()).isZero();
        // The README's simplelogger.properties keeps DJL's INFO lines and GPU probe off the console.
        assertThat(runResult.output())
                .doesNotContain("Failed to detect GPU count")
                .doesNotContain(" INFO ");
        // Captum's README: [[-0.5922, -1.5497, -1.0067], [0.0000, -0.2219, -5.1991]]
        double[] printed = firstArray(runResult.output(), 6);
        assertThat(printed)
                .as(runResult.output())
                .containsExactly(
                        new double[] {-0.5922, -1.5497, -1.0067, 0.0, -0.2219, -5.1991},
                        org.assertj.core.data.Offset.offset(1e-4));
    }

    /** The numbers of the first printed line {@code [a, b, ...]} holding {@code n} numbers. */
    static double[] firstArray(String output, int n) {
        for (String line : output.split("\n")) {
            String t = line.strip();
            if (t.startsWith("[") && t.endsWith("]")) {
                String[] parts = t.substring(1, t.length() - 1).split(",");
                if (parts.length == n) {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = Double.parseDouble(parts[i].strip());
                    }
                    return v;
                }
            }
        }
        throw new AssertionError("no line of " + n + " numbers in:\n" + output);
    }

    /** The first fenced block of a language after a heading. */
    static String block(String markdown, String heading, String language) {
        int at = markdown.indexOf("\n" + heading + "\n");
        assertThat(at).as("README heading " + heading).isNotNegative();
        Matcher m =
                Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
                        .matcher(markdown);
        assertThat(m.find(at)).as("a ```" + language + " block after " + heading).isTrue();
        return m.group(1);
    }

    private static String projectVersion() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /**
     * Lays out every module's pom (and jar, when the module packages one) as {@code mvn install}
     * would, in {@code repo}; returns the modules whose jar is missing (not built yet).
     */
    private static List<String> installReactorArtifacts(Path repo, String version)
            throws IOException {
        List<String> missing = new ArrayList<>();
        install(repo, "captum4j-parent", version, ROOT.resolve("pom.xml"), null);
        try (var dirs = Files.list(ROOT)) {
            for (Path dir : dirs.sorted().toList()) {
                Path pom = dir.resolve("pom.xml");
                if (!Files.isRegularFile(pom) || dir.getFileName().toString().equals("examples")) {
                    continue;
                }
                String artifactId = artifactId(Files.readString(pom, StandardCharsets.UTF_8));
                boolean packagesPom =
                        Files.readString(pom, StandardCharsets.UTF_8)
                                .contains("<packaging>pom</packaging>");
                Path jar = dir.resolve("target/" + artifactId + "-" + version + ".jar");
                if (!packagesPom && !Files.isRegularFile(jar)) {
                    missing.add(artifactId);
                    continue;
                }
                install(repo, artifactId, version, pom, packagesPom ? null : jar);
            }
        }
        return missing;
    }

    private static String artifactId(String pom) {
        // the module's own artifactId: the first one after the parent block (or the first one)
        int from = Math.max(0, pom.indexOf("</parent>"));
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(pom);
        assertThat(m.find(from)).isTrue();
        return m.group(1);
    }

    private static void install(Path repo, String artifactId, String version, Path pom, Path jar)
            throws IOException {
        Path dir = repo.resolve(GROUP_PATH).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        String base = artifactId + "-" + version;
        Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The user's local repository as a read-only {@code file:} repository, then Central. */
    private static String settings() {
        Path m2 =
                Path.of(
                        System.getProperty(
                                "captum4j.userRepository",
                                System.getProperty("user.home") + "/.m2/repository"));
        String repository =
                "<repository><id>%s</id><url>%s</url><releases><enabled>true</enabled></releases>"
                        + "<snapshots><enabled>false</enabled></snapshots></repository>";
        String pluginRepository = repository.replace("repository>", "pluginRepository>");
        String m2Url = m2.toUri().toString();
        String central = "https://repo.maven.apache.org/maven2";
        return "<settings><profiles><profile><id>seeded</id><repositories>"
                + String.format(repository, "user-m2", m2Url)
                + String.format(repository, "central", central)
                + "</repositories><pluginRepositories>"
                + String.format(pluginRepository, "user-m2", m2Url)
                + String.format(pluginRepository, "central", central)
                + "</pluginRepositories></profile></profiles>"
                + "<activeProfiles><activeProfile>seeded</activeProfile></activeProfiles>"
                + "</settings>";
    }

    private record Result(int status, String output) {}

    private static Result run(List<String> command, Path dir, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "; see " + log);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Optional<Path> onPath(String name) {
        for (String dir :
                System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
