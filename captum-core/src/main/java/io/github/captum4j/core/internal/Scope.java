package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The per-call memory discipline: the caller's arrays are borrowed into a scratch manager (so every
 * intermediate computed from them lands there and dies with it), and only the result is handed back
 * to the caller's manager.
 *
 * <p>DJL puts an operation's result in the manager of its first operand; borrowing makes that the
 * scratch manager for expressions that start from a caller's array. Borrowed arrays return to their
 * own managers when the scratch manager closes.
 *
 * <p>Not API: may change without notice.
 */
public final class Scope {

    /**
     * Results made from JVM values by the current call on this thread ({@link #fresh}): new,
     * contiguous and shared with nothing, so the hand-over moves them instead of copying them.
     */
    private static final ThreadLocal<Set<NDArray>> FRESH =
            ThreadLocal.withInitial(() -> Collections.newSetFromMap(new IdentityHashMap<>()));

    private Scope() {}

    /**
     * A result made from JVM values, in the call's scratch manager: {@link #handOver} gives the
     * caller this very array (one engine call in all) rather than a copy. Made inside a call's
     * frame, which forgets it when the call ends.
     *
     * @param scratch the call's manager
     * @param values the values, row-major
     * @param shape their shape
     * @return the array, float32
     */
    public static NDArray fresh(NDManager scratch, float[] values, Shape shape) {
        NDArray a = scratch.create(values, shape);
        FRESH.get().add(a);
        return a;
    }

    /** Forgets the call's {@link #fresh} results (the frame, when its call ends either way). */
    static void endCall() {
        FRESH.get().clear();
    }

    /**
     * Temporarily attaches every array of the inputs (tensors, baseline tensors, NDArray additional
     * arguments) to {@code scratch}. Each array is borrowed once even if it is passed in several
     * places.
     *
     * @param scratch the per-call manager
     * @param inputs the caller's inputs
     */
    public static void borrow(NDManager scratch, Inputs inputs) {
        List<NDArray> arrays = new ArrayList<>(inputs.tensors());
        Baselines b = inputs.baselines();
        if (b instanceof Baselines.PerInput) {
            for (Object v : ((Baselines.PerInput) b).values()) {
                if (v instanceof NDArray) {
                    arrays.add((NDArray) v);
                }
            }
        } else if (b instanceof Baselines.Distribution) {
            arrays.addAll(((Baselines.Distribution) b).samples());
        }
        for (Object a : inputs.additionalArgs()) {
            if (a instanceof NDArray) {
                arrays.add((NDArray) a);
            }
        }
        borrow(scratch, arrays);
    }

    /**
     * Temporarily attaches arrays to {@code scratch}, each once, skipping arrays already there.
     *
     * @param scratch the manager to borrow into
     * @param arrays the arrays
     */
    public static void borrow(NDManager scratch, List<NDArray> arrays) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NDArray a : arrays) {
            if (a != null && a.getManager() != scratch && seen.add(a)) {
                scratch.tempAttachAll(a);
            }
        }
    }

    /**
     * Hands results to the caller: each becomes an owned, contiguous array in the caller's manager
     * (a view, a strided or an expanded result would otherwise leave a hidden contiguous copy in
     * the caller's manager at every {@code toFloatArray}); the originals stay in the scratch
     * manager and close with it. Call it inside the call's scratch scope.
     *
     * @param caller the caller's manager
     * @param arrays the results
     * @return the owned copies, in order
     */
    public static NDList handOver(NDManager caller, NDList arrays) {
        return handOver(caller, arrays, read(arrays));
    }

    /**
     * The values of results as the JVM reads them (one copy out of the engine each, contiguous, in
     * native byte order), to be checked before {@link #handOver(NDManager, NDList, List)} makes the
     * caller's arrays from them.
     *
     * @param arrays the results (null entries allowed)
     * @return one buffer per result, {@code null} for a null result
     */
    public static List<ByteBuffer> read(NDList arrays) {
        List<ByteBuffer> values = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            values.add(a == null ? null : a.toByteBuffer());
        }
        return values;
    }

    /**
     * {@link #handOver(NDManager, NDList)} from values already read by {@link #read}.
     *
     * @param caller the caller's manager
     * @param arrays the results
     * @param values their values, from {@link #read}
     * @return the owned copies, in order
     */
    public static NDList handOver(NDManager caller, NDList arrays, List<ByteBuffer> values) {
        NDList out = new NDList(arrays.size());
        for (int i = 0; i < arrays.size(); i++) {
            out.add(owned(caller, arrays.get(i), values.get(i)));
        }
        return out;
    }

    /**
     * {@link #handOver(NDManager, NDList)} of one result.
     *
     * @param caller the caller's manager
     * @param array the result, or {@code null}
     * @return its owned copy, or {@code null}
     */
    public static NDArray handOver(NDManager caller, NDArray array) {
        // toByteBuffer makes any contiguous copy it needs in the array's (scratch) manager.
        return owned(caller, array, array == null ? null : array.toByteBuffer());
    }

    private static NDArray owned(NDManager caller, NDArray array, ByteBuffer values) {
        if (array == null) {
            return null;
        }
        if (FRESH.get().remove(array)) {
            array.attach(caller);
            return array;
        }
        NDArray owned = caller.create(values.duplicate().rewind(), array.getShape(), array.getDataType());
        owned.setName(array.getName());
        return owned;
    }
}
