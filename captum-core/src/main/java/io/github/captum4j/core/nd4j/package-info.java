/**
 * ND4J interop (API): {@link io.github.captum4j.core.nd4j.Nd4jArrays} converts between ND4J's
 * {@code INDArray} and DJL's {@code NDArray}; {@link io.github.captum4j.core.nd4j.Nd4jModel} makes
 * an ND4J model a black-box {@link io.github.captum4j.core.ForwardFunction} for the perturbation
 * methods. ND4J is an optional dependency of captum-core: users of this package add {@code
 * org.nd4j:nd4j-native} (with its platform classifier), {@code org.bytedeco:openblas} and {@code
 * org.bytedeco:javacpp} to their own build; ND4J and DJL's PyTorch natives work in one JVM.
 */
package io.github.captum4j.core.nd4j;
