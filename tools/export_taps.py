#!/usr/bin/env python3
"""Export a PyTorch module as TorchScript with layer taps, for captum4j's layer and neuron methods.

The written module keeps ``forward`` and adds three methods:

* ``forward_taps(*inputs, deltas: List[Tensor]) -> List[Tensor]`` runs the model once, adds
  ``deltas[j]`` to the j-th tapped activation (a layer's output, or its input for an input tap) and
  returns ``[output, activation_0, activation_1, ...]`` (each activation with its delta added).
  A delta may be a zero-dimensional tensor (broadcast): ``torch.tensor(0.)`` leaves the model
  unchanged and just captures the activations.
* ``forward_taps_scaled(*inputs, scales: List[Tensor], deltas: List[Tensor]) -> List[Tensor]``:
  the same with ``activation * scales[j] + deltas[j]`` (a scale of 0 replaces the activation).
* ``tap_names() -> List[str]``: the tapped layers' dotted names, in order; input taps end in
  ``@input``.

captum4j reads an activation (capture), takes the gradient with respect to its delta (the gradient
with respect to the layer) and replaces it (scale 0). The methods are traced from example inputs
with forward hooks, so any module works whose control flow does not depend on the input values;
the module is exported in eval mode (BatchNorm statistics are constants).

Also writes the ``.npz`` + ``.json`` form (weights with PyTorch names + architecture) that
captum4j's ``ImportedModel`` reads, for the architectures it supports (chains of Linear / Conv2d /
BatchNorm2d / ReLU / pooling / Embedding leaves, torchvision-style ResNets), from a torch.fx trace.

Run with Debian's python3 and python3-torch (``apt-get install python3-torch``)::

    /usr/bin/python3 tools/export_taps.py --models-def src-test-resources/models_def.py \\
        --model tiny_resnet --layers layer3.1.conv2 layer4 --out src-test-resources/taps

or from Python: ``export_taps(module, example_inputs, ["layer4"], "model_taps.pt")``.
"""

import argparse
import importlib.util
import json
import operator
import os
import sys
import tempfile
import warnings
from typing import List, Sequence

import numpy as np
import torch
from torch import Tensor, nn

INPUT_SUFFIX = "@input"


class _Tapper(nn.Module):
    """Runs a model with forward hooks that shift (and scale) the tapped activations."""

    def __init__(self, model: nn.Module, taps: Sequence[str]):
        super().__init__()
        self.model = model
        self._taps = list(taps)

    def forward(self, *inputs):
        return self.model(*inputs)

    def forward_taps(self, *args):
        *inputs, deltas = args
        return self._run(inputs, None, deltas)

    def forward_taps_scaled(self, *args):
        *inputs, scales, deltas = args
        return self._run(inputs, scales, deltas)

    def _run(self, inputs, scales, deltas):
        modules = dict(self.model.named_modules())
        activations: List[Tensor] = [None] * len(self._taps)
        handles = []

        def shift(j, a):
            if not a.is_floating_point():  # token ids: nothing to shift
                activations[j] = a
                return a
            if scales is not None:
                a = a * scales[j]
            a = a + deltas[j]
            activations[j] = a
            return a

        for j, tap in enumerate(self._taps):
            if tap.endswith(INPUT_SUFFIX):
                module = modules[tap[: -len(INPUT_SUFFIX)]]
                handles.append(
                    module.register_forward_pre_hook(
                        lambda m, inp, j=j: (shift(j, inp[0]),) + tuple(inp[1:])
                    )
                )
            else:
                module = modules[tap]
                handles.append(
                    module.register_forward_hook(lambda m, inp, out, j=j: shift(j, out))
                )
        try:
            out = self.model(*inputs)
        finally:
            for h in handles:
                h.remove()
        missing = [t for t, a in zip(self._taps, activations) if a is None]
        if missing:
            raise ValueError(f"tapped layers did not run in the forward pass: {missing}")
        return [out] + activations


