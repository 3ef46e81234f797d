package io.github.captum4j.notebook;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Java kernel for Jupyter: cells are JShell snippets run in the kernel's JVM, on the class path
 * the kernel was started with (captum4j and DJL), through JJava's Jupyter protocol implementation.
 * The value of a cell's last expression is shown: a {@code BufferedImage} as a PNG picture, other
 * values as text. {@code display(Object)} shows a value at once and {@code html(String)} shows
 * HTML, e.g. {@code TextVisualization.visualizeText(...)}.
 *
 * <p>Started by Jupyter as {@code java -cp KERNEL_JAR:CLASSPATH
 * io.github.captum4j.notebook.CaptumKernel CONNECTION_FILE} (see {@code install-kernel.sh}).
 */
public final class CaptumKernel extends BaseKernel {

    private static final String STARTUP =
            String.join(
                    "\n",
                    "import java.nio.file.*;",
                    "import java.util.*;",
                    "import java.awt.image.BufferedImage;",
                    "void display(Object value) {"
                            + " io.github.captum4j.notebook.CaptumKernel.show(value); }",
                    "void html(String html) {"
                            + " io.github.captum4j.notebook.CaptumKernel.showHtml(html); }");

    private static volatile CaptumKernel current;

    private final JShell shell;

    private CaptumKernel(
            String name,
            String version,
            HistoryManager history,
            JupyterIO io,
            CommManager comms,
            Renderer renderer,
            MagicTranspiler transpiler,
            MagicsRegistry magics,
            StringStyler errorStyler) {
        super(
                name,
                version,
                new LanguageInfo.Builder("Java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("java")
                        .build(),
                List.of(),
                history,
                io,
                comms,
                renderer,
                new MagicParser("(?!)", "(?!)", transpiler), // no magics: cells are plain Java
                magics,
                false,
                errorStyler);
        Image.registerAll(getRenderer());
        shell =
                JShell.builder()
                        .executionEngine(new CapturingExecution(), Map.of())
                        .out(System.out)
                        .err(System.err)
                        .build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        current = this;
        try {
            evalRaw(STARTUP);
        } catch (RuntimeException e) {
            throw new IllegalStateException("kernel startup snippets failed", e);
        }
    }

    /** Builds the kernel from JJava's defaults. */
    private static final class Builder extends BaseKernelBuilder<Builder, CaptumKernel> {
        @Override
        public CaptumKernel build() {
            return new CaptumKernel(
                    buildName(),
                    buildVersion(),
                    buildHistoryManager(),
                    buildJupyterIO(buildJupyterIOEncoding()),
                    buildCommManager(),
                    buildRenderer(),
                    buildMagicTranspiler(),
                    buildMagicsRegistry(),
                    buildErrorStyler());
        }
    }

    /**
     * Runs the kernel for Jupyter.
     *
     * @param args the connection file Jupyter wrote
     * @throws Exception if the connection cannot be made
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CaptumKernel CONNECTION_FILE");
            System.exit(2);
        }
        disableNnpack();
        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        KernelConnectionProperties props = KernelConnectionProperties.parse(json);
        JupyterConnection connection = new JupyterConnection(props);
        CaptumKernel kernel = new Builder().name("captum4j").version("0.1.0").build();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        kernel.shell.close();
    }

    /**
     * The kernel's engine choice, made once before any cell runs (as the CLI's): libtorch's NNPACK
     * off, so CPUs NNPACK does not support print no "Could not initialize NNPACK" line per
     * convolution into the cells. Reflective, as captum4j is on the notebooks' class path only.
     */
    private static void disableNnpack() {
        try {
            Class.forName("io.github.captum4j.core.EngineSettings")
                    .getMethod("setNnpackEnabled", boolean.class)
                    .invoke(null, false);
        } catch (ReflectiveOperationException | LinkageError e) {
            // captum4j is not on the class path, or libtorch's context is not reachable here
        }
    }

    /**
     * Shows a value in the cell's output now (the notebook's {@code display(value)}).
     *
     * @param value the value; pictures are shown as PNG
     */
    public static void show(Object value) {
        CaptumKernel k = current;
        if (k != null && value != null) {
            k.display(k.getRenderer().render(value));
        }
    }

    /**
     * Shows HTML in the cell's output now (the notebook's {@code html(text)}).
     *
     * @param html the HTML
     */
    public static void showHtml(String html) {
        CaptumKernel k = current;
        if (k != null && html != null) {
            DisplayData d = new DisplayData();
            d.putHTML(html);
            k.display(d);
        }
    }

    @Override
    public Object evalRaw(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        Object last = null;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            String source = info.completeness().isComplete() ? info.source() : remaining;
            remaining = info.completeness().isComplete() ? info.remaining() : "";
            last = null;
            for (SnippetEvent e : shell.eval(source)) {
                check(e);
                if (e.causeSnippet() == null && shows(e.snippet())) {
                    last = CapturingExecution.take(e.value());
                }
            }
        }
        return last;
    }

    /** Expressions and their temporary variables ({@code $1}) are shown; declarations are not. */
    private static boolean shows(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION
                || (s instanceof VarSnippet
                        && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    }

    private void check(SnippetEvent e) {
        if (e.exception() != null) {
            Exception ex = e.exception();
            if (ex instanceof EvalException eval) {
                RuntimeException r =
                        new RuntimeException(
                                eval.getExceptionClassName() + ": " + eval.getMessage());
                r.setStackTrace(eval.getStackTrace());
                throw r;
            }
            if (ex instanceof UnresolvedReferenceException) {
                throw new RuntimeException(
                        "unresolved reference in: " + e.snippet().source().strip());
            }
            throw new RuntimeException(ex.getMessage(), ex);
        }
        if (e.status() == Snippet.Status.REJECTED) {
            String diagnostics =
                    shell.diagnostics(e.snippet())
                            .map(d -> describe(e.snippet(), d))
                            .collect(Collectors.joining("\n"));
            throw new RuntimeException("compilation failed:\n" + diagnostics);
        }
    }

    private static String describe(Snippet s, Diag d) {
        String src = s.source();
        int at = (int) Math.max(0, Math.min(src.length(), d.getStartPosition()));
        int line = 1 + (int) src.substring(0, at).chars().filter(c -> c == '\n').count();
        return "line " + line + ": " + d.getMessage(Locale.ROOT);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> options =
                shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
                        .map(SourceCodeAnalysis.Suggestion::continuation)
                        .distinct()
                        .collect(Collectors.toList());
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c =
                shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        if (c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY) {
            return IS_COMPLETE_YES;
        }
        return c == SourceCodeAnalysis.Completeness.UNKNOWN ? IS_COMPLETE_BAD : IS_COMPLETE_MAYBE;
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        shell.close();
    }
}
