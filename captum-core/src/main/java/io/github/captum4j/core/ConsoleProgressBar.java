package io.github.captum4j.core;

import java.io.PrintStream;
import java.util.Locale;

/** The text progress bar of {@link ProgressListener#console(PrintStream)}. */
final class ConsoleProgressBar implements ProgressListener {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private long lastPermille = -1;

    ConsoleProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void onProgress(String task, long done, long total) {
        long permille = total <= 0 ? 1000 : Math.min(1000, done * 1000 / total);
        // Redraw only when the bar visibly moves: a fast call makes thousands of passes.
        if (permille == lastPermille && done != total) {
            return;
        }
        lastPermille = permille;
        int filled = (int) (permille * WIDTH / 1000);
        out.print(
                String.format(
                        Locale.ROOT,
                        "\r%s [%s%s] %d/%d (%d%%)",
                        task,
                        "#".repeat(filled),
                        ".".repeat(WIDTH - filled),
                        done,
                        total,
                        permille / 10));
        if (done >= total) {
            out.println();
            lastPermille = -1;
        }
        out.flush();
    }
}
