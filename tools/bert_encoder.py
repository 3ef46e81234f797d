"""A BERT-style encoder for captum4j's transformer tests and demo: the fixtures' tiny_text_transformer
shape (token + learned position embeddings, pre-LN blocks with q/k/v/softmax/out attention and a
GELU MLP, final LayerNorm, mean over tokens, classifier) scaled to 4 blocks, trained seeded on a
task whose deciding token is known: class 1 iff token ``KEY`` occurs in the sequence.

Writes ``bert_encoder.npz`` + ``bert_encoder.json`` (the ImportedModel format, with a verify pass and
the attention probabilities of every block for it, captured from the ``nn.Softmax`` modules) and
``bert_encoder_embeddings.json`` (the same weights run from the summed embeddings, for methods that
scale their inputs) into ``--out``:

    /usr/bin/python3 tools/bert_encoder.py --models-def src-test-resources \\
        --out src-test-resources/models
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

VOCAB = 30
LENGTH = 12
LAYERS = 4
KEY = 7
SEED = 41


def build(models_def2):
    class BertEncoder(nn.Module):
        def __init__(self, vocab=VOCAB, d=16, n_head=2, d_ff=32, max_len=16, n_classes=2):
            super().__init__()
            self.tok_emb = nn.Embedding(vocab, d)
            self.pos_emb = nn.Embedding(max_len, d)
            self.blocks = nn.ModuleList(
                [models_def2.Block(d, n_head, d_ff, False, max_len) for _ in range(LAYERS)])
            self.ln_f = nn.LayerNorm(d)
            self.classifier = nn.Linear(d, n_classes)

        def forward(self, ids):
            pos = torch.arange(ids.shape[1], device=ids.device)
            x = self.tok_emb(ids) + self.pos_emb(pos).unsqueeze(0)
            for b in self.blocks:
                x = b(x)
            return self.classifier(self.ln_f(x).mean(dim=1))

    return BertEncoder()


def data(n, generator):
    ids = torch.randint(1, VOCAB, (n, LENGTH), generator=generator)
    ids[ids == KEY] = KEY + 1
    positive = torch.rand(n, generator=generator) < 0.5
    where = torch.randint(0, LENGTH, (n,), generator=generator)
    ids[positive, where[positive]] = KEY
    return ids, positive.long()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--models-def", required=True, help="folder with models_def2.py")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, args.models_def)
    import models_def2

    torch.manual_seed(SEED)
    model = build(models_def2)
    g = torch.Generator().manual_seed(SEED)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):
        ids, y = data(64, g)
        loss = nn.functional.cross_entropy(model(ids), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    test, labels = data(256, g)
    with torch.no_grad():
        accuracy = float((model(test).argmax(1) == labels).float().mean())

    verify = test[:3]
    probs = {}
    hooks = [model.blocks[i].attn.softmax.register_forward_hook(
        lambda m, i, o, k=i: probs.__setitem__(k, o.detach())) for i in range(LAYERS)]
    with torch.no_grad():
        out = model(verify)
    for h in hooks:
        h.remove()

    def tensor(t, dtype):
        return {"shape": list(t.shape), "dtype": dtype, "data": t.flatten().tolist()}

    g_ = [{"out": "e", "op": "tok_emb", "in": ["x"]},
          {"out": "p", "op": "pos_emb(arange(T)) broadcast over N", "in": ["x"]},
          {"out": "h0", "op": "add", "in": ["e", "p"]}]
    for i in range(LAYERS):
        g_ += models_def2._block_graph(f"blocks.{i}", f"h{i}", f"h{i + 1}")
    g_ += [{"out": "z", "op": "ln_f", "in": [f"h{LAYERS}"]},
           {"out": "m", "op": "mean(dim=1)", "in": ["z"]},
           {"out": "y", "op": "classifier", "in": ["m"]}]
    state = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    np.savez(os.path.join(args.out, "bert_encoder.npz"), **state)
    spec = {
        "id": "bert_encoder",
        "inputs": [{"name": "ids", "shape": ["N", "T<=16"], "dtype": "int64"}],
        "output_shape": ["N", 2],
        "graph": g_,
        "attention": {"n_head": 2, "head_dim": 8, "causal": False},
        "task": {"key_token": KEY, "length": LENGTH, "vocab": VOCAB, "pad": 0,
                 "rule": "class 1 iff key_token occurs", "test_accuracy": accuracy},
        "notes": f"tools/bert_encoder.py, seed {SEED}: tiny_text_transformer scaled to {LAYERS} "
                 "blocks (blocks.0..3), trained 300 Adam steps (lr 0.01, batch 64). "
                 + models_def2.ATTN_NOTE.format(causal="no mask; "),
        "layers": models_def2.layer_list2(model),
        "parameters": {k: list(v.shape) for k, v in state.items()},
        "torchscript": {"verify_input": [tensor(verify, "int64")],
                        "verify_output": tensor(out, "float32")},
        "attention_probs": {f"blocks.{i}.attn.softmax": tensor(probs[i], "float32")
                            for i in range(LAYERS)},
        "state_dict_file": "bert_encoder.npz",
        "torch_version": torch.__version__,
    }
    with open(os.path.join(args.out, "bert_encoder.json"), "w") as f:
        json.dump(spec, f, indent=1)
    # the same weights from the embeddings on (Captum's BERT recipe for methods that scale their
    # inputs, such as LayerConductance): input = tok_emb(ids) + pos_emb(arange(T)), float
    tail = [op for op in g_ if op["op"] not in ("tok_emb", "add") or op["out"] != "h0"]
    tail = [op for op in tail if op["out"] not in ("e", "p")]
    tail = [dict(op, **{"in": ["x" if v == "h0" else v for v in op["in"]]}) for op in tail]
    embeds = dict(spec, id="bert_encoder_embeddings",
                  inputs=[{"name": "x", "shape": ["N", "T<=16", 16], "dtype": "float32"}],
                  graph=tail,
                  notes="bert_encoder from its summed token + position embeddings on (same weights; "
                        "tok_emb and pos_emb are listed, loaded and not run). " + spec["notes"])
    for k in ("torchscript", "attention_probs"):
        embeds.pop(k)
    with open(os.path.join(args.out, "bert_encoder_embeddings.json"), "w") as f:
        json.dump(embeds, f, indent=1)
    print("bert_encoder test accuracy", accuracy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
