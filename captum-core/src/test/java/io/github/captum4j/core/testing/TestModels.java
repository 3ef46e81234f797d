package io.github.captum4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;

import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small models whose answers are known analytically, and the fixture folder. */
public final class TestModels {

    private TestModels() {}

    /**
     * The fixture root (src-test-resources), from the surefire property {@code captum4j.fixtures}.
     *
     * @return the folder
     */
    public static Path fixtures() {
        String p = System.getProperty("captum4j.fixtures", "../src-test-resources");
        return Path.of(p);
    }

    /**
     * A fixture model file.
     *
     * @param name file name in models/, e.g. {@code toy.pt}
     * @return its path
     */
    public static Path model(String name) {
        return fixtures().resolve("models").resolve(name);
    }

    /**
     * A linear model {@code f(x) = x W + b} over flattened inputs, output {@code (N, W.cols)}. The
     * weights are held as Java arrays and created per call in the input's manager, so the model
     * allocates nothing that outlives a call.
     *
     * @param in input features
     * @param out outputs
     * @param seed weight seed
     * @return the model
     */
    public static ForwardFunction linear(int in, int out, long seed) {
        float[] w = gaussian(in * out, seed);
        float[] b = gaussian(out, seed + 1);
        return (inputs, args) -> {
            NDArray x = inputs.get(0);
            NDManager m = x.getManager();
            return x.reshape(x.getShape().get(0), -1)
                    .matMul(m.create(w, new Shape(in, out)))
                    .add(m.create(b));
        };
    }

    /**
     * A two-layer ReLU network with a smooth tanh head, {@code (N, in) -> (N, out)}.
     *
     * @param in input features
     * @param hidden hidden units
     * @param out outputs
     * @param seed weight seed
     * @return the model
     */
    public static ForwardFunction mlp(int in, int hidden, int out, long seed) {
        float[] w1 = gaussian(in * hidden, seed);
        float[] b1 = gaussian(hidden, seed + 1);
        float[] w2 = gaussian(hidden * out, seed + 2);
        return (inputs, args) -> {
            NDArray x = inputs.get(0);
            NDManager m = x.getManager();
            NDArray h = x.matMul(m.create(w1, new Shape(in, hidden))).add(m.create(b1)).tanh();
            return h.matMul(m.create(w2, new Shape(hidden, out)));
        };
    }

    /**
     * Seeded standard normal floats.
     *
     * @param n count
     * @param seed the seed
     * @return the values
     */
    public static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }
}
