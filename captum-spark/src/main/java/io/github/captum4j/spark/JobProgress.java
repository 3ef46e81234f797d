package io.github.captum4j.spark;

import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long job on the driver: a daemon thread that prints the rows done and the rows per
 * second every interval, and a last line when closed.
 *
 * <pre>{@code
 * try (JobProgress p = JobProgress.watch(explained.rowsDone(), total, Duration.ofSeconds(5), System.err)) {
 *     explained.rows().write().parquet(out);
 * }
 * }</pre>
 */
public final class JobProgress implements AutoCloseable {
    private final LongSupplier rowsDone;
    private final long totalRows;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean closed;
    private Runnable onClose = () -> {};

    private JobProgress(LongSupplier rowsDone, long totalRows, Duration interval, PrintStream out) {
        this.rowsDone = rowsDone;
        this.totalRows = totalRows;
        this.out = out;
        thread =
                new Thread(
                        () -> {
                            while (!closed) {
                                try {
                                    Thread.sleep(interval.toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                }
                                if (!closed) {
                                    out.println(line());
                                }
                            }
                        },
                        "captum4j-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts reporting.
     *
     * @param rowsDone the job's counter ({@link ExplainedDataset#rowsDone()})
     * @param totalRows rows expected, or {@code <= 0} if unknown
     * @param interval time between lines
     * @param out where lines go
     * @return the reporter; close it when the job ends
     */
    public static JobProgress watch(
            LongAccumulator rowsDone, long totalRows, Duration interval, PrintStream out) {
        return new JobProgress(rowsDone::value, totalRows, interval, out);
    }

    /**
     * Starts reporting, counting also the rows of running tasks as their executors report them
     * (with each heartbeat, {@code spark.executor.heartbeatInterval}, 10 s by default), not only
     * those of finished tasks.
     *
     * @param spark the job's context
     * @param rowsDone the job's counter ({@link ExplainedDataset#rowsDone()})
     * @param totalRows rows expected, or {@code <= 0} if unknown
     * @param interval time between lines
     * @param out where lines go
     * @return the reporter; close it when the job ends
     */
    public static JobProgress watch(
            org.apache.spark.SparkContext spark,
            LongAccumulator rowsDone,
            long totalRows,
            Duration interval,
            PrintStream out) {
        RunningTasks running = new RunningTasks(rowsDone.id());
        spark.addSparkListener(running);
        JobProgress p =
                new JobProgress(() -> rowsDone.value() + running.rows(), totalRows, interval, out);
        p.onClose = () -> spark.removeSparkListener(running);
        return p;
    }

    /**
     * Rows per second so far.
     *
     * @return the rate
     */
    public double rowsPerSecond() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds > 0 ? rowsDone.getAsLong() / seconds : 0;
    }

    /**
     * The progress line: rows done (of total), rows per second, elapsed time.
     *
     * @return the line
     */
    public String line() {
        long done = rowsDone.getAsLong();
        String of = totalRows > 0 ? String.format(Locale.ROOT, " / %,d (%.0f%%)", totalRows, 100.0 * done / totalRows) : "";
        return String.format(
                Locale.ROOT,
                "captum4j: %,d rows%s, %,.0f rows/s, %.1f s",
                done,
                of,
                rowsPerSecond(),
                (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            thread.interrupt();
            onClose.run();
            out.println(line());
        }
    }

    /** Rows counted by tasks still running, from the accumulator updates of executor heartbeats. */
    private static final class RunningTasks extends org.apache.spark.scheduler.SparkListener {
        private final long accumulatorId;
        private final java.util.concurrent.ConcurrentHashMap<Long, Long> byTask =
                new java.util.concurrent.ConcurrentHashMap<>();

        RunningTasks(long accumulatorId) {
            this.accumulatorId = accumulatorId;
        }

        long rows() {
            return byTask.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void onExecutorMetricsUpdate(
                org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate update) {
            scala.collection.Iterator<
                            scala.Tuple4<
                                    Object,
                                    Object,
                                    Object,
                                    scala.collection.Seq<org.apache.spark.scheduler.AccumulableInfo>>>
                    it = update.accumUpdates().iterator();
            while (it.hasNext()) {
                var t = it.next();
                scala.collection.Iterator<org.apache.spark.scheduler.AccumulableInfo> infos =
                        t._4().iterator();
                while (infos.hasNext()) {
                    var info = infos.next();
                    if (info.id() == accumulatorId && info.update().isDefined()) {
                        byTask.put((Long) t._1(), ((Number) info.update().get()).longValue());
                    }
                }
            }
        }

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            byTask.remove(end.taskInfo().taskId());
        }
    }
}
