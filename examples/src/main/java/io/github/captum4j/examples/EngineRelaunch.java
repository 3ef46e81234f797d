package io.github.captum4j.examples;

import io.github.captum4j.core.internal.EngineCheck;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the CLI again in a child JVM with the environment libtorch needs here, which a process cannot
 * give itself (OpenMP and oneDNN read it when they load). The child inherits the console, the JVM
 * options and the class path; variables the user set are never overridden.
 *
 * <ul>
 *   <li>{@code OMP_WAIT_POLICY=PASSIVE}: libtorch's OpenMP threads (GNU libgomp) sleep instead of
 *       spinning between parallel regions. On a machine with more runnable threads than cores the
 *       spinning threads steal the cores the work needs: the CLI's {@code bench} ran 15-470x
 *       faster with it on a shared 2-core machine (README, "Engine settings").
 *   <li>{@code DNNL_MAX_CPU_ISA=AVX} when libtorch's convolution gradients are wrong on this CPU
 *       ({@link EngineCheck}), so every subcommand gives right numbers without the user knowing
 *       about the variable.
 * </ul>
 */
final class EngineRelaunch {

    /** OpenMP's variable choosing whether idle threads spin or sleep. */
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    /** Idle OpenMP threads sleep. */
    static final String PASSIVE = "PASSIVE";

    private EngineRelaunch() {}

    /**
     * Relaunches when needed and returns the child's exit status.
     *
     * @param mainClass the class whose {@code main} the child runs
     * @param args the command-line arguments
     * @return the child's exit status, or empty when no relaunch was needed or possible
     */
    static Optional<Integer> ifNeeded(Class<?> mainClass, String[] args) {
        Map<String, String> missing = new LinkedHashMap<>();
        if (System.getenv(WAIT_POLICY) == null && EngineDefaults.enabled()) {
            missing.put(WAIT_POLICY, PASSIVE);
        }
        if (System.getenv(EngineCheck.ISA_VARIABLE) == null
                && !EngineCheck.convolutionGradientsAreRight()) {
            missing.put(EngineCheck.ISA_VARIABLE, EngineCheck.SAFE_ISA);
        }
        if (missing.isEmpty()) {
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
        pb.environment().putAll(missing);
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