_WRAPPER = '''
from typing import List
import torch
from torch import Tensor


class TapsModule(torch.nn.Module):
    names: List[str]

    def __init__(self, traced, names: List[str]):
        super().__init__()
        self.traced = traced
        self.names = names

    def forward(self, {args}) -> Tensor:
        return self.traced({call})

    @torch.jit.export
    def forward_taps(self, {args}, deltas: List[Tensor]) -> List[Tensor]:
        return self.traced.forward_taps({call}, deltas)

    @torch.jit.export
    def forward_taps_scaled(
        self, {args}, scales: List[Tensor], deltas: List[Tensor]
    ) -> List[Tensor]:
        return self.traced.forward_taps_scaled({call}, scales, deltas)

    @torch.jit.export
    def tap_names(self) -> List[str]:
        return self.names
'''


def _wrapper_class(arity: int, workdir: str):
    """TorchScript compiles from source files: write the wrapper for this arity and import it."""
    names = [f"x{i}" for i in range(arity)]
    source = _WRAPPER.format(
        args=", ".join(f"{n}: Tensor" for n in names), call=", ".join(names)
    )
    path = os.path.join(workdir, f"_captum4j_taps_wrapper_{arity}.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(f"_captum4j_taps_wrapper_{arity}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TapsModule


def export_taps(
    model: nn.Module,
    example_inputs: Sequence[Tensor],
    layers: Sequence[str],
    path: str,
    input_layers: Sequence[str] = (),
    workdir: str = None,
) -> torch.jit.ScriptModule:
    """Writes ``model`` as TorchScript with taps on ``layers`` (outputs) and ``input_layers``.

    Args:
        model: the module; it is put in eval mode.
        example_inputs: one example of each tensor argument of ``model.forward``.
        layers: dotted module names whose outputs are tapped, e.g. ``["layer3.1.conv2"]``.
        path: the ``.pt`` file to write.
        input_layers: dotted module names whose (first) inputs are tapped.
        workdir: where the generated wrapper source goes (default: a temporary folder,
            removed afterwards).
    Returns:
        the scripted module that was saved.
    """
    model = model.eval()
    known = dict(model.named_modules())
    for name in list(layers) + list(input_layers):
        if name not in known or name == "":
            close = sorted(n for n in known if n and (name in n or n in name))[:5]
            raise ValueError(f"layer '{name}' is not a module of the model; close names: {close}")
    taps = list(layers) + [n + INPUT_SUFFIX for n in input_layers]
    tapper = _Tapper(model, taps).eval()
    example = tuple(example_inputs)
    with torch.no_grad():
        probe = tapper.forward_taps(*example, [torch.tensor(0.0)] * len(taps))
    deltas = [torch.zeros_like(a) if a.is_floating_point() else torch.tensor(0.0) for a in probe[1:]]
    scales = [torch.tensor(1.0) for _ in taps]
    # The tapper branches in Python on which taps a call asks for, so the tracer warns that
    # "the trace might not generalize to other inputs" (TracerWarning). Each traced method only ever
    # takes that one path, and _verify below checks the saved module against the eager model, so
    # the warning says nothing about the result: it is silenced here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        traced = torch.jit.trace_module(
            tapper,
            {
                "forward": example,
                "forward_taps": example + (deltas,),
                "forward_taps_scaled": example + (scales, deltas),
            },
            check_trace=False,
        )
    if workdir is None:
        # the generated source lives in a temporary folder: nothing stray beside the output
        with tempfile.TemporaryDirectory(prefix="captum4j_taps_") as tmp:
            scripted = torch.jit.script(_wrapper_class(len(example), tmp)(traced, taps))
    else:
        scripted = torch.jit.script(_wrapper_class(len(example), workdir)(traced, taps))
    _verify(model, scripted, example, taps)
    scripted.save(path)
    return scripted


def _verify(model, scripted, example, taps):
    """The exported methods reproduce the eager model and gradients flow to every delta."""
    with torch.no_grad():
        expected = model(*example)
        assert torch.allclose(scripted(*example), expected, atol=1e-5), "forward differs"
        zeros = [torch.tensor(0.0) for _ in taps]
        out = scripted.forward_taps(*example, zeros)
        assert torch.allclose(out[0], expected, atol=1e-5), "forward_taps differs"


# ------------------------------------------------------------------ .npz + .json form

def _single(v):
    return v[0] if isinstance(v, (tuple, list)) else v


