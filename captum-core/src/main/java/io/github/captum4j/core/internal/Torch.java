package io.github.captum4j.core.internal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;

import io.github.captum4j.core.AttributionException;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine adapter: every call the library makes past DJL's public {@code NDArray} API into the
 * PyTorch engine ({@code JniUtils}) or into DJL's non-public members (reflection) goes through
 * here, so that a DJL or libtorch upgrade touches one class.
 *
 * <p>What it covers:
 *
 * <ul>
 *   <li>libtorch's per-thread grad mode: {@link #gradMode()}, {@link #setGradMode(boolean)};
 *   <li>autograd: {@link #backward(NDArray, NDArray, boolean)} (\( J^\top v \) accumulated into the
 *       leaves), {@link #gradientOrNull(NDArray)}, {@link #zeroGrad(NDArray)};
 *   <li>operators DJL's API lacks: broadcasting {@link #where(NDArray, NDArray, NDArray)}, {@link
 *       #adaptiveAvgPool(NDArray, Shape)};
 *   <li>TorchScript modules: {@link #methodNames(PtSymbolBlock)} and {@link #runMethod(PtSymbolBlock,
 *       String, List)}, libtorch's {@code Module::run_method} with gradients following the thread's
 *       grad mode and without switching the module to training mode (DJL only exposes variants that
 *       disable gradients or call {@code module.train()}, which would move BatchNorm statistics), so
 *       the native entry point is reached reflectively (tested with DJL 0.36.0).
 * </ul>
 *
 * <p>All arrays must be PyTorch-engine arrays; a wrong kind fails with an {@link
 * IllegalArgumentException}.
 *
 * <p>Not API: may change without notice.
 */
public final class Torch {

    private static final Logger LOG = LoggerFactory.getLogger(Torch.class);

    private Torch() {}

    /**
     * Whether libtorch records gradients on the calling thread.
     *
     * @return the grad mode of the current thread
     */
    public static boolean gradMode() {
        return JniUtils.isGradMode();
    }

    /**
     * Sets libtorch's grad mode of the calling thread.
     *
     * @param enabled whether gradients are recorded
     */
    public static void setGradMode(boolean enabled) {
        JniUtils.setGradMode(enabled);
    }

    /**
     * Backward pass: accumulates \( J^\top v \) of {@code output} into the gradients of the autograd
     * leaves it depends on (never creating a graph of the gradient itself).
     *
     * @param output a tensor recorded with gradients
     * @param seed the vector \( v \), of the output's shape
     * @param retainGraph whether the graph is kept for another backward pass over it
     * @throws EngineException when {@code output} depends on no leaf
     */
    public static void backward(NDArray output, NDArray seed, boolean retainGraph) {
        JniUtils.backward(pt(output, "output"), pt(seed, "seed"), retainGraph, false);
    }

    /**
     * The gradient accumulated on an autograd leaf.
     *
     * @param leaf the leaf
     * @return its gradient, or {@code null} when none arrived or the array is not floating point
     */
    public static NDArray gradientOrNull(NDArray leaf) {
        if (!leaf.getDataType().isFloating()) {
            return null;
        }
        try {
            return JniUtils.getGradient(pt(leaf, "leaf"));
        } catch (EngineException e) {
            return null;
        }
    }

    /**
     * Resets the gradient accumulated on an autograd leaf to zero.
     *
     * @param leaf the leaf
     */
    public static void zeroGrad(NDArray leaf) {
        JniUtils.zeroGrad(pt(leaf, "leaf"));
    }

    /**
     * {@code torch.where(condition, x, y)}, broadcasting all three (DJL's {@code where} does not).
     *
     * @param condition a boolean array
     * @param x values where the condition holds
     * @param y values elsewhere
     * @return the broadcast selection
     */
    public static NDArray where(NDArray condition, NDArray x, NDArray y) {
        return JniUtils.where(pt(condition, "condition"), pt(x, "x"), pt(y, "y"));
    }

