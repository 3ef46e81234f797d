"""Architecture JSON and reference outputs of torchvision models with formula weights.

Writes, for torchvision VGG11, MobileNetV2 and ResNet-50 (Debian's python3-torchvision), the
architecture JSON (no weights file: export_taps.export_npz_json with write_weights=False) and one
reference forward pass with every parameter set by ``formula_value`` (the same formula the Java
zoo test uses to write the weights), so the repository carries no large weight files, plus
Captum's GuidedBackprop of class ``TARGET`` at that input (every ``STRIDE``-th element, the sum and
the absolute sum), computed in plain PyTorch with a guided ReLU.

    /usr/bin/python3 tools/zoo_reference.py --out src-test-resources/models/zoo
"""
import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_taps import export_npz_json  # noqa: E402

MODELS = ("vgg11", "mobilenet_v2", "resnet50")
SIZE = 64
TARGET = 7
STRIDE = 7


class _GuidedReLUFunction(torch.autograd.Function):
    """ReLU whose backward passes max(0, grad) where the input was positive: Captum's
    GuidedBackprop on an nn.ReLU module (its backward hook clamps the module's input gradient)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return (grad * (x > 0).to(grad.dtype)).clamp(min=0)


class _GuidedReLU(torch.nn.Module):
    def forward(self, x):
        return _GuidedReLUFunction.apply(x)


def guided_backprop(model, x, target):
    """Captum's GuidedBackprop: every nn.ReLU module (not ReLU6, as Captum) replaced by the guided
    one, then the input gradient of output[:, target]."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is torch.nn.ReLU:
                setattr(parent, name, _GuidedReLU())
    x = x.clone().requires_grad_(True)
    model(x)[:, target].sum().backward()
    return x.grad.detach()


def formula_value(name, shape):
    """Deterministic parameter values: v_i = s * sin(0.618 i + k) with k from the name's
    characters, s by the parameter's role (fan-in scaled weights, BatchNorm near identity)."""
    n = 1
    for d in shape:
        n *= d
    k = sum(ord(c) for c in name) % 97
    base = torch.sin(torch.arange(n, dtype=torch.float64) * 0.618 + k)
    leaf = name.rsplit(".", 1)[-1]
    if leaf == "running_var":
        v = 1.0 + 0.5 * base * base
    elif leaf == "running_mean" or (leaf == "bias"):
        v = 0.1 * base
    elif leaf == "weight" and len(shape) == 1:
        v = 1.0 + 0.1 * base
    else:
        fan_in = n // shape[0]
        v = base * math.sqrt(3.0 / fan_in)
    return v.to(torch.float32).reshape(shape)


def formula_input(shape):
    n = 1
    for d in shape:
        n *= d
    return torch.sin(torch.arange(n, dtype=torch.float64) * 0.37).to(torch.float32).reshape(shape)


def main(argv=None):
    import torchvision

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    reference = {"input_shape": [1, 3, SIZE, SIZE], "torch_version": torch.__version__,
                 "torchvision_version": torchvision.__version__, "outputs": {},
                 "guided_backprop": {}}
    x = formula_input((1, 3, SIZE, SIZE))
    for name in MODELS:
        model = getattr(torchvision.models, name)().eval()
        model_id = "torchvision_" + name
        export_npz_json(model, (x,), model_id, args.out, write_weights=False)
        with torch.no_grad():
            state = {k: formula_value(k, list(v.shape)) for k, v in model.state_dict().items()
                     if not k.endswith("num_batches_tracked")}
            model.load_state_dict(state, strict=False)
            y = model(x)
        reference["outputs"][model_id] = {"shape": list(y.shape),
                                          "data": [float(v) for v in y.flatten()]}
        g = guided_backprop(model, x, TARGET).flatten()
        reference["guided_backprop"][model_id] = {
            "target": TARGET, "stride": STRIDE, "numel": g.numel(),
            "sampled": [float(v) for v in g[::STRIDE]],
            "sum": float(g.sum()), "abs_sum": float(g.abs().sum())}
        print(model_id, float(y.abs().max()))
    with open(os.path.join(args.out, "torchvision_zoo_reference.json"), "w") as f:
        json.dump(reference, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
