package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/** The canonizers of this package. */
public final class Canonizers {

    private Canonizers() {}

    /**
     * Merges every {@code BatchNorm2d} that directly follows a {@code Conv2d} of the same parent
     * (torchvision's {@code conv1}/{@code bn1}, {@code downsample.0}/{@code downsample.1}) into the
     * convolution: \( W' = W \cdot s \), \( b' = b\, s + t \) with the BatchNorm's affine map \( s
     * x + t \) (read by running it on 0 and 1), and the BatchNorm becomes the identity. The module
     * names and types stay, so composites keep matching; LRP's rule on the convolution then sees
     * the whole affine layer.
     *
     * @param model the model; not to be run by other threads while the canonizer is open
     * @param manager under which the merged parameters live until {@link Canonizer#close()}
     * @return the canonizer
     */
    public static Canonizer mergeBatchNorm(EditableModel model, NDManager manager) {
        Checks.notNull(model, "model");
        Checks.notNull(manager, "manager");
        NDManager held = manager.newSubManager();
        List<Runnable> undo = new ArrayList<>();
        Canonizer canonizer =
                new Canonizer() {
                    private boolean closed;

                    @Override
                    public void close() {
                        if (closed) {
                            return;
                        }
                        closed = true;
                        for (int i = undo.size() - 1; i >= 0; i--) {
                            undo.get(i).run();
                        }
                        held.close();
                    }
                };
        try {
            List<String> names = model.layerNames();
            for (int i = 0; i + 1 < names.size(); i++) {
                String conv = names.get(i);
                String bn = names.get(i + 1);
                if (!"Conv2d".equals(model.layerType(conv))
                        || !"BatchNorm2d".equals(model.layerType(bn))
                        || !parent(conv).equals(parent(bn))
                        || !(model.layer(conv) instanceof Convolution c)) {
                    continue;
                }
                Block merged = merged(c, model.layer(bn), held);
                Block oldConv = model.replaceLayer(conv, merged);
                Block oldBn = model.replaceLayer(bn, LambdaBlock.singleton(x -> x, "Identity"));
                undo.add(
                        () -> {
                            model.replaceLayer(conv, oldConv);
                            model.replaceLayer(bn, oldBn);
                        });
                i++;
            }
            return canonizer;
        } catch (RuntimeException e) {
            canonizer.close();
            throw e;
        }
    }

    private static Block merged(Convolution conv, Block bn, NDManager held) {
        long channels = conv.getFilters();
        ParameterStore ps = new ParameterStore(held, false);
        NDArray zeros = held.zeros(new Shape(1, channels, 1, 1));
        NDArray shift =
                bn.forward(ps, new NDList(zeros), false).singletonOrThrow().reshape(channels);
        NDArray scale =
                bn.forward(ps, new NDList(zeros.onesLike()), false)
                        .singletonOrThrow()
                        .reshape(channels)
                        .sub(shift);
        NDArray w = copy(held, conv.getParameters().get("weight"));
        NDArray b =
                conv.isIncludeBias()
                        ? copy(held, conv.getParameters().get("bias"))
                        : held.zeros(new Shape(channels));
        Conv2d block =
                Conv2d.builder()
                        .setKernelShape(conv.getKernelShape())
                        .setFilters(conv.getFilters())
                        .optStride(conv.getStride())
                        .optPadding(conv.getPadding())
                        .optDilation(conv.getDilation())
                        .optGroups(conv.getGroups())
                        .optBias(true)
                        .build();
        block.getParameters().get("weight").setArray(w.mul(scale.reshape(channels, 1, 1, 1)));
        block.getParameters().get("bias").setArray(b.mul(scale).add(shift));
        return block;
    }

    private static NDArray copy(NDManager held, Parameter p) {
        NDArray value = p.getArray();
        return held.zeros(value.getShape(), value.getDataType()).add(value);
    }

    private static String parent(String dottedName) {
        int dot = dottedName.lastIndexOf('.');
        return dot < 0 ? "" : dottedName.substring(0, dot);
    }
}
