package io.github.captum4j.core.rules;

import ai.djl.nn.Block;

import java.util.List;

/**
 * A model whose modules can be read and swapped by name, what a {@link Canonizer} rewrites (e.g.
 * {@link io.github.captum4j.core.model.ImportedModel}).
 */
public interface EditableModel {

    /**
     * Every module's dotted name, in execution order.
     *
     * @return the names
     */
    List<String> layerNames();

    /**
     * The PyTorch class name of a module.
     *
     * @param dottedName the module's name
     * @return the class name, e.g. {@code Conv2d}
     */
    String layerType(String dottedName);

    /**
     * The block installed for a module.
     *
     * @param dottedName the module's name
     * @return the block
     */
    Block layer(String dottedName);

    /**
     * Installs another block for a module.
     *
     * @param dottedName the module's name
     * @param replacement the new block
     * @return the block installed before
     */
    Block replaceLayer(String dottedName, Block replacement);
}
