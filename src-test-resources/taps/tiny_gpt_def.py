"""build(model_id) for tools/export_taps.py: the fixtures' tiny_gpt as the plain logits module
(models_def2.TinyGPT, ids (N,T) -> logits (N,T,V)) with the weights of models/tiny_gpt.npz.

    /usr/bin/python3 tools/export_taps.py --models-def src-test-resources/taps/tiny_gpt_def.py \
        --model tiny_gpt --model tiny_gpt6 --layers wte --out src-test-resources/taps

tiny_gpt6 (6 blocks, d 64, random init) is the bench's larger model.
"""
import importlib.util
import sys
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
_spec = importlib.util.spec_from_file_location("models_def2", os.path.join(HERE, "..", "models_def2.py"))
models_def2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(models_def2)


def build(model_id):
    if model_id == "tiny_gpt6":
        return build_gpt6()
    assert model_id == "tiny_gpt", model_id
    m = models_def2.TinyGPT()
    weights = np.load(os.path.join(HERE, "..", "models", "tiny_gpt.npz"))
    state = {k: torch.from_numpy(weights[k]) for k in weights.files}
    missing, unexpected = m.load_state_dict(state, strict=False)
    assert not unexpected, unexpected
    assert all("mask" in k or "bias" in k and "attn" in k for k in missing), missing
    m.eval()
    return m, (torch.tensor([[1, 4, 6, 10, 28, 18, 5, 9]]),)


def build_gpt6():
    """The bench's 6-layer model: TinyGPT(d=64, 4 heads, MLP 256, 6 blocks, max_len 64), seed 0."""
    torch.manual_seed(0)
    m = models_def2.TinyGPT(d=64, n_head=4, d_ff=256, n_layer=6, max_len=64)
    m.eval()
    return m, (torch.tensor([[1, 4, 6, 10, 28, 18, 5, 9]]),)
