package io.github.captum4j.examples;

import io.github.captum4j.conformance.ConformanceRunner;
import io.github.captum4j.conformance.check.ModelForm;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The captum4j command line ({@code java -jar captum4j-cli.jar <command> ...}):
 *
 * <ul>
 *   <li>{@code conformance DIR [--filter REGEX] [--form torchscript|block|both]}: runs every golden
 *       case in {@code DIR/cases} and ends with {@code N passed, M failed, K skipped}; exit status
 *       1 if any case failed.
 *   <li>{@code demo [--out DIR]}: trains a small CNN on a synthetic task whose class is decided by
 *       one object, explains it with every image method and scores the explanations (localisation
 *       against the object's box, infidelity, sensitivityMax, randomisation sanity check); writes a
 *       table (CSV, Markdown) and a heat-map panel (PNG) to DIR (default {@code target/demo}).
 *   <li>{@code quickstart [--fixtures DIR]}: Integrated Gradients on the fixtures' {@code toy}
 *       model, as in Captum's README.
 *   <li>{@code insights [--model DIR] [--port N]}: Captum Insights on the {@code demo}'s trained
 *       shapes CNN (its weights in DIR, default {@code target/demo}, trained there if missing),
 *       every image method, served on 127.0.0.1.
 *   <li>{@code gradcam [--fixtures DIR]}: GradCAM on {@code layer3.1.conv2} of the ResNet-shaped
 *       {@code tiny_resnet}, upsampled to the input (Block model and TorchScript with taps).
 *   <li>{@code transformer [--fixtures DIR]}: a 4-block BERT-style encoder explained with
 *       LayerIntegratedGradients on its embeddings, LayerConductance on each block's output and
 *       its attention probabilities ({@link TransformerDemo}).
 *   <li>{@code influence [--out DIR]}: TracIn self influence finds flipped training labels of a
 *       CNN (precision at k against random ranking); proponents / opponents grid as PNG.
 *   <li>{@code bench-influence [--reps N]}: TracIn rows per second against forward + backward.
 *   <li>{@code bench-memory [FIXTURES [NSAMPLES [IBS]]]}: peak memory of every sampling method
 *       (GradientShap, NoiseTunnel, ShapleyValueSampling, Lime, KernelShap) as its samples grow
 *       10x, with its batching option; {@code bench-memory FIXTURES ig-resnet18 [NSTEPS...]}: peak
 *       memory of IntegratedGradients on ResNet-18 ({@link MemoryBench}).
 *   <li>{@code bench ...}: timing of attribution against raw forward + backward.
 * </ul>
 */
public final class Cli {

    static final String USAGE =
            String.join(
                    System.lineSeparator(),
                    "usage: captum4j <command> [options]",
                    "  conformance DIR [--filter REGEX] [--form torchscript|block|both]",
                    "      run every golden case in DIR/cases on each model form",
                    "  demo [--out DIR]",
                    "      train a CNN on a synthetic task, explain it with every image method,"
                            + " score and draw the explanations (default DIR: target/demo)",
                    "  quickstart [--fixtures DIR]",
                    "      Integrated Gradients on the toy model (fixtures default:"
                            + " src-test-resources)",
                    "  insights [--model DIR] [--port N]",
                    "      Captum Insights on the demo's shapes CNN (weights from DIR, default"
                            + " target/demo; trained there if missing), served on 127.0.0.1",
                    "  gradcam [--fixtures DIR]",
                    "      GradCAM on layer3.1.conv2 of tiny_resnet, upsampled to the input",
                    "  transformer [--fixtures DIR]",
                    "      a 4-block BERT-style encoder: LayerIG on the embeddings, LayerConductance"
                            + " per block, attention probabilities",
                    "  llm demo [--out DIR] | llm bench [FIXTURES [REPEATS]]",
                    "      LLM attribution: demo on a trained tiny causal LM; bench vs raw passes",
                    "  influence [--out DIR]",
                    "      TracIn on a CNN trained with 5% flipped labels: precision at k of self"
                            + " influence, proponents / opponents grid (default DIR:"
                            + " target/influence)",
                    "  bench-influence [--reps N]",
                    "      TracIn training rows per second against batched forward + backward",
                    "  bench-memory [FIXTURES [NSAMPLES [INTERNAL_BATCH_SIZE]]]",
                    "      peak memory of the sampling methods as samples grow 10x, with their batching option",
                    "  bench-memory FIXTURES ig-resnet18 [NSTEPS...]",
                    "      peak memory of IG on ResNet-18 (internalBatchSize 50), default nSteps 50 and 1000",
                    "  robust [--out DIR]",
                    "      FGSM / PGD adversarial examples and an AttackComparator table on the"
                            + " shapes CNN",
                    "  tcav [--out DIR]",
                    "      TCAV of drawn concepts per class of the shapes CNN, with p-values",
                    "  bench [options]",
                    "      attribution time against raw forward + backward");

    private Cli() {}

    /**
     * Entry point.
     *
     * @param args the command and its arguments
     * @throws Exception if the bench subcommand fails to read a model
     */
    public static void main(String[] args) throws Exception {
        EngineDefaults.apply();
        java.util.Optional<Integer> child = EngineRelaunch.ifNeeded(Cli.class, args);
        if (child.isPresent()) {
            System.exit(child.get());
        }
        if (args.length > 0 && args[0].equals("bench")) {
            Bench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command (other than {@code bench}, which owns its exit status).
     *
     * @param args the command and its arguments
     * @param out where reports go
     * @param err where usage errors go
     * @return the exit status: 0 success, 1 a conformance failure, 2 a usage error
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0
                || args[0].equals("-h")
                || args[0].equals("--help")
                || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "conformance":
                    return conformance(rest, out);
                case "demo":
                    try {
                        return ShapesDemo.run(outDir(rest), out);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                case "quickstart":
                    return Quickstart.run(fixtures(rest), out);
                case "insights":
                    return InsightsDemo.run(rest, out);
                case "gradcam":
                    return GradCamDemo.run(fixtures(rest), out);
                case "transformer":
                    return TransformerDemo.run(fixtures(rest), out);
                case "llm":
                    return LlmCommand.run(rest, out);
                case "influence":
                    return InfluenceDemo.run(rest, out);
                case "bench-influence":
                    return InfluenceBench.run(rest, out);
                case "bench-memory":
                    return MemoryBench.run(rest, out);
                case "robust":
                    return RobustDemo.run(outDir(rest), out);
                case "tcav":
                    return TcavDemo.run(outDir(rest), out);
                default:
                    throw new UsageException("unknown command '" + args[0] + "'");
            }
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int conformance(String[] args, PrintStream out) {
        Path dir = null;
        Pattern filter = null;
        Set<ModelForm> forms = EnumSet.allOf(ModelForm.class);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--filter":
                    String regex = value(args, ++i, "--filter");
                    try {
                        filter = Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        throw new UsageException(
                                "--filter must be a regular expression, got '" + regex + "'");
                    }
                    break;
                case "--form":
                    try {
                        forms = ModelForm.parse(value(args, ++i, "--form"));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                    break;
                default:
                    if (args[i].startsWith("--") || dir != null) {
                        throw new UsageException(
                                "unexpected conformance argument '" + args[i] + "'");
                    }
                    dir = Paths.get(args[i]);
            }
        }
        if (dir == null) {
            throw new UsageException("conformance needs the fixture folder DIR");
        }
        if (!Files.isDirectory(dir.resolve("cases")) || !Files.isDirectory(dir.resolve("models"))) {
            throw new UsageException(
                    "DIR must hold cases/ and models/, got " + dir.toAbsolutePath());
        }
        return new ConformanceRunner(dir, filter, forms).run(out).exitStatus();
    }

    private static Path fixtures(String[] args) {
        Path dir = Paths.get("src-test-resources");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--fixtures")) {
                dir = Paths.get(value(args, ++i, "--fixtures"));
            } else {
                throw new UsageException("unexpected demo argument '" + args[i] + "'");
            }
        }
        if (!Files.isRegularFile(dir.resolve("models").resolve("toy.pt"))) {
            throw new UsageException(
                    "the fixture folder must hold models/toy.pt, got "
                            + dir.toAbsolutePath()
                            + " (use --fixtures DIR)");
        }
        return dir;
    }

    private static Path outDir(String[] args) {
        Path dir = Paths.get("target", "demo");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                dir = Paths.get(value(args, ++i, "--out"));
            } else {
                throw new UsageException("unexpected demo argument '" + args[i] + "'");
            }
        }
        return dir;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    /** A command-line mistake: reported with the usage, exit status 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
