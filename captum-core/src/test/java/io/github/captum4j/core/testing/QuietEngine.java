package io.github.captum4j.core.testing;

import ai.djl.engine.EngineException;

import io.github.captum4j.core.EngineSettings;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The test build's engine choice, made once before the first test as the CLI makes it: libtorch's
 * NNPACK off, so that on CPUs NNPACK does not support the test log gets no "Could not initialize
 * NNPACK! Reason: Unsupported hardware." line per convolution. Registered for every module's tests
 * through {@code META-INF/services} in captum-core's test jar.
 */
public final class QuietEngine implements TestExecutionListener {

    /** Creates the listener (found by the JUnit Platform's service loader). */
    public QuietEngine() {}

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        try {
            EngineSettings.setNnpackEnabled(false);
        } catch (UnsupportedOperationException | EngineException | LinkageError e) {
            // no libtorch here, or its context is not reachable: tests run with its defaults
        }
    }
}
