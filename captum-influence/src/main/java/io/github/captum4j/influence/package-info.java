/**
 * Training-data influence (API), Captum's {@code captum.influence}: which training examples made
 * the model predict what it predicts, and which training labels are probably wrong.
 *
 * <ul>
 *   <li>{@link io.github.captum4j.influence.TracInCP}: sum over checkpoints of the learning rate
 *       times the dot product of per-example loss gradients (all layers or chosen ones);
 *   <li>{@link io.github.captum4j.influence.TracInCPFast}: the same for the weight of the final
 *       fully connected layer only, in closed form from one forward pass;
 *   <li>{@link io.github.captum4j.influence.TracInCPFastRandProj}: TracInCPFast on seeded random
 *       projections of the per-example gradients, with exact nearest-neighbour search;
 *   <li>{@link io.github.captum4j.influence.SimilarityInfluence}: nearest training examples by
 *       cosine similarity or euclidean distance of layer activations.
 * </ul>
 *
 * <p>Checkpoints ({@link io.github.captum4j.influence.Checkpoint}) are model files loaded one at a
 * time; training data is any {@link java.lang.Iterable} of {@link
 * io.github.captum4j.influence.Batch}es, read again for every checkpoint, so it may stream from
 * disk.
 */
package io.github.captum4j.influence;
