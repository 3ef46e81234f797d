package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;

import java.util.function.Function;

/**
 * One row of the {@code bench} subcommand: an attribution call and its raw counterpart, the plain
 * DJL passes over exactly the rows the method evaluates.
 *
 * @param name the row's label
 * @param inputShape the attributed batch
 * @param attribution the call, on a random input of {@code inputShape}
 * @param raw builds the raw passes' inputs (untimed) and returns the timed raw body
 * @param captumSeconds the reference's time for this row (PERF-ANCHORS), or 0
 */
record BenchCase(
        String name,
        Shape inputShape,
        Function<Inputs, Attribution> attribution,
        RawPass raw,
        double captumSeconds) {

    /** The raw counterpart of an attribution call. */
    @FunctionalInterface
    interface RawPass {
        /**
         * Prepares the raw passes' inputs, untimed.
         *
         * @param x the attributed input
         * @param manager the manager of the row's arrays
         * @return the timed body: the raw passes
         */
        Runnable prepare(NDArray x, NDManager manager);
    }
}