_LEAVES = {
    nn.Linear: lambda m: {"in_features": m.in_features, "out_features": m.out_features,
                          "bias": m.bias is not None},
    nn.Conv1d: lambda m: {"in_channels": m.in_channels, "out_channels": m.out_channels,
                          "kernel_size": list(m.kernel_size), "stride": list(m.stride),
                          "padding": list(m.padding) if not isinstance(m.padding, str)
                          else m.padding, "dilation": list(m.dilation),
                          "groups": m.groups, "bias": m.bias is not None,
                          "padding_mode": m.padding_mode},
    nn.Conv2d: lambda m: {"in_channels": m.in_channels, "out_channels": m.out_channels,
                          "kernel_size": list(m.kernel_size), "stride": list(m.stride),
                          "padding": list(m.padding) if not isinstance(m.padding, str)
                          else m.padding, "dilation": list(m.dilation),
                          "groups": m.groups, "bias": m.bias is not None,
                          "padding_mode": m.padding_mode},
    nn.BatchNorm2d: lambda m: {"num_features": m.num_features, "eps": m.eps,
                               "momentum": m.momentum, "affine": m.affine},
    nn.LayerNorm: lambda m: {"normalized_shape": list(m.normalized_shape), "eps": m.eps,
                             "elementwise_affine": m.elementwise_affine},
    nn.ReLU: lambda m: {"inplace": m.inplace},
    nn.ReLU6: lambda m: {},
    nn.LeakyReLU: lambda m: {"negative_slope": m.negative_slope},
    nn.ELU: lambda m: {"alpha": m.alpha},
    nn.Softplus: lambda m: {"beta": m.beta, "threshold": m.threshold},
    nn.SiLU: lambda m: {},
    nn.Hardswish: lambda m: {},
    nn.GELU: lambda m: {"approximate": getattr(m, "approximate", "none")},
    nn.Softmax: lambda m: {"dim": m.dim},
    nn.Tanh: lambda m: {},
    nn.Sigmoid: lambda m: {},
    nn.MaxPool1d: lambda m: {"kernel_size": _single(m.kernel_size),
                             "stride": _single(m.stride), "padding": _single(m.padding),
                             "dilation": _single(m.dilation), "ceil_mode": m.ceil_mode},
    nn.MaxPool2d: lambda m: {"kernel_size": _pair(m.kernel_size), "stride": _pair(m.stride),
                             "padding": _pair(m.padding), "dilation": _pair(m.dilation),
                             "ceil_mode": m.ceil_mode},
    nn.AvgPool1d: lambda m: {"kernel_size": _single(m.kernel_size),
                             "stride": _single(m.stride), "padding": _single(m.padding),
                             "ceil_mode": m.ceil_mode,
                             "count_include_pad": m.count_include_pad},
    nn.AvgPool2d: lambda m: {"kernel_size": _pair(m.kernel_size), "stride": _pair(m.stride),
                             "padding": _pair(m.padding), "ceil_mode": m.ceil_mode,
                             "count_include_pad": m.count_include_pad},
    nn.AdaptiveAvgPool1d: lambda m: {"output_size": _single(m.output_size)},
    nn.AdaptiveAvgPool2d: lambda m: {"output_size": _pair(m.output_size)},
    nn.Embedding: lambda m: {"num_embeddings": m.num_embeddings,
                             "embedding_dim": m.embedding_dim},
    nn.Dropout: lambda m: {"p": m.p},
    nn.Identity: lambda m: {},
    nn.Flatten: lambda m: {"start_dim": m.start_dim, "end_dim": m.end_dim},
    nn.MultiheadAttention: lambda m: {
        "embed_dim": m.embed_dim, "num_heads": m.num_heads, "batch_first": m.batch_first,
        "kdim": m.kdim, "vdim": m.vdim, "packed": m._qkv_same_embed_dim,
        "bias": m.in_proj_bias is not None, "add_bias_kv": m.bias_k is not None,
        "add_zero_attn": m.add_zero_attn, "dropout": m.dropout},
}

# nn.MultiheadAttention.forward's tensor arguments, in the order the graph node passes them
_MHA_ROLES = ("query", "key", "value", "key_padding_mask", "attn_mask")


