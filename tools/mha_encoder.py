"""A small transformer encoder built from ``nn.MultiheadAttention`` leaves, for captum4j's tests of
the graph executor's attention (``MhaEncoderTest``, the contract suite).

Two post-LN encoder layers (``nn.TransformerEncoderLayer``'s structure: x = LN(x + attn(x));
x = LN(x + fc2(act(fc1(x))))) that between them cover every argument the executor supports:

* ``blocks.0.attn``: ``batch_first=True``, packed ``in_proj_weight``, bias, a float causal
  ``attn_mask`` (a registered buffer, -inf above the diagonal), ``key_padding_mask = ids == 0``
  (bool, computed in the forward pass), ``need_weights`` left at its default (True) and output 0
  taken, dropout 0.1 (ignored in eval);
* ``blocks.1.attn``: ``batch_first=False`` (the layer transposes to (T, N, d) and back), separate
  ``q/k/v_proj_weight`` (``kdim = vdim = 12``: key and value come from a Linear(16, 12)), no bias,
  a bool causal ``attn_mask`` buffer, ``need_weights=False``.

Token embedding + a learned position parameter (1, T, 16), mean over tokens, a Linear classifier.
Random weights, seeded. Writes into ``--out`` (by ``export_taps.export_npz_json``):

* ``mha_encoder.npz`` / ``.json``: the model on token ids (N, 8), int64, pad id 0;
* ``mha_encoder_embeddings.npz`` / ``.json``: the same weights from the token embeddings on (N, 8,
  16) (no padding mask), for methods that scale their inputs and the contract suite;
* ``mha_encoder_reference.json``: PyTorch's outputs on three seeded id rows (two padded): the
  logits, ``blocks.0.attn``'s output 0, the token embeddings and the embeddings form's logits.

    /usr/bin/python3 tools/mha_encoder.py --out src-test-resources/models
"""
import argparse
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_taps import export_npz_json  # noqa: E402

VOCAB = 20
LENGTH = 8
D = 16
SEED = 23


class EncoderLayer(nn.Module):
    """Post-LN encoder layer around one nn.MultiheadAttention."""

    def __init__(self, heads, batch_first, kdim=None, bias=True, bool_mask=False):
        super().__init__()
        self.batch_first = batch_first
        self.attn = nn.MultiheadAttention(D, heads, dropout=0.1, bias=bias,
                                          batch_first=batch_first, kdim=kdim, vdim=kdim)
        self.kv = nn.Linear(D, kdim) if kdim else None
        causal = torch.ones(LENGTH, LENGTH, dtype=torch.bool).triu(1)
        if bool_mask:
            self.register_buffer("mask", causal)
        else:
            self.register_buffer("mask", torch.zeros(LENGTH, LENGTH).masked_fill(causal, float("-inf")))
        self.ln1 = nn.LayerNorm(D)
        self.fc1 = nn.Linear(D, 32)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(32, D)
        self.ln2 = nn.LayerNorm(D)

    def forward(self, h, pad=None):
        s = h if self.batch_first else h.transpose(0, 1)
        kv = self.kv(s) if self.kv is not None else s
        if pad is None:
            a = self.attn(s, kv, kv, attn_mask=self.mask, need_weights=False)[0]
        else:
            a = self.attn(s, kv, kv, key_padding_mask=pad, attn_mask=self.mask)[0]
        if not self.batch_first:
            a = a.transpose(0, 1)
        h = self.ln1(h + a)
        return self.ln2(h + self.fc2(self.act(self.fc1(h))))


class Encoder(nn.Module):
    """From embeddings on: position parameter, two layers, mean, classifier."""

    def __init__(self):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(1, LENGTH, D) * 0.5)
        self.blocks = nn.ModuleList([
            EncoderLayer(2, batch_first=True),
            EncoderLayer(4, batch_first=False, kdim=12, bias=False, bool_mask=True)])
        self.classifier = nn.Linear(D, 3)

    def encode(self, e, pad):
        h = e + self.pos
        h = self.blocks[0](h, pad)
        h = self.blocks[1](h)
        return self.classifier(h.mean(dim=1))

    def forward(self, e):
        return self.encode(e, None)


class MhaEncoder(nn.Module):
    """On token ids: the embedding, the padding mask ``ids == 0``, then the encoder."""

    def __init__(self, encoder):
        super().__init__()
        self.tok_emb = nn.Embedding(VOCAB, D)
        self.pos = encoder.pos
        self.blocks = encoder.blocks
        self.classifier = encoder.classifier
        self._encoder = [encoder]  # not a submodule: the weights are registered above

    def forward(self, ids):
        return self._encoder[0].encode(self.tok_emb(ids), ids.eq(0))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    torch.manual_seed(SEED)
    encoder = Encoder()
    model = MhaEncoder(encoder).eval()
    encoder.eval()
    g = torch.Generator().manual_seed(SEED)
    ids = torch.randint(1, VOCAB, (3, LENGTH), generator=g)
    ids[1, 6:] = 0
    ids[2, 3:] = 0
    export_npz_json(model, (ids,), "mha_encoder", args.out)
    with torch.no_grad():
        emb = model.tok_emb(ids)
        export_npz_json(encoder, (emb,), "mha_encoder_embeddings", args.out)
        captured = {}
        hook = model.blocks[0].attn.register_forward_hook(
            lambda m, i, o: captured.__setitem__("a", o[0]))
        logits = model(ids)
        hook.remove()
        from_embeddings = encoder(emb)

    def tensor(t, dtype="float32"):
        return {"shape": list(t.shape), "dtype": dtype, "data": t.flatten().tolist()}

    reference = {
        "notes": f"tools/mha_encoder.py, seed {SEED}, torch {torch.__version__}",
        "ids": tensor(ids, "int64"),
        "logits": tensor(logits),
        "blocks.0.attn": tensor(captured["a"]),
        "embeddings": tensor(emb),
        "embeddings_logits": tensor(from_embeddings),
    }
    with open(os.path.join(args.out, "mha_encoder_reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
