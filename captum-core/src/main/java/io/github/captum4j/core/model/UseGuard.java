package io.github.captum4j.core.model;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps a model's native memory alive while it runs: every forward pass holds the read side of a
 * lock, {@link #close} takes the write side, so closing waits for the passes in flight to finish
 * and every later pass fails with an {@link IllegalStateException} saying the model is closed.
 * Without it a pass could read a weight's native handle just before another thread frees it (a
 * use after free: the JVM dies with SIGSEGV).
 *
 * <p>Gradients of a finished pass stay valid after closing: libtorch's autograd graph holds its
 * own references to the tensors it saved. Passes may nest (a read lock is reentrant).
 */
final class UseGuard {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String what;
    private volatile boolean closed;

    /**
     * @param what the model, for messages, e.g. {@code model 'tiny_resnet'}
     */
    UseGuard(String what) {
        this.what = what;
    }

    /**
     * Runs one pass over the model's native memory.
     *
     * @param body the pass
     * @param <T> the result type
     * @return the pass's result
     * @throws IllegalStateException if the model is closed
     */
    <T> T run(Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        try {
            checkOpen();
            return body.get();
        } finally {
            read.unlock();
        }
    }

    /**
     * Fails if the model is closed.
     *
     * @throws IllegalStateException if it is
     */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    /**
     * Waits for the passes in flight, then frees the model once (later calls do nothing).
     *
     * @param free frees the native memory
     * @throws IllegalStateException if called from inside one of the model's own passes
     */
    void close(Runnable free) {
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException(
                    what + " cannot be closed from inside one of its own forward passes");
        }
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                free.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