    /**
     * {@code torch.nn.functional.adaptive_avg_pool2d}.
     *
     * @param x an array of shape {@code (N, C, H, W)}
     * @param size the output's {@code (H', W')}
     * @return shape {@code (N, C, H', W')}
     */
    public static NDArray adaptiveAvgPool(NDArray x, Shape size) {
        return JniUtils.adaptiveAvgPool(pt(x, "x"), size);
    }

    /**
     * The methods a TorchScript module exports.
     *
     * @param block the module
     * @return method names
     */
    public static List<String> methodNames(PtSymbolBlock block) {
        return Arrays.asList(JniUtils.getMethodNames(block));
    }

    /**
     * Runs a method of a TorchScript module ({@code Module::run_method}) in the mode it was saved
     * in, recording gradients exactly when the calling thread's grad mode is on.
     *
     * @param block the module
     * @param method the method's name
     * @param args its arguments (still owned by the caller)
     * @return the result, to be closed by the caller
     * @throws AttributionException when the method fails
     */
    public static IValue runMethod(PtSymbolBlock block, String method, List<IValue> args) {
        return RunMethod.INSTANCE.run(block, method, args);
    }

    /**
     * The line of a libtorch error that says what went wrong: the last {@code ...Error: ...} line
     * of a TorchScript traceback, else its first non-empty line.
     *
     * @param message libtorch's message
     * @return one line
     */
    public static String errorLine(String message) {
        String[] lines = message.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.matches("^[A-Za-z.]*(Error|Exception): .*")) {
                return line.length() <= 300 ? line : line.substring(0, 300) + "...";
            }
        }
        for (String line : lines) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return message;
    }

    private static PtNDArray pt(NDArray x, String name) {
        if (x instanceof PtNDArray) {
            return (PtNDArray) x;
        }
        throw new IllegalArgumentException(
                name
                        + " must be a PyTorch-engine NDArray, got "
                        + (x == null ? "null" : x.getClass().getName()));
    }

    /** The reflective handle on {@code PyTorchLibrary.moduleRunMethod}, resolved on first use. */
    private static final class RunMethod {
        static final RunMethod INSTANCE = new RunMethod();

        private final Object library;
        private final Method runMethod;
        private final Constructor<IValue> fromHandle;
        private final boolean cudaStream;

        private RunMethod() {
            try {
                Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
                Field field = lib.getDeclaredField("LIB");
                field.setAccessible(true);
                library = field.get(null);
                runMethod =
                        lib.getDeclaredMethod(
                                "moduleRunMethod",
                                long.class,
                                String.class,
                                long[].class,
                                boolean.class,
                                boolean.class);
                runMethod.setAccessible(true);
                fromHandle = IValue.class.getDeclaredConstructor(long.class);
                fromHandle.setAccessible(true);
                Field stream =
                        Class.forName("ai.djl.pytorch.jni.IValueUtils")
                                .getDeclaredField("CUDA_STREAM");
                stream.setAccessible(true);
                cudaStream = stream.getBoolean(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExceptionInInitializerError(
                        "this DJL PyTorch engine version does not expose moduleRunMethod as"
                                + " expected (tested with 0.36.0): "
                                + e);
            }
        }

        IValue run(PtSymbolBlock block, String method, List<IValue> args) {
            long[] handles = new long[args.size()];
            for (int i = 0; i < handles.length; i++) {
                handles[i] = args.get(i).getHandle();
            }
            try {
                // The native isTrain flag only decides whether gradients are recorded: follow the
                // calling thread's grad mode.
                long handle =
                        (long)
                                runMethod.invoke(
                                        library,
                                        block.getHandle(),
                                        method,
                                        handles,
                                        gradMode(),
                                        cudaStream);
                return fromHandle.newInstance(handle);
            } catch (InvocationTargetException e) {
                // libtorch's message is its TorchScript traceback (serialized and original code,
                // often 40 lines): the error keeps its last line; the whole text goes to DEBUG.
                String full = String.valueOf(e.getCause().getMessage());
                LOG.debug("TorchScript method '{}' failed:\n{}", method, full);
                throw new AttributionException(
                        "the TorchScript method '" + method + "' failed: " + errorLine(full));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("could not call the TorchScript module", e);
            }
        }
    }
}
