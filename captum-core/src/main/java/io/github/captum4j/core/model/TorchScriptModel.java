package io.github.captum4j.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.CallShapes;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript module (a {@code .pt} file written by {@code torch.jit.script} or {@code
 * torch.jit.trace}, PyTorch 1.13 or later) loaded through DJL's PyTorch engine, as a {@link
 * ForwardFunction} that gradients flow through.
 *
 * <p>The module is run in the mode it was saved in (normally eval: BatchNorm uses its running
 * statistics, dropout is off) with gradient recording left to the calling thread's grad mode; its
 * parameters are frozen, so a backward pass computes input gradients only. Additional forward
 * arguments may be NDArrays, integers, doubles or booleans, as the module's signature declares;
 * {@code null} (Python's None) is accepted only in trailing positions, where the module's default
 * is used.
 *
 * <p><b>Security:</b> a TorchScript file is code; load only files from a trusted source.
 *
 * <pre>{@code
 * try (TorchScriptModel model = TorchScriptModel.load(Path.of("model.pt"))) {
 *     IntegratedGradients ig = new IntegratedGradients(model);
 *     ...
 * }
 * }</pre>
 */
public final class TorchScriptModel implements ForwardFunction, LayerAccess, AutoCloseable {

    /** The method a module exported with taps has, see {@code tools/export_taps.py}. */
    static final String FORWARD_TAPS = "forward_taps";

    /** The method listing the taps of a module exported with taps. */
    static final String TAP_NAMES = "tap_names";

    /** The optional method that scales activations too: {@code a * scale + delta}. */
    static final String FORWARD_TAPS_SCALED = "forward_taps_scaled";

    /** Suffix of a tap name that reaches a layer's input instead of its output. */
    static final String INPUT_SUFFIX = "@input";

    private final Model model;
    private final PtSymbolBlock block;
    private final String method;
    private final ScriptTaps taps;
    private final Path file;
    private final UseGuard guard;

    private TorchScriptModel(
            Model model,
            PtSymbolBlock block,
            String method,
            ScriptTaps taps,
            Path file,
            UseGuard guard) {
        this.guard = guard;
        this.model = model;
        this.block = block;
        this.method = method;
        this.taps = taps;
        this.file = file;
    }

    /**
     * Loads a TorchScript file on the CPU.
     *
     * @param file the {@code .pt} file
     * @return the model
     */
    public static TorchScriptModel load(Path file) {
        return load(file, Device.cpu());
    }

    /**
     * Loads a TorchScript file on a device (CPU or a CUDA GPU).
     *
     * @param file the {@code .pt} file
     * @param device the device inputs will live on
     * @return the model
     */
    public static TorchScriptModel load(Path file, Device device) {
        Checks.notNull(file, "file");
        Checks.notNull(device, "device");
        Checks.argument(
                Files.isRegularFile(file),
                "file must be an existing TorchScript file, got %s",
                file);
        String name = file.getFileName().toString();
        String stem = name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name;
        Model model = Model.newInstance(stem, device, "PyTorch");
        try {
            // Parameters must be loaded trainable, or libtorch makes them inference tensors through
            // which no gradient can flow; they are frozen right after.
            model.load(file.toAbsolutePath().getParent(), name, Map.of("trainParam", "true"));
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            block.freezeParameters(true);
            return new TorchScriptModel(
                    model,
                    block,
                    "forward",
                    ScriptTaps.read(block),
                    file.toAbsolutePath(),
                    new UseGuard("TorchScript model '" + stem + "'"));
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("could not read TorchScript file " + file, e);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(
                    "file must be a TorchScript module, could not load "
                            + file
                            + ": "
                            + Checks.clip(e.getMessage(), 200),
                    e);
        }
    }

    /**
     * The same module, calling another of its exported methods instead of {@code forward}.
     *
     * @param methodName an exported method, see {@link #methodNames()}
     * @return a view sharing this model (closing either closes both)
     */
    public TorchScriptModel withMethod(String methodName) {
        Checks.argument(
                methodNames().contains(methodName),
                "methodName must be one of the module's methods %s, got '%s'",
                methodNames(),
                methodName);
        return new TorchScriptModel(model, block, methodName, taps, file, guard);
    }

    /**
     * The file this module was loaded from.
     *
     * @return the absolute path
     */
    public Path file() {
        return file;
    }

    /**
     * The module's exported methods.
     *
     * @return method names
     */
    public List<String> methodNames() {
        return guard.run(() -> Torch.methodNames(block));
    }

    /**
     * The underlying DJL block.
     *
     * @return the block
     */
    public PtSymbolBlock block() {
        return block;
    }

    /**
     * The layers exported as taps by {@code tools/export_taps.py} (the module's {@code
     * tap_names()}, without the {@code @input} suffix of input taps); empty for a module exported
     * without taps.
     *
     * @return the layer names
     */
    @Override
    public List<String> layerNames() {
        return taps.layerNames();
    }

    /**
     * Opens a tap on exported layers. The module runs its {@code forward_taps} method, with a delta
     * for every exported tap (zero for those not tapped); nothing of the module changes.
     * Replacements use {@code forward_taps_scaled} when the module has it (else one more forward
     * pass computes the activation to subtract). Layers must have been named when the module was
     * exported.
     *
     * <p>{@inheritDoc}
     */
    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        List<LayerPath> checked = LayerAccess.checkLayers(layers);
        Checks.notNull(site, "site");
        Checks.argument(
                taps.exported(),
                "layers: this TorchScript module has no %s method; export it with"
                        + " tools/export_taps.py naming the layers to tap (see tools/README.md)",
                FORWARD_TAPS);
        int[] indices = new int[checked.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = taps.indexOf(checked.get(i), site);
        }
        return new ScriptTap(this, taps, checked, indices, site);
    }

    /**
     * Runs {@code forward_taps} (or {@code forward_taps_scaled} when {@code scales} is given).
     *
     * @return the output followed by every exported tap's activation
     */
    NDList forwardTaps(NDList inputs, List<Object> additionalArgs, NDList scales, NDList deltas) {
        List<Object> args = new ArrayList<>(additionalArgs);
        for (int i = 0; i < args.size(); i++) {
            Checks.argument(
                    args.get(i) != null,
                    "additionalArgs[%s] is null (None): a tapped TorchScript module takes every"
                            + " argument explicitly",
                    i);
        }
        List<IValue> extra = new ArrayList<>(2);
        if (scales != null) {
            extra.add(IValue.listFrom(ptArrays(scales)));
        }
        extra.add(IValue.listFrom(ptArrays(deltas)));
        return run(scales == null ? FORWARD_TAPS : FORWARD_TAPS_SCALED, inputs, args, extra);
    }

    private static PtNDArray[] ptArrays(NDList list) {
        PtNDArray[] out = new PtNDArray[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (PtNDArray) list.get(i);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        NDList out = forwardAll(inputs, additionalArgs);
        NDArray first = out.get(0);
        for (int i = 1; i < out.size(); i++) {
            out.get(i).close();
        }
        return first;
    }

    /**
     * Runs the method and returns every tensor it returns (a tensor, or a tuple or list of
     * tensors), with gradients recorded if the calling thread's grad mode is on.
     *
     * @param inputs the input tensors
     * @param additionalArgs additional arguments
     * @return the returned tensors, in the manager of the first input
     */
    public NDList forwardAll(NDList inputs, List<Object> additionalArgs) {
        return run(method, inputs, additionalArgs, List.of());
    }

    private NDList run(
            String methodName, NDList inputs, List<Object> additionalArgs, List<IValue> extra) {
        Checks.argument(!inputs.isEmpty(), "inputs must hold at least one tensor, got none");
        List<Object> args = new ArrayList<>(inputs);
        args.addAll(additionalArgs);
        int last = args.size();
        while (extra.isEmpty() && last > 0 && args.get(last - 1) == null) {
            last--; // trailing None: the module's defaults apply
        }
        List<IValue> values = new ArrayList<>(last + extra.size());
        try {
            for (int i = 0; i < last; i++) {
                values.add(toIValue(args.get(i), i - inputs.size()));
            }
            values.addAll(extra);
            PtNDManager manager = (PtNDManager) inputs.get(0).getManager();
            try {
                return guard.run(
                        () -> {
                            try (IValue result = Torch.runMethod(block, methodName, values)) {
                                return toNDList(result, manager);
                            }
                        });
            } catch (AttributionException e) {
                throw shapeHint(e, inputs);
            }
        } finally {
            for (IValue v : values) {
                v.close(); // the extra values too: they were added to the list
            }
        }
    }

    /**
     * A failed call whose libtorch error is about sizes or dimensions becomes an {@link
     * IllegalArgumentException} naming the given shapes and the batch convention; others pass.
     */
    private static RuntimeException shapeHint(AttributionException e, NDList inputs) {
        String message = e.getMessage();
        if (!message.matches("(?s).*(size|shape|dimension|dim |mat1|Expected).*")) {
            return e;
        }
        // the caller's shapes inside an attribution call (not the expanded steps or samples)
        return new IllegalArgumentException(
                CallShapes.inputs(inputs)
                        + " do not fit the TorchScript module: "
                        + message.replaceFirst("^the TorchScript method '[^']*' failed: ", "")
                        + ". Inputs are batches: each tensor is (N, ...), N examples of the"
                        + " per-example shape the module was exported with (one example:"
                        + " x.expandDims(0))");
    }

    /**
     * Calls a method that takes no argument and returns a list of strings.
     *
     * @param block the module
     * @param methodName the method
     * @return the strings
     */
    static List<String> stringList(PtSymbolBlock block, String methodName) {
        try (IValue result = Torch.runMethod(block, methodName, List.of())) {
            IValue[] items = result.toIValueArray();
            List<String> out = new ArrayList<>(items.length);
            for (IValue item : items) {
                out.add(item.toStringValue());
                item.close();
            }
            return out;
        }
    }

    /**
     * Closes the module and its parameters (and every {@link #withMethod} view of it). Safe at any
     * time: passes in flight on other threads finish first, later ones fail with an {@link
     * IllegalStateException} saying the model is closed. Closing twice does nothing.
     *
     * @throws IllegalStateException if called from inside one of this module's passes
     */
    @Override
    public void close() {
        guard.close(model::close);
    }

    private static IValue toIValue(Object arg, int additionalIndex) {
        if (arg instanceof PtNDArray) {
            return IValue.from((PtNDArray) arg);
        }
        if (arg instanceof Boolean) {
            return IValue.from((Boolean) arg);
        }
        if (arg instanceof Integer || arg instanceof Long) {
            return IValue.from(((Number) arg).longValue());
        }
        if (arg instanceof Double || arg instanceof Float) {
            return IValue.from(((Number) arg).doubleValue());
        }
        String where = additionalIndex < 0 ? "inputs" : "additionalArgs[" + additionalIndex + "]";
        if (arg == null) {
            throw new IllegalArgumentException(
                    where
                            + " is null (None): a TorchScript module takes None only as a trailing"
                            + " argument left to its default; import the model as a Block model to"
                            + " pass None in the middle");
        }
        throw new IllegalArgumentException(
                where
                        + " must be a PyTorch-engine NDArray, Integer, Long, Double or Boolean for"
                        + " a TorchScript module, got "
                        + arg.getClass().getName());
    }

    private static NDList toNDList(IValue result, PtNDManager manager) {
        if (result.isTensor()) {
            return new NDList(result.toTensor(manager));
        }
        if (result.isTensorList()) {
            return new NDList(result.toTensorArray(manager));
        }
        if (result.isTuple() || result.isList()) {
            NDList out = new NDList();
            IValue[] items = result.isTuple() ? result.toIValueTuple() : result.toIValueArray();
            try {
                for (IValue item : items) {
                    if (item.isTensor()) {
                        out.add(item.toTensor(manager));
                    } else if (item.isTensorList()) {
                        out.addAll(Arrays.asList(item.toTensorArray(manager)));
                    }
                }
            } finally {
                for (IValue item : items) {
                    item.close();
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        throw new AttributionException(
                "the TorchScript method must return a tensor or a tuple/list of tensors, got "
                        + result.getType());
    }
}
