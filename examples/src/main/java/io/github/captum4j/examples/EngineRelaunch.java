package io.github.captum4j.examples;

import io.github.captum4j.core.internal.EngineCheck;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs the CLI again in a child JVM with {@code DNNL_MAX_CPU_ISA=AVX} when libtorch's convolution
 * gradients are wrong on this CPU ({@link EngineCheck}), so every subcommand gives right numbers
 * without the user knowing about the variable. A process cannot change its own environment, hence
 * the child; it inherits the console, the JVM options and the class path.
 */
final class EngineRelaunch {

    private EngineRelaunch() {}

    /**
     * Relaunches when needed and returns the child's exit status.
     *
     * @param mainClass the class whose {@code main} the child runs
     * @param args the command-line arguments
     * @return the child's exit status, or empty when no relaunch was needed or possible
     */
    static Optional<Integer> ifNeeded(Class<?> mainClass, String[] args) {
        if (System.getenv(EngineCheck.ISA_VARIABLE) != null
                || EngineCheck.convolutionGradientsAreRight()) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put(EngineCheck.ISA_VARIABLE, EngineCheck.SAFE_ISA);
        try {
            return Optional.of(pb.start().waitFor());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}
