package io.github.captum4j.core;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which output value an attribution explains, per example (Captum's {@code target}).
 *
 * <ul>
 *   <li>{@link #none()}: the model returns one value per example (shape {@code (N)} or {@code (N,
 *       1)}).
 *   <li>{@link #index(int)}: the same class index for every example, {@code output[:, i]}.
 *   <li>{@link #perExample(int...)}: one class index per example, {@code output[n, i_n]}.
 *   <li>{@link #position(int...)}: one index tuple into the non-batch dimensions, the same for
 *       every example, {@code output[:, i, j, k]} (Captum's tuple target).
 *   <li>{@link #perExample(List)}: one index tuple per example.
 * </ul>
 *
 * <p>{@link #many(Target...)} asks one call for several targets (one attribution per target, the
 * forward passes shared where the method can: Captum issues #171, #612, #634); it is not itself a
 * target.
 *
 * <pre>{@code
 * Target t = Target.index(3);
 * List<Attribution> perClass = method.attribute(inputs, Target.many(Target.index(0), Target.index(1)), options);
 * }</pre>
 */
public sealed interface Target {

    /**
     * Several targets for one call: {@code attribute(inputs, Target.many(...), options)} returns one
     * attribution per target, in order, equal to the single calls, with the forward passes shared
     * where the method can (perturbation methods evaluate each perturbed batch once for all
     * targets).
     *
     * @param targets the targets, at least one
     * @return the targets
     */
    static Many many(Target... targets) {
        Checks.notNull(targets, "targets");
        return new Many(Arrays.asList(targets));
    }

    /**
     * Several targets of one call (see {@link Target#many(Target...)}); not a {@link Target}
     * itself.
     *
     * @param targets the targets, in order, at least one
     */
    record Many(List<Target> targets) {
        /** Validates and copies the targets. */
        public Many {
            Checks.notNull(targets, "targets");
            Checks.argument(!targets.isEmpty(), "Target.many needs at least one target, got none");
            for (int i = 0; i < targets.size(); i++) {
                Checks.argument(targets.get(i) != null, "targets[%s] must not be null", i);
            }
            targets = List.copyOf(targets);
        }

        /**
         * Number of targets.
         *
         * @return the count
         */
        public int size() {
            return targets.size();
        }
    }

    /**
     * No target: the model's output has exactly one value per example.
     *
     * @return the target
     */
    static Target none() {
        return None.INSTANCE;
    }

    /**
     * The same index into dimension 1 of the output for every example.
     *
     * @param index the class index, {@code >= 0}
     * @return the target
     */
    static Target index(int index) {
        return new Position(new int[] {index});
    }

    /**
     * The same index tuple into the non-batch dimensions for every example.
     *
     * @param indices one index per non-batch output dimension (a prefix is allowed)
     * @return the target
     */
    static Target position(int... indices) {
        return new Position(indices);
    }

    /**
     * One class index (into dimension 1) per example.
     *
     * @param indices one index per example
     * @return the target
     */
    static Target perExample(int... indices) {
        Checks.notNull(indices, "target indices");
        List<int[]> tuples = new ArrayList<>(indices.length);
        for (int i : indices) {
            tuples.add(new int[] {i});
        }
        return new PerExample(tuples);
    }

    /**
     * One index tuple into the non-batch dimensions per example.
     *
     * @param tuples one tuple per example
     * @return the target
     */
    static Target perExample(List<int[]> tuples) {
        return new PerExample(tuples);
    }

    /** No target. */
    enum None implements Target {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "Target.none()";
        }
    }

    /**
     * The same index tuple for every example.
     *
     * @param indices indices into dimensions 1, 2, ... of the output
     */
    record Position(int[] indices) implements Target {
        /**
         * Validates the indices.
         *
         * @param indices indices into dimensions 1, 2, ... of the output
         */
        public Position {
            Checks.notNull(indices, "target indices");
            Checks.argument(indices.length > 0, "target index tuple must not be empty");
            for (int i : indices) {
                Checks.argument(i >= 0, "target indices must be >= 0, got %s", indices);
            }
            indices = indices.clone();
        }

        @Override
        public int[] indices() {
            return indices.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Position && Arrays.equals(indices, ((Position) o).indices);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(indices);
        }

        @Override
        public String toString() {
            return indices.length == 1
                    ? "Target.index(" + indices[0] + ")"
                    : "Target.position" + Arrays.toString(indices);
        }
    }

    /**
     * One index tuple per example.
     *
     * @param tuples the tuples, one per example, all of the same length
     */
    record PerExample(List<int[]> tuples) implements Target {
        /**
         * Validates the tuples.
         *
         * @param tuples the tuples, one per example, all of the same length
         */
        public PerExample {
            Checks.notNull(tuples, "target tuples");
            Checks.argument(
                    !tuples.isEmpty(),
                    "per-example target must hold one entry per example, got none");
            List<int[]> copy = new ArrayList<>(tuples.size());
            int len = -1;
            for (int n = 0; n < tuples.size(); n++) {
                int[] t = tuples.get(n);
                Checks.argument(
                        t != null && t.length > 0, "target[%s] must be a non-empty index tuple", n);
                if (len < 0) {
                    len = t.length;
                }
                Checks.argument(
                        t.length == len,
                        "target[%s] must have %s indices like target[0], got %s",
                        n,
                        len,
                        t);
                for (int i : t) {
                    Checks.argument(i >= 0, "target[%s] indices must be >= 0, got %s", n, t);
                }
                copy.add(t.clone());
            }
            tuples = List.copyOf(copy);
        }

        /**
         * Number of examples.
         *
         * @return the count
         */
        public int size() {
            return tuples.size();
        }

        @Override
        public List<int[]> tuples() {
            List<int[]> copy = new ArrayList<>(tuples.size());
            for (int[] t : tuples) {
                copy.add(t.clone());
            }
            return copy;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof PerExample) || ((PerExample) o).tuples.size() != tuples.size()) {
                return false;
            }
            for (int i = 0; i < tuples.size(); i++) {
                if (!Arrays.equals(tuples.get(i), ((PerExample) o).tuples.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (int[] t : tuples) {
                h = 31 * h + Arrays.hashCode(t);
            }
            return h;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Target.perExample[");
            for (int i = 0; i < tuples.size(); i++) {
                int[] t = tuples.get(i);
                sb.append(i == 0 ? "" : ", ")
                        .append(t.length == 1 ? String.valueOf(t[0]) : Arrays.toString(t));
            }
            return sb.append(']').toString();
        }
    }
}
