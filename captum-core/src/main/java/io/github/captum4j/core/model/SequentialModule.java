package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A chain: each step is a child module or a parameterless function ({@code torch.flatten}, {@code
 * mean}) applied to the previous step's output. Used for {@code nn.Sequential} containers and for
 * models whose forward pass is a chain at the top level (MLPs, small CNNs, the ResNet stem / stages
 * / head).
 */
final class SequentialModule extends ModuleBlock {

    /** One step of the chain. */
    sealed interface Step permits ModuleStep, FunctionStep {}

    /**
     * Runs a child module.
     *
     * @param child the child's PyTorch name
     */
    record ModuleStep(String child) implements Step {}

    /**
     * Applies a function that is not a module (no block, no layer name).
     *
     * @param description the op as written in the graph, e.g. {@code flatten(start_dim=1)}
     * @param function the computation, starting from its argument
     * @param shape its effect on the shape
     */
    record FunctionStep(
            String description, UnaryOperator<NDArray> function, UnaryOperator<Shape> shape)
            implements Step {}

    private final List<Step> steps;

    /**
     * Creates the chain; children are added by the caller in step order.
     *
     * @param moduleType the PyTorch class name
     * @param steps the steps
     */
    SequentialModule(String moduleType, List<Step> steps) {
        super(moduleType);
        this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
    }

    List<Step> steps() {
        return steps;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray x = input;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            NDArray y = x;
            if (step instanceof ModuleStep m) {
                // a convolution and the BatchNorm after it may run folded (ConvBnFold)
                y =
                        i + 1 < steps.size() && steps.get(i + 1) instanceof ModuleStep next
                                ? callFolded(m.child(), next.child(), ps, x)
                                : null;
                if (y != null) {
                    i++;
                } else {
                    y = call(m.child(), ps, x);
                }
            } else if (step instanceof FunctionStep f) {
                y = f.function().apply(x);
            }
            if (x != input) {
                release(ps, x, y);
            }
            x = y;
        }
        return new NDList(x);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        for (Step step : steps) {
            if (step instanceof ModuleStep m) {
                s = outputShape(m.child(), s);
            } else if (step instanceof FunctionStep f) {
                s = f.shape().apply(s);
            }
        }
        return new Shape[] {s};
    }

    @Override
    List<String> callOrder() {
        return steps.stream()
                .filter(ModuleStep.class::isInstance)
                .map(s -> ((ModuleStep) s).child())
                .toList();
    }
}