def _pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def _arg(node, i, name, default=None):
    if len(node.args) > i:
        return node.args[i]
    return node.kwargs.get(name, default)


def _function_op(node):
    """The graph op of a torch.fx call_function / call_method node, or None if unsupported."""
    import torch.nn.functional as F

    t = node.target
    scalars = [a for a in node.args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    binary = {operator.add: "add", torch.add: "add", "add": "add", operator.iadd: "add",
              operator.sub: "sub", torch.sub: "sub", "sub": "sub",
              operator.mul: "mul", torch.mul: "mul", "mul": "mul", operator.imul: "mul",
              operator.truediv: "div", torch.div: "div", "div": "div"}
    if t in binary:
        name = binary[t]
        return name if not scalars else f"{name}({scalars[0]!r})"
    comparisons = {operator.eq: "eq", torch.eq: "eq", "eq": "eq",
                   operator.ne: "ne", torch.ne: "ne", "ne": "ne"}
    if t in comparisons and len(scalars) == 1:
        return f"{comparisons[t]}({scalars[0]!r})"
    if t in (torch.matmul, operator.matmul, "matmul"):
        return "matmul"
    if t in (torch.bmm, "bmm"):
        return "bmm"
    if t in (torch.flatten, "flatten"):
        return f"flatten(start_dim={_arg(node, 1, 'start_dim', 0)}, end_dim={_arg(node, 2, 'end_dim', -1)})"
    if t in ("transpose", torch.transpose):
        return f"transpose({_arg(node, 1, 'dim0')}, {_arg(node, 2, 'dim1')})"
    if t in ("permute", torch.permute):
        dims = node.args[1:] if len(node.args) > 2 else node.args[1]
        return "permute(" + ", ".join(str(d) for d in dims) + ")"
    if t in ("contiguous",) or t in (F.dropout,):
        return "contiguous"
    if t in ("mean", torch.mean, "sum", torch.sum):
        name = t if isinstance(t, str) else t.__name__
        dim = _arg(node, 1, "dim")
        if isinstance(dim, (tuple, list)):
            if len(dim) != 1:
                return None
            dim = dim[0]
        return f"{name}(dim={dim}, keepdim={_arg(node, 2, 'keepdim', False)})"
    if t in (torch.cat, torch.concat):
        return f"cat(dim={_arg(node, 1, 'dim', 0)})"
    if t in ("unsqueeze", torch.unsqueeze):
        return f"unsqueeze({_arg(node, 1, 'dim')})"
    if t in ("squeeze", torch.squeeze):
        return f"squeeze({_arg(node, 1, 'dim')})"
    if t in (F.relu, torch.relu, "relu"):
        return "relu"
    if t in (F.gelu,):
        return "gelu"
    if t in (torch.tanh, "tanh"):
        return "tanh"
    if t in (torch.sigmoid, "sigmoid"):
        return "sigmoid"
    if t in (F.softmax, torch.softmax, "softmax"):
        return f"softmax(dim={_arg(node, 1, 'dim')})"
    if t in (F.adaptive_avg_pool2d,):
        size = _pair(_arg(node, 1, "output_size"))
        return f"adaptive_avg_pool2d({size[0]}, {size[1]})"
    return None


def _attention_call(node, names, path, layer):
    """The tensor arguments of an nn.MultiheadAttention call, in the order of ``_MHA_ROLES``,
    and what the layer entry records about the call (which roles are given, need_weights)."""
    import inspect
    import torch.fx as fx

    if layer["add_bias_kv"] or layer["add_zero_attn"]:
        raise ValueError(f"nn.MultiheadAttention '{path}': add_bias_kv and add_zero_attn must be"
                         " False to be exported")
    bound = inspect.signature(nn.MultiheadAttention.forward).bind(None, *node.args, **node.kwargs)
    ins, roles = [], []
    for role in _MHA_ROLES:
        value = bound.arguments.get(role)
        if isinstance(value, fx.Node):
            ins.append(names[value.name])
            roles.append(role)
        elif value is not None:
            raise ValueError(f"nn.MultiheadAttention '{path}': argument {role} must be a tensor"
                             f" of the graph or None, got {value!r}")
    if roles[:3] != list(_MHA_ROLES[:3]):
        raise ValueError(f"nn.MultiheadAttention '{path}' must be called with query, key, value")
    return ins, {"inputs": roles, "need_weights": bool(bound.arguments.get("need_weights", True))}


def export_npz_json(model: nn.Module, example_inputs: Sequence[Tensor], model_id: str,
                    out_dir: str, write_weights: bool = True) -> dict:
    """Writes ``<model_id>.npz`` (state dict, PyTorch names, float32) and ``<model_id>.json``
    (layers, the torch.fx graph as an SSA list, inputs, output shape), the format captum4j's
    ``ImportedModel`` reads. The model must be torch.fx-traceable with leaves in ``_LEAVES`` and
    functions ``_function_op`` knows; otherwise a ValueError names the unsupported module (with
    its path) or function (with the fx node and the module it was called from). Nothing else is
    written. Returns the JSON object."""
    import torch.fx as fx

    model = model.eval()
    traced = fx.symbolic_trace(model)
    modules = dict(model.named_modules())
    layers, graph, names, constants = [], [], {}, {}
    attention = set()  # fx nodes of nn.MultiheadAttention calls (they return a tuple)
    placeholders = [n for n in traced.graph.nodes if n.op == "placeholder"]
    for i, node in enumerate(placeholders):
        names[node.name] = "x" if len(placeholders) == 1 else node.name
    for node in traced.graph.nodes:
        if node.op == "placeholder":
            continue
        if node.op == "output":
            out = node.args[0]
            if isinstance(out, fx.Node) and graph and graph[-1]["out"] == names[out.name]:
                graph[-1]["out"] = "y"
            else:
                graph.append({"out": "y", "op": "identity", "in": [names[out.name]]})
            continue
        if node.op == "call_function" and node.target is operator.getitem:
            source, index = node.args
            if not (isinstance(source, fx.Node) and source in attention):
                raise ValueError(f"fx node '{node.name}': indexing (getitem) is not supported")
            if not node.users:
                continue  # an unused element (e.g. the weights of "out, _ = attn(...)")
            if index != 0:
                raise ValueError(
                    f"fx node '{node.name}': the attention weights (output {index}) of"
                    f" nn.MultiheadAttention '{source.target}' are not supported by the graph"
                    " executor; use output 0")
            names[node.name] = names[source.name]
            continue
        if node.op == "get_attr":
            value = traced.get_buffer(node.target) if node.target in dict(
                traced.named_buffers()) else traced.get_parameter(node.target)
            constants[node.target] = value.detach()
            dtype = str(value.dtype).replace("torch.", "")
            if dtype not in ("float32", "bool"):
                raise ValueError(f"tensor attribute '{node.target}' has dtype {dtype}; constants"
                                 " must be float32 or bool")
            op = f"constant({node.target}, {dtype}" + "".join(
                f", {d}" for d in value.shape) + ")"
            out = node.name.replace(".", "_")
            names[node.name] = out
            graph.append({"out": out, "op": op, "in": []})
            continue
        ins = [names[a.name] for a in node.args if isinstance(a, fx.Node)]
        for a in node.args:
            if isinstance(a, (tuple, list)) and any(isinstance(b, fx.Node) for b in a):
                ins = [names[b.name] for b in a if isinstance(b, fx.Node)] + ins
        if node.op == "call_module":
            op = node.target
            m = modules[op]
            describe = _LEAVES.get(type(m))
            if describe is None:
                raise ValueError(f"module '{op}' of type {type(m).__name__} is not supported;"
                                 f" supported leaves: {sorted(c.__name__ for c in _LEAVES)}")
            entry = {"name": op, "type": type(m).__name__, **describe(m)}
            if isinstance(m, nn.MultiheadAttention):
                ins, call = _attention_call(node, names, op, entry)
                entry.update(call)
                attention.add(node)
            known = [l for l in layers if l["name"] == op]
            if not known:
                layers.append(entry)
            elif known[0] != entry:
                raise ValueError(f"module '{op}' is called twice with different arguments")
        else:
            op = _function_op(node)
            if op is None:
                where = node.meta.get("nn_module_stack") or node.stack_trace or ""
                raise ValueError(f"operation {node.op} {getattr(node.target, '__name__', node.target)}"
                                 f" (fx node '{node.name}') is not supported {where}".strip())
        out = node.name.replace(".", "_")
        names[node.name] = out
        graph.append({"out": out, "op": op, "in": ins})
    with torch.no_grad():
        output = model(*example_inputs)
    state = {k: v.detach().float().numpy() for k, v in model.state_dict().items()
             if not k.endswith("num_batches_tracked")}
    for k, v in constants.items():  # non-persistent buffers too; bool as 0/1
        state[k] = v.float().numpy()
    if write_weights:
        np.savez(os.path.join(out_dir, model_id + ".npz"), **state)
    spec = {
        "id": model_id,
        "inputs": [{"name": names[p.name], "shape": ["N"] + list(x.shape[1:]),
                    "dtype": str(x.dtype).replace("torch.", "")}
                   for p, x in zip(placeholders, example_inputs)],
        "output_shape": ["N"] + list(output.shape[1:]),
        "graph": graph,
        "layers": layers,
        "parameters": {k: list(v.shape) for k, v in state.items()},
        "torch_version": torch.__version__,
    }
    if write_weights:
        spec["state_dict_file"] = model_id + ".npz"
    with open(os.path.join(out_dir, model_id + ".json"), "w") as f:
        json.dump(spec, f, indent=1)
    return spec


# ------------------------------------------------------------------ command line

# Layers tapped for each fixture model: every layer a fixture case or a test of captum4j uses.
FIXTURE_TAPS = {
    "toy": (["lin1", "relu", "lin2"], ["lin1", "lin2"]),
    "basic_multilayer": (["linear0", "linear1", "relu", "linear2"], ["linear1"]),
    "tabular_mlp": (["fc1", "relu1", "fc2", "relu2", "fc3"], ["fc1", "fc2"]),
    "small_cnn": (["conv1", "relu1", "conv2", "relu2", "fc1"], ["conv2"]),
    "tiny_resnet": (["conv1", "bn1", "layer1", "layer3.1.conv2", "layer3.1.bn2", "layer4"],
                    ["layer4"]),
    "text_emb": (["emb", "fc"], ["fc"]),
    "conv1d_dna": (["conv1", "relu1", "conv2", "relu2", "fc"], ["conv2"]),
    "tiny_text_transformer": (["tok_emb", "block.attn.out", "block.attn.softmax", "block"], []),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-def", required=True,
                        help="a Python file defining build(model_id) -> (model, inputs, ...),"
                             " e.g. src-test-resources/models_def.py")
    parser.add_argument("--model", action="append",
                        help="model id (repeatable); default: every model of FIXTURE_TAPS")
    parser.add_argument("--layers", nargs="*", help="layers whose outputs are tapped")
    parser.add_argument("--input-taps", nargs="*", default=None,
                        help="layers whose inputs are tapped")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--npz-json", action="store_true",
                        help="also write <id>.npz + <id>.json (ImportedModel's format)")
    args = parser.parse_args(argv)
    # a definitions file may import its siblings (models_def2 imports models_def)
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.models_def)))
    spec = importlib.util.spec_from_file_location("models_def", args.models_def)
    models_def = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(models_def)
    os.makedirs(args.out, exist_ok=True)
    for model_id in args.model or list(FIXTURE_TAPS):
        built = models_def.build(model_id)
        model, inputs = built[0], built[1]
        inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
        layers, input_layers = FIXTURE_TAPS.get(model_id, ([], []))
        if args.layers is not None:
            layers = args.layers
        if args.input_taps is not None:
            input_layers = args.input_taps
        path = os.path.join(args.out, model_id + ".pt")
        export_taps(model, inputs, layers, path, input_layers)
        print(f"wrote {path}: taps {layers + [n + INPUT_SUFFIX for n in input_layers]}")
        if args.npz_json:
            export_npz_json(model, inputs, model_id, args.out)
            print(f"wrote {model_id}.npz and {model_id}.json in {args.out}")
    for f in os.listdir(args.out):
        if f.startswith("_captum4j_taps_wrapper_"):
            os.remove(os.path.join(args.out, f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
