package io.github.captum4j.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Main class of {@code captum4j-spark.jar} (not API). Spark is a provided dependency, so when Spark
 * is already on the class path (e.g. under {@code spark-submit}) this runs {@link
 * ExplainDatasetCli} directly; otherwise it starts it in a child JVM whose class path is the jar
 * plus the {@code lib/} folder beside it (Spark from Maven included), with the JVM options of this
 * one, {@code -Dai.djl.offline=true} and the {@code --add-opens} flags Spark needs on Java 17.
 */
public final class Launcher {

    /** What Spark 3.5 opens on Java 17 (its launcher's {@code JavaModuleOptions}). */
    static final List<String> JAVA17_OPENS =
            List.of(
                    "java.base/java.lang",
                    "java.base/java.lang.invoke",
                    "java.base/java.lang.reflect",
                    "java.base/java.io",
                    "java.base/java.net",
                    "java.base/java.nio",
                    "java.base/java.util",
                    "java.base/java.util.concurrent",
                    "java.base/java.util.concurrent.atomic",
                    "java.base/sun.nio.ch",
                    "java.base/sun.nio.cs",
                    "java.base/sun.security.action",
                    "java.base/sun.util.calendar");

    private Launcher() {}

    /**
     * Runs the command line.
     *
     * @param args the command line of {@link ExplainDatasetCli}
     * @throws IOException if the child JVM cannot start
     * @throws InterruptedException if interrupted while waiting for it
     * @throws URISyntaxException if the jar's location is not a file
     */
    public static void main(String[] args)
            throws IOException, InterruptedException, URISyntaxException {
        if (sparkPresent()) {
            ExplainDatasetCli.main(args);
            return;
        }
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (System.getProperty("ai.djl.offline") == null) {
            command.add("-Dai.djl.offline=true");
        }
        for (String open : JAVA17_OPENS) {
            command.add("--add-opens=" + open + "=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + "/*");
        command.add(ExplainDatasetCli.class.getName());
        command.addAll(Arrays.asList(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        System.exit(child.waitFor());
    }

    private static boolean sparkPresent() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, Launcher.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
