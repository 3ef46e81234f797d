package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.rules.ModuleCall;
import io.github.captum4j.core.rules.ModuleInterceptor;

/**
 * The parameter store of an intercepted forward pass ({@link ImportedModel#forwardIntercepted}): it
 * travels down the block tree with every call, and each container hands its child calls to it
 * ({@link ModuleBlock}), so the interceptor decides how every module runs without the tree being
 * modified.
 */
final class InterceptStore extends ParameterStore {

    private final ImportedModel model;
    private final ModuleInterceptor interceptor;

    InterceptStore(NDManager manager, ImportedModel model, ModuleInterceptor interceptor) {
        super(manager, false);
        this.model = model;
        this.interceptor = interceptor;
    }

    /** Offers one child call of a container to the interceptor. */
    NDArray call(ModuleBlock parent, String name, NDList inputs, PairList<String, Object> params) {
        Block child = parent.child(name);
        String dotted = model.dottedName(parent, name);
        return interceptor.intercept(
                new ModuleCall(
                        dotted,
                        model.layerType(dotted),
                        child,
                        child instanceof ModuleBlock,
                        inputs,
                        in -> child.forward(this, in, false, params).singletonOrThrow()));
    }
}
