/**
 * Model loading (API): TorchScript files through DJL's PyTorch engine ({@link
 * io.github.captum4j.core.model.TorchScriptModel}) and PyTorch models exported as weights ({@code
 * .npz}) plus architecture ({@code .json}), rebuilt as DJL Block models with PyTorch's layer names
 * ({@link io.github.captum4j.core.model.ImportedModel}).
 *
 * <p>A TorchScript file is code: load only files from a trusted source.
 */
package io.github.captum4j.core.model;
