package io.github.captum4j.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code llm} demo's causal LM: a tiny GPT built from DJL blocks and trained with DJL's
 * training API on {@link LlmDemoTask}, then written in the PyTorch export format ({@code .npz} with
 * PyTorch names + architecture {@code .json}, the layout of the fixtures' tiny_gpt) so the library
 * imports it as a Block model with named layers ({@code wte}, {@code h.0.attn.q}, ...) exactly as it
 * imports a model trained in PyTorch. Architecture: token embedding {@code wte} + learned position
 * embedding {@code wpe}; {@value #LAYERS} pre-LN blocks {@code x += attn(ln1(x)); x +=
 * fc2(relu(fc1(ln2(x))))} with causal multi-head self-attention ({@value #HEADS} heads, explicit
 * {@code q}, {@code k}, {@code v}, {@code out} Linear layers); {@code ln_f}; {@code lm_head} (no
 * bias). Logits {@code (B, T, V)}.
 */
final class LlmDemoModel {

    static final String ID = "llm_demo_gpt";
    static final int DIM = 32;
    static final int HEADS = 2;
    static final int LAYERS = 2;
    static final int HIDDEN = 64;
    static final int MAX_LENGTH = 16;

    private LlmDemoModel() {}

    /** The result of training: the architecture file, the last loss and the steps taken. */
    record Trained(Path json, float loss, int steps) {}

    /**
     * Trains the LM (Adam, batches of 64 prompts, cross-entropy of the answer at the last position)
     * until the mean loss of the last 20 steps is below {@code 0.01} or {@code maxSteps}, and writes
     * {@code llm_demo_gpt.json} and {@code .npz} into a folder.
     *
     * @param seed the seed of initialisation and data
     * @param maxSteps the step limit
     * @param dir where the files go
     * @return the files and the training summary
     * @throws IOException if the files cannot be written
     */
    static Trained trainAndExport(int seed, int maxSteps, Path dir) throws IOException {
        return withOneThread(() -> train(seed, maxSteps, dir));
    }

    /**
     * Runs work with one libtorch intra-op thread, then restores the count. The demo's tensors are
     * tiny, so more threads only add synchronisation; on a shared machine their spinning made each
     * training step about 50 times slower (measured: 3.5 s vs 70 ms per step at load 40). The
     * setting is process-wide while the work runs.
     *
     * @param work the work
     * @param <T> its result type
     * @return its result
     * @throws IOException if the work throws it
     */
    static <T> T withOneThread(IoWork<T> work) throws IOException {
        Engine.getInstance(); // loads libtorch
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return work.run();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    /** Work that may throw an {@link IOException}. */
    @FunctionalInterface
    interface IoWork<T> {
        T run() throws IOException;
    }

    private static Trained train(int seed, int maxSteps, Path dir) throws IOException {
        int vocab = LlmDemoTask.TOKENIZER.size();
        Engine.getInstance().setRandomSeed(seed);
        Gpt net = new Gpt(vocab);
        try (Model model = Model.newInstance(ID)) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
            SplittableRandom data = new SplittableRandom(seed);
            float recent = Float.NaN;
            float last = Float.NaN;
            int step = 0;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, LlmDemoTask.LENGTH));
                NDManager m = trainer.getManager();
                while (step < maxSteps && !(recent < 0.01f)) {
                    step++;
                    try (NDManager scratch = m.newSubManager()) {
                        NDList batch = LlmDemoTask.batch(scratch, data, 64);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(batch.get(0))).singletonOrThrow();
                            NDArray answer = logits.get(new NDIndex(":, -1, :"));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(batch.get(1)), new NDList(answer));
                            gc.backward(loss);
                            last = loss.getFloat();
                        }
                        trainer.step();
                    }
                    recent = step <= 20 ? Float.NaN : Float.isNaN(recent) ? last : 0.95f * recent + 0.05f * last;
                }
            }
            return new Trained(export(net, vocab, dir), last, step);
        }
    }

    /** One pre-LN block's layers. */
    private record Layer(
            LayerNorm ln1, Linear q, Linear k, Linear v, Linear out, LayerNorm ln2, Linear fc1, Linear fc2) {}

    /** The DJL block. */
    static final class Gpt extends AbstractBlock {
        private final int vocab;
        private final Parameter wte;
        private final Parameter wpe;
        private final List<Layer> layers = new ArrayList<>();
        private final LayerNorm lnF;
        private final Linear lmHead;

        Gpt(int vocab) {
            this.vocab = vocab;
            wte = addParameter(Parameter.builder().setName("wte").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(vocab, DIM)).build());
            wpe = addParameter(Parameter.builder().setName("wpe").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(MAX_LENGTH, DIM)).build());
            for (int i = 0; i < LAYERS; i++) {
                String p = "h." + i + ".";
                layers.add(new Layer(
                        addChildBlock(p + "ln1", LayerNorm.builder().axis(2).build()),
                        addChildBlock(p + "attn.q", Linear.builder().setUnits(DIM).build()),
                        addChildBlock(p + "attn.k", Linear.builder().setUnits(DIM).build()),
                        addChildBlock(p + "attn.v", Linear.builder().setUnits(DIM).build()),
                        addChildBlock(p + "attn.out", Linear.builder().setUnits(DIM).build()),
                        addChildBlock(p + "ln2", LayerNorm.builder().axis(2).build()),
                        addChildBlock(p + "mlp.fc1", Linear.builder().setUnits(HIDDEN).build()),
                        addChildBlock(p + "mlp.fc2", Linear.builder().setUnits(DIM).build())));
            }
            lnF = addChildBlock("ln_f", LayerNorm.builder().axis(2).build());
            lmHead = addChildBlock("lm_head", Linear.builder().setUnits(vocab).optBias(false).build());
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape x = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), DIM);
            Shape h = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), HIDDEN);
            for (Layer l : layers) {
                for (ai.djl.nn.Block b : List.of(l.ln1(), l.q(), l.k(), l.v(), l.out(), l.ln2(), l.fc1())) {
                    b.initialize(manager, dataType, x);
                }
                l.fc2().initialize(manager, dataType, h);
            }
            lnF.initialize(manager, dataType, x);
            lmHead.initialize(manager, dataType, x);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocab)};
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray ids = inputs.singletonOrThrow();
            int t = (int) ids.getShape().get(1);
            NDArray e = ids.oneHot(vocab).toType(DataType.FLOAT32, false)
                    .matMul(ps.getValue(wte, ids.getDevice(), training));
            NDArray x = e.add(ps.getValue(wpe, ids.getDevice(), training).get(new NDIndex("0:{}", t)));
            NDArray mask = causalMask(ids.getManager(), t);
            for (Layer l : layers) {
                x = x.add(attention(ps, l, call(ps, l.ln1(), x, training), mask, training));
                NDArray hidden = call(ps, l.fc1(), call(ps, l.ln2(), x, training), training).maximum(0f);
                x = x.add(call(ps, l.fc2(), hidden, training));
            }
            return new NDList(call(ps, lmHead, call(ps, lnF, x, training), training));
        }

        private NDArray attention(ParameterStore ps, Layer l, NDArray x, NDArray mask, boolean training) {
            long b = x.getShape().get(0);
            long t = x.getShape().get(1);
            int dh = DIM / HEADS;
            NDArray q = heads(call(ps, l.q(), x, training), dh);
            NDArray k = heads(call(ps, l.k(), x, training), dh);
            NDArray v = heads(call(ps, l.v(), x, training), dh);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(dh)).add(mask);
            NDArray y = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, DIM);
            return call(ps, l.out(), y, training);
        }

        private static NDArray heads(NDArray x, int dh) {
            return x.reshape(x.getShape().get(0), x.getShape().get(1), HEADS, dh).transpose(0, 2, 1, 3);
        }

        private static NDArray call(ParameterStore ps, ai.djl.nn.Block block, NDArray x, boolean training) {
            return block.forward(ps, new NDList(x), training).singletonOrThrow();
        }

        private static NDArray causalMask(NDManager m, int t) {
            float[] mask = new float[t * t];
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < t; j++) {
                    mask[i * t + j] = Float.NEGATIVE_INFINITY;
                }
            }
            return m.create(mask, new Shape(t, t));
        }
    }

    private static Path export(Gpt net, int vocab, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, NDArray> named = new LinkedHashMap<>();
        named.put("wte.weight", net.wte.getArray());
        named.put("wpe.weight", net.wpe.getArray());
        List<Map<String, Object>> layerSpecs = new ArrayList<>();
        layerSpecs.add(embedding("wte", vocab));
        layerSpecs.add(embedding("wpe", MAX_LENGTH));
        List<Map<String, Object>> graph = new ArrayList<>();
        graph.add(op("e", "wte", "x"));
        graph.add(op("p", "wpe(arange(T)) broadcast over N", "x"));
        graph.add(op("h0", "add", "e", "p"));
        for (int i = 0; i < LAYERS; i++) {
            Layer l = net.layers.get(i);
            String p = "h." + i + ".";
            norm(named, layerSpecs, p + "ln1", l.ln1());
            linear(named, layerSpecs, p + "attn.q", l.q(), DIM, DIM);
            linear(named, layerSpecs, p + "attn.k", l.k(), DIM, DIM);
            linear(named, layerSpecs, p + "attn.v", l.v(), DIM, DIM);
            layerSpecs.add(spec(p + "attn.softmax", "Softmax", "dim", -1));
            linear(named, layerSpecs, p + "attn.out", l.out(), DIM, DIM);
            norm(named, layerSpecs, p + "ln2", l.ln2());
            linear(named, layerSpecs, p + "mlp.fc1", l.fc1(), DIM, HIDDEN);
            layerSpecs.add(spec(p + "mlp.act", "ReLU", "inplace", false));
            linear(named, layerSpecs, p + "mlp.fc2", l.fc2(), HIDDEN, DIM);
            String in = "h" + i;
            String s = "h." + i + "_";
            graph.add(op(s + "a", p + "ln1", in));
            graph.add(op(s + "b", p + "attn (q,k,v,softmax,out; see notes)", s + "a"));
            graph.add(op(s + "c", "add", in, s + "b"));
            graph.add(op(s + "d", p + "ln2", s + "c"));
            graph.add(op(s + "e", p + "mlp.fc1", s + "d"));
            graph.add(op(s + "f", p + "mlp.act", s + "e"));
            graph.add(op(s + "g", p + "mlp.fc2", s + "f"));
            graph.add(op("h" + (i + 1), "add", s + "c", s + "g"));
        }
        norm(named, layerSpecs, "ln_f", net.lnF);
        linear(named, layerSpecs, "lm_head", net.lmHead, DIM, vocab);
        graph.add(op("hf", "ln_f", "h" + LAYERS));
        graph.add(op("y", "lm_head", "hf"));

        NDList weights = new NDList();
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : named.entrySet()) {
            NDArray w = e.getValue().duplicate();
            w.setName(e.getKey());
            weights.add(w);
            List<Long> dims = new ArrayList<>();
            for (long d : w.getShape().getShape()) {
                dims.add(d);
            }
            shapes.put(e.getKey(), dims);
        }
        try (OutputStream os = Files.newOutputStream(dir.resolve(ID + ".npz"))) {
            weights.encode(os, NDList.Encoding.NPZ);
        }
        weights.close();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", ID);
        json.put("inputs", List.of(Map.of("name", "input_ids", "shape", List.of("N", "T<=" + MAX_LENGTH),
                "dtype", "int64")));
        json.put("output_shape", List.of("N", "T", vocab));
        json.put("graph", graph);
        json.put("attention", Map.of("n_head", HEADS, "head_dim", DIM / HEADS, "causal", true));
        json.put("vocab", LlmDemoTask.TOKENIZER.vocabulary());
        json.put("layers", layerSpecs);
        json.put("parameters", shapes);
        json.put("state_dict_file", ID + ".npz");
        json.put("notes", "trained by captum4j's llm demo with DJL's training API; causal LM, pre-LN"
                + " blocks, ReLU MLP, attention as the fixtures' tiny_gpt");
        return ArchitectureJson.write(dir.resolve(ID + ".json"), json);
    }

    private static Map<String, Object> op(String out, String op, String... in) {
        return Map.of("out", out, "op", op, "in", List.of(in));
    }

    private static Map<String, Object> spec(String name, String type, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        m.put(key, value);
        return m;
    }

    private static Map<String, Object> embedding(String name, int count) {
        Map<String, Object> m = spec(name, "Embedding", "num_embeddings", count);
        m.put("embedding_dim", DIM);
        return m;
    }

    private static void norm(Map<String, NDArray> named, List<Map<String, Object>> specs, String name, LayerNorm n) {
        named.put(name + ".weight", n.getParameters().get("gamma").getArray());
        named.put(name + ".bias", n.getParameters().get("beta").getArray());
        Map<String, Object> m = spec(name, "LayerNorm", "normalized_shape", List.of(DIM));
        m.put("eps", 1e-5);
        m.put("elementwise_affine", true);
        specs.add(m);
    }

    private static void linear(
            Map<String, NDArray> named, List<Map<String, Object>> specs, String name, Linear l, int in, int out) {
        named.put(name + ".weight", l.getParameters().get("weight").getArray());
        boolean bias = l.getParameters().contains("bias");
        if (bias) {
            named.put(name + ".bias", l.getParameters().get("bias").getArray());
        }
        Map<String, Object> m = ArchitectureJson.linear(name, in, out);
        m.put("bias", bias);
        specs.add(m);
    }
}
