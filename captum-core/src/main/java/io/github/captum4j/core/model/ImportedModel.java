package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;
import io.github.captum4j.core.rules.EditableModel;
import io.github.captum4j.core.rules.ModuleInterceptor;
import io.github.captum4j.core.rules.RuleModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch model imported from an architecture JSON and a state dict ({@code .npz}, PyTorch
 * parameter names) as a tree of DJL blocks that keeps PyTorch's module names, so layers are
 * addressed as in Captum: {@code layer3.1.conv2}, {@code m234.model.linear1}.
 *
 * <p>The model is inference-only: BatchNorm always normalises with its running statistics and never
 * updates them, dropout is the identity, and every parameter is frozen, so a backward pass computes
 * gradients with respect to the inputs only (when the calling thread has libtorch's grad mode on
 * and the inputs require gradients).
 *
 * <p>Supported architectures: any JSON {@code graph} (an SSA list of module calls and functions
 * such as {@code add}, {@code matmul}, {@code transpose}, {@code reshape}, {@code mean}, {@code
 * softmax}, {@code flatten}, causal masks and position ids) over the leaf types {@code Linear},
 * {@code Conv1d/2d} (grouped, depthwise), {@code BatchNorm2d}, {@code LayerNorm}, {@code
 * Embedding}, max / average / adaptive pooling (1-D and 2-D), {@code ReLU}, {@code ReLU6}, {@code
 * LeakyReLU}, {@code ELU}, {@code Softplus}, {@code SiLU}, {@code Hardswish}, {@code GELU} (exact
 * and tanh), {@code Tanh}, {@code Sigmoid}, {@code Softmax}, {@code Dropout}, {@code Identity},
 * {@code Flatten}, plus attention containers with {@code q}, {@code k}, {@code v}, {@code out}
 * (and {@code softmax}) children (causal and padding masks; JSON {@code attention}); torchvision
 * ResNets and Captum's test models {@code BasicModel_MultiLayer} (additional forward args {@code
 * add_input}, {@code multidim_output}), {@code BasicModel_MultiLayer_MultiInput} (additional arg
 * {@code scale}) and {@code BasicModel_MultiLayer_TrueMultiInput}. Anything else (an unknown op, a
 * dangling graph value, a weight of the wrong shape, a weights file outside the JSON's folder) is
 * rejected at load time with an {@link
 * IllegalArgumentException} that says why.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager();
 *         ImportedModel model = ImportedModel.load(Path.of("models/tiny_resnet.json"), manager)) {
 *     ForwardFunction f = model.forwardFunction();
 *     NDArray logits = f.forward(new NDList(images), List.of());
 *     Block conv = model.layer("layer3.1.conv2");
 * }
 * }</pre>
 *
 * <p>Forward passes are thread-safe, and {@link #close} may be called while they run. {@link #replaceLayer} is not: swap layers only while no
 * forward pass of this model runs.
 */
public final class ImportedModel implements LayerAccess, RuleModel, EditableModel, AutoCloseable {

    private final String id;
    private final NDManager parameters;
    /** Folded convolution / BatchNorm parameters (ConvBnFold): outside the caller's manager. */
    private final NDManager folds;
    private final ModuleBlock root;
    private final List<String> layerNames;
    private final Map<String, String> layerTypes;
    private final Map<String, ModuleBlock> parents;
    private final Map<ModuleBlock, Map<String, String>> dottedNames = new IdentityHashMap<>();
    private final ImportedForwardFunction forwardFunction;
    private final UseGuard guard;

    private ImportedModel(ModelSpec spec, NDManager parameters, ModelBuilder.Built built) {
        this.id = spec.id();
        this.guard = new UseGuard("model '" + spec.id() + "'");
        this.parameters = parameters;
        this.root = built.root();
        this.folds = NDManager.newBaseManager(parameters.getDevice());
        root.useFoldManager(folds);
        this.layerNames = built.names();
        this.layerTypes = built.types();
        this.parents = built.parents();
        this.forwardFunction = new ImportedForwardFunction(this, root, spec.args());
        for (Map.Entry<String, ModuleBlock> e : parents.entrySet()) {
            dottedNames
                    .computeIfAbsent(e.getValue(), k -> new HashMap<>())
                    .put(localName(e.getKey()), e.getKey());
        }
    }

    /**
     * Loads a model with the weights of the state dict its JSON names ({@code state_dict_file},
     * resolved beside the JSON).
     *
     * @param jsonFile the architecture file, e.g. {@code models/tiny_resnet.json}
     * @param manager the manager under which a sub-manager holding the parameters is created
     * @return the model; close it to free the parameters
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the JSON names no weights file, the architecture is not
     *     supported, or the state dict does not fit the architecture
     */
    public static ImportedModel load(Path jsonFile, NDManager manager) throws IOException {
        checkArguments(jsonFile, manager);
        ModelSpec spec = ModelSpec.read(jsonFile);
        if (spec.stateDictFile() == null) {
            throw new IllegalArgumentException(
                    "model JSON "
                            + jsonFile
                            + " must name a state_dict_file to load weights, it has none"
                            + " (architecture only): use load(jsonFile, manager, seed)");
        }
        Path weightsFile = weightsFile(jsonFile, spec.stateDictFile());
        NDManager parameters = manager.newSubManager();
        try {
            WeightSource weights = new WeightSource.StateDict(weightsFile, parameters);
            return new ImportedModel(
                    spec, parameters, ModelBuilder.build(spec, parameters, weights));
        } catch (IOException | RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    /**
     * Loads a model's architecture and initialises its parameters deterministically from a seed,
     * the way PyTorch / torchvision would (same distributions, not the same numbers): convolutions
     * kaiming-normal with fan-out, linear layers uniform in \( \pm 1/\sqrt{\text{fan\_in}} \),
     * embeddings standard normal, BatchNorm weight 1, bias 0, running mean 0, running variance 1.
     * Any weights file the JSON names is ignored. Meant for benchmarks and architecture tests.
     *
     * @param jsonFile the architecture file, e.g. {@code models/torchvision_resnet18.json}
     * @param manager the manager under which a sub-manager holding the parameters is created
     * @param seed the seed; the same seed gives the same parameters
     * @return the model; close it to free the parameters
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the architecture is not supported
     */
    public static ImportedModel load(Path jsonFile, NDManager manager, long seed)
            throws IOException {
        checkArguments(jsonFile, manager);
        ModelSpec spec = ModelSpec.read(jsonFile);
        NDManager parameters = manager.newSubManager();
        try {
            WeightSource weights = new WeightSource.Seeded(parameters, seed);
            return new ImportedModel(
                    spec, parameters, ModelBuilder.build(spec, parameters, weights));
        } catch (RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    /** The weights file, which must lie in the JSON's folder or below it. */
    private static Path weightsFile(Path jsonFile, String name) {
        Path folder = jsonFile.toAbsolutePath().normalize().getParent();
        Path file = folder.resolve(name).normalize();
        if (!file.startsWith(folder)) {
            throw new IllegalArgumentException(
                    "model JSON "
                            + jsonFile
                            + ": state_dict_file must be inside the model's folder "
                            + folder
                            + ", got '"
                            + name
                            + "'");
        }
        return file;
    }

    private static void checkArguments(Path jsonFile, NDManager manager) {
        if (jsonFile == null) {
            throw new IllegalArgumentException("jsonFile must not be null");
        }
        if (manager == null) {
            throw new IllegalArgumentException("manager must not be null");
        }
        if (isZipArchive(jsonFile)) {
            throw new IllegalArgumentException(
                    "jsonFile "
                            + jsonFile
                            + " is a TorchScript file (a zip archive), not an architecture JSON:"
                            + " load it with TorchScriptModel.load(path); ImportedModel reads the"
                            + " .json + .npz that tools/export_taps.py --npz-json writes");
        }
    }

    /** TorchScript files (torch.jit.save) are zip archives: they start with "PK". */
    private static boolean isZipArchive(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.read() == 'P' && in.read() == 'K';
        } catch (IOException e) {
            return false; // missing or unreadable: reported by the reader with its own message
        }
    }

    /**
     * The model id from the JSON ({@code id}), e.g. {@code tiny_resnet}.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /** The root module without handing it out (folding stays on): for this package's tests. */
    ModuleBlock rootModule() {
        return root;
    }

    /**
     * The root block. Its children are the top-level PyTorch modules under their PyTorch names
     * ({@link Block#getChildren()}), recursively. Its inputs are the model's tensor arguments;
     * non-tensor arguments ({@code multidim_output}, {@code scale}) go in the block parameters
     * under their Python names. Prefer {@link #forwardFunction()}, which binds arguments as Python
     * does.
     *
     * @return the root block
     */
    public Block block() {
        ConvBnFold.expose(root); // the caller may write parameters in place from here on
        return root;
    }

    /**
     * Every module's dotted PyTorch name (containers such as {@code layer3} and {@code layer3.1}
     * included, the root excluded): a container before its children, children in execution order. A
     * module that never runs (Captum's {@code linear1_alt}) keeps its registration position.
     *
     * @return the names, unmodifiable
     */
    @Override
    public List<String> layerNames() {
        return layerNames;
    }

    /**
     * The block currently installed for a module: a DJL {@code Linear}, {@code Conv2d} or {@code
     * BatchNorm}, a {@code LambdaBlock} (ReLU, pooling), an embedding leaf or a container.
     *
     * <p>Forward passes without gradients and without layer access run each {@code Conv2d} and
     * the {@code BatchNorm2d} after it as one convolution with folded parameters, computed at the
     * first such pass. A block returned here (or by {@link #block()}) or installed by {@link
     * #replaceLayer} is never folded again, nor is anything under it, so writing into its
     * parameter arrays in place is seen by every later pass.
     *
     * @param dottedName the module's PyTorch name, e.g. {@code layer3.1.conv2}
     * @return the block
     * @throws IllegalArgumentException if the model has no such module (the message lists close
     *     matches)
     */
    public Block layer(String dottedName) {
        Block block = parent(dottedName).child(localName(dottedName));
        ConvBnFold.expose(block); // the caller may write parameters in place from here on
        return block;
    }

    /**
     * The PyTorch class name of a module: {@code Conv2d}, {@code ReLU}, ... for leaves (as in the
     * JSON), {@code Sequential}, {@code BasicBlock}, {@code Bottleneck} or the Captum test model
     * name for containers.
     *
     * @param dottedName the module's PyTorch name
     * @return the class name
     * @throws IllegalArgumentException if the model has no such module
     */
    public String layerType(String dottedName) {
        parent(dottedName);
        return layerTypes.get(dottedName);
    }

    /**
     * Installs another block in place of a module (e.g. a wrapper that captures or modifies its
     * output); the next forward pass runs it. Undo by installing the returned block again. Module
     * names keep referring to the same positions, so modules nested inside a replaced container can
     * still be replaced. The caller holds the replacement, so it is never folded with a neighbour
     * (see {@link #layer}).
     *
     * @param dottedName the module's PyTorch name
     * @param replacement the block to install, initialised and taking the module's inputs
     * @return the block installed before
     * @throws IllegalArgumentException if the model has no such module or replacement is null
     */
    public Block replaceLayer(String dottedName, Block replacement) {
        if (replacement == null) {
            throw new IllegalArgumentException("replacement must not be null");
        }
        ConvBnFold.expose(replacement); // the caller holds it and may write it in place
        return parent(dottedName).replaceChild(localName(dottedName), replacement);
    }

    /**
     * The model as a {@link ForwardFunction}. Arguments bind by position as in Python: {@code
     * model(*inputs, *additionalArgs)} against the JSON's {@code inputs}, trailing optional ones
     * taking their defaults ({@code null} = {@code None}). For example {@code basic_multilayer}
     * takes {@code (x, add_input=None, multidim_output=False)} and {@code multi_input} takes {@code
     * (x1, x2, x3, scale)} with an {@link Integer} scale. The result belongs to the manager of the
     * first input; nothing is allocated on the parameters' manager.
     *
     * @return the forward function (the same instance every call); it is a {@link LayerAccess} too
     */
    @Override
    public ForwardFunction forwardFunction() {
        return forwardFunction;
    }

    /**
     * Opens a tap on modules of this model, any module of {@link #layerNames()} (containers
     * included). The block tree is not modified: the tap travels down the forward pass with its
     * parameter store, so other threads may run or tap the model at the same time. A tapped module
     * must run exactly once per forward pass.
     *
     * <p>{@inheritDoc}
     */
    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        List<LayerPath> checked = LayerAccess.checkLayers(layers);
        if (site == null) {
            throw new IllegalArgumentException("site must not be null");
        }
        List<ModuleBlock> owners = new ArrayList<>(checked.size());
        for (LayerPath layer : checked) {
            owners.add(parent(layer.name()));
        }
        return new BlockTap(forwardFunction, checked, owners, site);
    }

    /**
     * Runs the model with an interceptor deciding how each module call runs (the rule-based
     * backward pass); same argument binding as {@link #forwardFunction()}.
     *
     * <p>{@inheritDoc}
     */
    @Override
    public NDArray forwardIntercepted(
            NDList inputs, List<Object> additionalArgs, ModuleInterceptor interceptor) {
        return forwardFunction.forwardIntercepted(inputs, additionalArgs, interceptor);
    }

    /** The dotted name of a parent's child. */
    String dottedName(ModuleBlock parent, String child) {
        Map<String, String> names = dottedNames.get(parent);
        String name = names == null ? null : names.get(child);
        return name == null ? child : name;
    }

    /**
     * Closes the sub-manager that holds the parameters; the model is unusable afterwards. Safe at
     * any time: forward passes in flight on other threads finish first (their gradients stay
     * valid), later ones fail with an {@link IllegalStateException} saying the model is closed.
     * Closing twice does nothing.
     *
     * @throws IllegalStateException if called from inside one of this model's forward passes
     */
    @Override
    public void close() {
        guard.close(
                () -> {
                    folds.close();
                    parameters.close();
                });
    }

    /** The sub-manager holding the parameters (for tests). */
    NDManager parameterManager() {
        return parameters;
    }

    /** Runs one pass over the parameters, see {@link UseGuard#run}. */
    <T> T guarded(java.util.function.Supplier<T> pass) {
        return guard.run(pass);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ImportedModel[" + id + ", " + layerNames.size() + " modules]";
    }

    private ModuleBlock parent(String dottedName) {
        if (dottedName == null) {
            throw new IllegalArgumentException("dottedName must not be null");
        }
        ModuleBlock parent = parents.get(dottedName);
        if (parent == null) {
            throw LayerAccess.unknownLayer(dottedName, "model '" + id + "'", layerNames);
        }
        return parent;
    }

    private static String localName(String dottedName) {
        return dottedName.substring(dottedName.lastIndexOf('.') + 1);
    }
}
