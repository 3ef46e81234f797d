package io.github.captum4j.core.nd4j;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A model computed with ND4J (a Deeplearning4j network, a SameDiff graph, or plain ND4J code), seen
 * by captum4j as a black-box {@link ForwardFunction}: perturbation methods ({@code
 * FeatureAblation}, {@code Occlusion}, {@code ShapleyValueSampling}, {@code Lime}, {@code
 * KernelShap}, ...) explain it; gradient methods reject it.
 *
 * <p>Each forward pass copies the inputs to ND4J and the output back ({@link Nd4jArrays}); NDArray
 * additional forward arguments are converted too, other arguments are passed unchanged.
 *
 * <pre>{@code
 * MultiLayerNetwork net = ...;
 * ForwardFunction f = Nd4jModel.forwardFunction(x -> net.output(x));
 * try (Attribution a = new KernelShap(f).attribute(Inputs.of(row), Target.index(1))) { ... }
 * }</pre>
 */
@FunctionalInterface
public interface Nd4jModel {

    /**
     * Runs the model.
     *
     * @param inputs the input arrays, batch in dimension 0
     * @param additionalArgs additional forward arguments (NDArrays converted to INDArrays)
     * @return the output, batch in dimension 0
     */
    INDArray output(INDArray[] inputs, List<Object> additionalArgs);

    /**
     * A black-box forward function over a multi-input ND4J model.
     *
     * @param model the model
     * @return the forward function; outputs are created in the first input's manager
     */
    static ForwardFunction forwardFunction(Nd4jModel model) {
        Checks.notNull(model, "model");
        return ForwardFunction.blackBox(
                (NDList inputs, List<Object> args) -> {
                    INDArray[] xs = new INDArray[inputs.size()];
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] = Nd4jArrays.toINDArray(inputs.get(i));
                    }
                    List<Object> converted = new ArrayList<>(args.size());
                    for (Object a : args) {
                        converted.add(
                                a instanceof NDArray ? Nd4jArrays.toINDArray((NDArray) a) : a);
                    }
                    INDArray out = model.output(xs, converted);
                    Checks.argument(out != null, "the ND4J model returned null");
                    return Nd4jArrays.toNDArray(out, inputs.get(0).getManager());
                });
    }

    /**
     * A black-box forward function over a single-input ND4J model, e.g. {@code
     * MultiLayerNetwork::output}.
     *
     * @param model the model
     * @return the forward function
     */
    static ForwardFunction forwardFunction(UnaryOperator<INDArray> model) {
        Checks.notNull(model, "model");
        return forwardFunction((xs, args) -> model.apply(xs[0]));
    }
}
