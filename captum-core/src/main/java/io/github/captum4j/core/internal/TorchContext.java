package io.github.captum4j.core.internal;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The part of the engine adapter that reaches libtorch's process-wide {@code at::Context}, which
 * DJL does not expose: the switch {@code at::globalContext().setUserEnabledNNPACK(bool)} (Python's
 * {@code torch.backends.nnpack.set_flags}). It calls the exported C++ functions of the libtorch
 * DJL loaded ({@code libtorch_cpu}) through JNA (a dependency of DJL's API), by their Itanium-ABI
 * names, so it works on Linux and macOS builds of libtorch, not on Windows (MSVC names).
 *
 * <p>Why NNPACK: libtorch asks {@code at::_nnpack_available()} for every convolution that does not
 * go to oneDNN, and on CPUs NNPACK cannot initialise on (e.g. AMD EPYC Zen 4) each of these calls
 * logs "Could not initialize NNPACK! Reason: Unsupported hardware." to stderr. With NNPACK disabled
 * libtorch skips the probe (and the warning) and uses its other kernels, as it would after the
 * failed probe anyway.
 *
 * <p>The flag is global to the process and read without synchronisation by every convolution:
 * set it once at start-up, before models run, never between calls.
 *
 * <p>Not API: may change without notice; the public entry point is {@code core.EngineSettings}.
 */
public final class TorchContext {

    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private static final String GET_NNPACK = "_ZNK2at7Context17userEnabledNNPACKEv";

    private static final Lazy<NativeLibrary> LIBRARY = new Lazy<>(TorchContext::open);

    private TorchContext() {}

    /**
     * Whether libtorch may use NNPACK for convolutions ({@code at::Context::userEnabledNNPACK}).
     *
     * @return the flag
     * @throws UnsupportedOperationException when libtorch's context is not reachable here
     */
    public static boolean nnpackEnabled() {
        Pointer context = context();
        // a C++ bool comes back in the low byte of the return register
        return (function(GET_NNPACK).invokeInt(new Object[] {context}) & 0xff) != 0;
    }

    /**
     * Sets whether libtorch may use NNPACK for convolutions, for the whole process.
     *
     * @param enabled the new value
     * @throws UnsupportedOperationException when libtorch's context is not reachable here
     */
    public static void setNnpackEnabled(boolean enabled) {
        Pointer context = context();
        function(SET_NNPACK).invokeVoid(new Object[] {context, enabled ? 1 : 0});
    }

    private static Pointer context() {
        return function(GLOBAL_CONTEXT).invokePointer(new Object[0]);
    }

    private static Function function(String symbol) {
        try {
            return LIBRARY.get().getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            throw new UnsupportedOperationException(
                    "libtorch " + LibUtils.getVersion() + " does not export " + symbol, e);
        }
    }

    private static NativeLibrary open() {
        if (Platform.isWindows()) {
            throw new UnsupportedOperationException(
                    "libtorch's context is reachable on Linux and macOS only, not on Windows");
        }
        // loads libtorch the way DJL does (from ~/.djl.ai or PYTORCH_LIBRARY_PATH) if not yet done
        Engine.getEngine("PyTorch");
        Path dir = Path.of(LibUtils.getLibtorchPath());
        for (String name : new String[] {"libtorch_cpu.so", "libtorch_cpu.dylib"}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                // the library DJL already loaded: dlopen returns the same handle
                return NativeLibrary.getInstance(file.toString());
            }
        }
        throw new UnsupportedOperationException("no libtorch_cpu library in " + dir);
    }
}
