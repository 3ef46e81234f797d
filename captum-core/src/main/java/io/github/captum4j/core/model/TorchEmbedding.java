package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code nn.Embedding} as a leaf block: integer ids of any shape {@code (*)} to rows of
 * the {@code weight} table, shape {@code (*, embedding_dim)}. DJL's own {@code Embedding} is built
 * around a vocabulary of items; this is the plain table lookup ({@code F.embedding}).
 */
final class TorchEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final long numEmbeddings;
    private final long embeddingDim;
    private final Parameter weight;

    /**
     * Creates the block.
     *
     * @param numEmbeddings the number of rows
     * @param embeddingDim the size of each row
     */
    TorchEmbedding(long numEmbeddings, long embeddingDim) {
        super(VERSION);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        if (!ids.getDataType().isInteger()) {
            throw new IllegalArgumentException(
                    "Embedding input must hold integer token ids (int64), got "
                            + ids.getDataType()
                            + " of shape "
                            + ids.getShape());
        }
        NDArray table = ps.getValue(weight, ids.getDevice(), false);
        // starts from the ids: the result belongs to the caller's manager
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(embeddingDim)};
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(numEmbeddings, embeddingDim));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Embedding(" + numEmbeddings + ", " + embeddingDim + ")";
    }
}
