package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A sum of tensor lists accumulated over batches that are each computed in their own short-lived
 * sub-manager: the running total lives in the long-lived manager, the batches' arrays die with
 * theirs.
 *
 * <p>Not API: may change without notice.
 */
public final class RunningSum {

    private final NDManager home;
    private NDList total;

    /**
     * An empty sum whose total lives in {@code home}.
     *
     * @param home the manager that outlives the batches
     */
    public RunningSum(NDManager home) {
        this.home = home;
    }

    /**
     * Adds one batch's tensors, element-wise, to the total.
     *
     * @param parts the batch's tensors (same count and shapes every time)
     */
    public void add(NDList parts) {
        NDList next;
        if (total == null) {
            next = parts;
        } else {
            next = new NDList(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                next.add(parts.get(i).add(total.get(i)));
            }
            total.close();
        }
        for (NDArray t : next) {
            t.attach(home);
        }
        total = next;
    }

    /**
     * The total so far.
     *
     * @return the total, or {@code null} if nothing was added
     */
    public NDList total() {
        return total;
    }
}
