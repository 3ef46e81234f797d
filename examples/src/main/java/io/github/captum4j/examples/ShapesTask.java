package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * The demo's synthetic image task: 1×32×32 grey images of clutter (noise, dots and short strokes)
 * with one object whose shape decides the class — 0 a filled square, 1 a plus, 2 a hollow ring — at
 * a random position. The object's bounding box (one pixel of margin) is the ground-truth mask of
 * the relevant region, so localisation scores can be computed exactly.
 *
 * @param images {@code (N, 1, 32, 32)} float32
 * @param labels {@code (N)} class indices
 * @param masks {@code (N, 32, 32)} 1 inside the object's box, 0 elsewhere
 */
record ShapesTask(NDArray images, int[] labels, NDArray masks) {

    static final int SIZE = 32;
    static final int CLASSES = 3;
    static final String[] CLASS_NAMES = {"square", "plus", "ring"};
    private static final int OBJECT = 7;

    /**
     * Generates a data set deterministically.
     *
     * @param n number of images
     * @param seed the seed
     * @param manager where the arrays go
     * @return the task
     */
    static ShapesTask generate(int n, long seed, NDManager manager) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[n * SIZE * SIZE];
        float[] masks = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int off = i * SIZE * SIZE;
            for (int p = 0; p < SIZE * SIZE; p++) {
                images[off + p] = (float) (0.08 * gaussian(random));
            }
            clutter(images, off, random);
            int label = random.nextInt(CLASSES);
            int r = 1 + random.nextInt(SIZE - OBJECT - 1);
            int c = 1 + random.nextInt(SIZE - OBJECT - 1);
            float intensity = (float) (0.7 + 0.3 * random.nextDouble());
            for (int dr = 0; dr < OBJECT; dr++) {
                for (int dc = 0; dc < OBJECT; dc++) {
                    if (inShape(label, dr, dc)) {
                        images[off + (r + dr) * SIZE + c + dc] = intensity;
                    }
                }
            }
            for (int dr = -1; dr <= OBJECT; dr++) {
                for (int dc = -1; dc <= OBJECT; dc++) {
                    int rr = r + dr;
                    int cc = c + dc;
                    if (rr >= 0 && rr < SIZE && cc >= 0 && cc < SIZE) {
                        masks[off + rr * SIZE + cc] = 1;
                    }
                }
            }
            labels[i] = label;
        }
        return new ShapesTask(
                manager.create(images, new Shape(n, 1, SIZE, SIZE)),
                labels,
                manager.create(masks, new Shape(n, SIZE, SIZE)));
    }

    /** The object of each class inside its 7×7 box. */
    private static boolean inShape(int label, int r, int c) {
        switch (label) {
            case 0:
                return r >= 1 && r <= 5 && c >= 1 && c <= 5;
            case 1:
                return r == 3 || c == 3;
            default:
                return r == 0 || r == OBJECT - 1 || c == 0 || c == OBJECT - 1;
        }
    }

    /** Dots and short horizontal or vertical strokes, none long enough to form an object. */
    private static void clutter(float[] images, int off, SplittableRandom random) {
        int strokes = 4 + random.nextInt(4);
        for (int s = 0; s < strokes; s++) {
            int length = 1 + random.nextInt(3);
            boolean horizontal = random.nextBoolean();
            int r = random.nextInt(SIZE);
            int c = random.nextInt(SIZE);
            float v = (float) (0.4 + 0.5 * random.nextDouble());
            for (int k = 0; k < length; k++) {
                int rr = horizontal ? r : r + k;
                int cc = horizontal ? c + k : c;
                if (rr < SIZE && cc < SIZE) {
                    images[off + rr * SIZE + cc] = v;
                }
            }
        }
    }

    /**
     * A standard normal draw (Box-Muller).
     *
     * @param random the source
     * @return the draw
     */
    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
