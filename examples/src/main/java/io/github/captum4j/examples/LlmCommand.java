package io.github.captum4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code llm} subcommand: {@code llm demo [--out DIR]} ({@link LlmDemo}) and {@code llm bench
 * [FIXTURES [REPEATS]]} ({@link LlmBench}).
 */
final class LlmCommand {

    private LlmCommand() {}

    static int run(String[] args, PrintStream out) {
        String sub = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (sub) {
            case "demo":
                try {
                    Path dir = rest.length == 2 && rest[0].equals("--out") ? Path.of(rest[1]) : Path.of("target/llm-demo");
                    return LlmDemo.run(dir, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            case "bench":
                return LlmBench.run(rest, out);
            default:
                throw new Cli.UsageException("llm subcommand must be demo or bench, got '" + sub + "'");
        }
    }
}
