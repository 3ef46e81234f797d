package io.github.captum4j.viz;

/**
 * Where the channels of an image or image attribution are: Captum's visualisation takes {@code (H,
 * W, C)} arrays; PyTorch models and DJL attributions are {@code (C, H, W)}.
 */
public enum ChannelLayout {
    /** {@code (H, W, C)}, Captum's and matplotlib's layout (the default). */
    CHANNELS_LAST,
    /** {@code (C, H, W)}, the layout of PyTorch tensors and of attributions of image models. */
    CHANNELS_FIRST
}
