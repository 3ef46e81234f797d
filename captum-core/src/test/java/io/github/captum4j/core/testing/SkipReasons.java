package io.github.captum4j.core.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints on the console why a test did not run: a disabled test's reason and a failed assumption's
 * message (e.g. "notebook test skipped: jupyter-nbconvert is not installed"), which Surefire
 * otherwise keeps in its XML reports only. Registered for every module's tests through {@code
 * META-INF/services} in captum-core's test jar.
 */
public final class SkipReasons implements TestExecutionListener {

    /** Creates the listener (found by the JUnit Platform's service loader). */
    public SkipReasons() {}

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.err.println("[SKIPPED] " + test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason =
                    result.getThrowable().map(Throwable::getMessage).orElse("assumption failed");
            System.err.println("[SKIPPED] " + test.getDisplayName() + ": " + reason);
        }
    }
}
