package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;
import io.github.captum4j.core.model.ModelSpec.Arg;
import io.github.captum4j.core.rules.ModuleInterceptor;
import io.github.captum4j.core.rules.RuleModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Binds {@code inputs} followed by {@code additionalArgs} to the model's Python signature by
 * position, then runs the root block in inference mode: tensors become the block's input list,
 * scalars its parameters under their Python names.
 */
final class ImportedForwardFunction implements ForwardFunction, LayerAccess, RuleModel {

    private final ImportedModel model;
    private final ModuleBlock root;
    private final List<Arg> signature;

    ImportedForwardFunction(ImportedModel model, ModuleBlock root, List<Arg> signature) {
        this.model = model;
        this.root = root;
        this.signature = signature;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        return forward(inputs, additionalArgs, null);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> layerNames() {
        return model.layerNames();
    }

    /** {@inheritDoc} */
    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        return model.tap(layers, site);
    }

    /**
     * Runs the model, with a tap if one is given.
     *
     * @param inputs input tensors
     * @param additionalArgs additional arguments
     * @param tap the tap, or {@code null}
     * @return the output
     */
    NDArray forward(NDList inputs, List<Object> additionalArgs, BlockTap tap) {
        return forward(inputs, additionalArgs, tap, null);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forwardIntercepted(
            NDList inputs, List<Object> additionalArgs, ModuleInterceptor interceptor) {
        if (interceptor == null) {
            throw new IllegalArgumentException("interceptor must not be null");
        }
        return forward(inputs, additionalArgs, null, interceptor);
    }

    private NDArray forward(
            NDList inputs,
            List<Object> additionalArgs,
            BlockTap tap,
            ModuleInterceptor interceptor) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException(
                    "inputs must hold at least one array for model '"
                            + model.id()
                            + "', got "
                            + (inputs == null ? "null" : "none"));
        }
        List<Object> positional = new ArrayList<>(inputs);
        if (additionalArgs != null) {
            positional.addAll(additionalArgs);
        }
        if (positional.size() > signature.size()) {
            throw new IllegalArgumentException(
                    "model '"
                            + model.id()
                            + "' takes at most "
                            + signature.size()
                            + " arguments "
                            + describeSignature()
                            + ", got "
                            + inputs.size()
                            + " inputs + "
                            + (positional.size() - inputs.size())
                            + " additional args");
        }
        NDList tensors = new NDList(signature.size());
        PairList<String, Object> params = new PairList<>();
        for (int i = 0; i < signature.size(); i++) {
            Arg arg = signature.get(i);
            Object value = i < positional.size() ? positional.get(i) : null;
            String where =
                    i < inputs.size()
                            ? "inputs[" + i + "]"
                            : "additionalArgs[" + (i - inputs.size()) + "]";
            if (value == null) {
                if (!arg.optional()) {
                    throw new IllegalArgumentException(
                            where
                                    + " ("
                                    + arg.name()
                                    + ") is required by model '"
                                    + model.id()
                                    + "' "
                                    + describeSignature()
                                    + ", got "
                                    + (i < positional.size() ? "null" : "nothing"));
                }
                if (arg.defaultValue() != null) {
                    params.add(arg.name(), arg.defaultValue());
                }
                continue;
            }
            switch (arg.kind()) {
                case TENSOR:
                    {
                        NDArray array = expect(value, NDArray.class, where, arg);
                        if (arg.rank() >= 0 && array.getShape().dimension() != arg.rank()) {
                            throw new IllegalArgumentException(
                                    where
                                            + " ("
                                            + arg.name()
                                            + ") must have "
                                            + arg.rank()
                                            + " dimensions for model '"
                                            + model.id()
                                            + "', got shape "
                                            + array.getShape());
                        }
                        tensors.add(array);
                        break;
                    }
                case BOOL:
                    params.add(arg.name(), expect(value, Boolean.class, where, arg));
                    break;
                case INT:
                    if (!(value instanceof Integer || value instanceof Long)) {
                        throw wrongType(where, arg, "an Integer or Long", value);
                    }
                    params.add(arg.name(), value);
                    break;
                default:
                    params.add(arg.name(), expect(value, Number.class, where, arg));
                    break;
            }
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(
                    "model '" + model.id() + "' needs at least one tensor argument, got none");
        }
        NDManager manager = tensors.get(0).getManager();
        ParameterStore ps =
                tap != null
                        ? new BlockTap.Store(manager, tap)
                        : interceptor != null
                                ? new InterceptStore(manager, model, interceptor)
                                : new ParameterStore(manager, false);
        return model.guarded(
                () -> {
                    try {
                        return root.forward(ps, tensors, false, params).singletonOrThrow();
                    } catch (ai.djl.engine.EngineException e) {
                        throw new io.github.captum4j.core.AttributionException(
                                "model '"
                                        + model.id()
                                        + "' failed on inputs "
                                        + describe(tensors)
                                        + ": "
                                        + io.github.captum4j.core.internal.Checks.clip(
                                                e.getMessage(), 200),
                                e);
                    }
                });
    }

    private <T> T expect(Object value, Class<T> type, String where, Arg arg) {
        if (!type.isInstance(value)) {
            throw wrongType(where, arg, "a " + type.getSimpleName(), value);
        }
        return type.cast(value);
    }

    private IllegalArgumentException wrongType(String where, Arg arg, String what, Object value) {
        return new IllegalArgumentException(
                where
                        + " ("
                        + arg.name()
                        + ") must be "
                        + what
                        + (arg.optional() ? " or null" : "")
                        + " for model '"
                        + model.id()
                        + "', got "
                        + value.getClass().getName());
    }

    private static String describe(NDList tensors) {
        StringBuilder sb = new StringBuilder();
        for (NDArray t : tensors) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(io.github.captum4j.core.internal.Checks.shape(t.getShape()))
                    .append(' ')
                    .append(t.getDataType());
        }
        return sb.toString();
    }

    private String describeSignature() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < signature.size(); i++) {
            Arg a = signature.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(a.name());
            if (a.optional()) {
                sb.append('=').append(a.defaultValue() == null ? "None" : a.defaultValue());
            }
        }
        return sb.append(')').toString();
    }
}
