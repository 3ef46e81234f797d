#!/usr/bin/env python3
"""The Python reference's side of the CLI `bench`: times Captum on the bench's rows (same models,
shapes and arguments, same row names) with the same scheme (warm-up, then alternating
(attribution, raw) pairs; median times, median of the paired ratios), and prints the same columns.

    /usr/bin/python3 tools/bench_captum.py [--fixtures DIR] [--seconds S] [--threads T] [--filter RE]

Needs PyTorch, torchvision and Captum 0.8 importable (Debian: apt-get install python3-torch
python3-torchvision python3-matplotlib; Captum from pip, or its `captum/` folder of tag v0.8.0 on
PYTHONPATH); src-test-resources/models_def.py is put on the path by the script. When Captum or
PyTorch cannot be imported it says so and exits with status 3.

tools/bench_side_by_side.py alternates this script and the CLI bench in one interleaved run.
"""
import math
import os
import re
import statistics
import sys
import time
import types
import warnings

warnings.filterwarnings("ignore")


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


FIX = arg("--fixtures", "src-test-resources")
sys.path.insert(0, FIX)
try:
    import torch
    import torch.nn as nn
    import torchvision
    import captum
    import captum.attr as CA
    import models_def
except ImportError as e:  # noqa: F841
    print("# Captum reference not importable here (%s): nothing measured" % e)
    sys.exit(3)

torch.set_num_threads(int(arg("--threads", "2")))
SECONDS = float(arg("--seconds", "2"))
FILTER = re.compile(arg("--filter", ".*"))


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure(name, attr, raw):
    first = 0.0
    for _ in range(2):
        first = timed(attr) + timed(raw)
    n = int(min(1000, max(7, math.ceil(SECONDS / max(first, 1e-4)))))
    at, rt, ratio = [], [], []
    for _ in range(n):
        at.append(timed(attr))
        rt.append(timed(raw))
        ratio.append(at[-1] / rt[-1])
    ratio.sort()
    print("%-58s %12.5f %12.5f %7.2f [%4.2f, %4.2f]  (n=%d)" % (
        name, statistics.median(at), statistics.median(rt), statistics.median(ratio),
        ratio[n // 4], ratio[(3 * n) // 4], n), flush=True)


def grad(name, model, shape, call, rows):
    """Gradient row: raw = one forward + backward of the rows the method evaluates."""
    if not FILTER.search(name):
        return
    x = torch.rand(*shape)
    r = rows(x)

    def raw():
        leaf = r.detach().requires_grad_(True)
        torch.autograd.grad(model(leaf)[:, 3].sum(), leaf)

    measure(name, lambda: call(x), raw)


def pert(name, model, shape, call, pass_rows):
    """Perturbation row: raw = no-grad forwards of batches of the given row counts."""
    if not FILTER.search(name):
        return
    x = torch.rand(*shape)
    passes = [torch.rand(r, *shape[1:]) for r in pass_rows]

    def raw():
        with torch.no_grad():
            for p in passes:
                model(p)

    measure(name, lambda: call(x), raw)


def pass_rows(initial, perturbations, ppe, batch):
    out = [batch] if initial else []
    done = 0
    while done < perturbations:
        out.append(min(ppe, perturbations - done) * batch)
        done += ppe
    return out


def separate_relus(model):
    """torchvision's resnet18 with a second, non-inplace ReLU per block (Captum's DeepLift refuses a
    module used twice); the same computation."""
    def fwd(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu2(out + identity)

    for mod in model.modules():
        if isinstance(mod, nn.ReLU):
            mod.inplace = False
        if isinstance(mod, torchvision.models.resnet.BasicBlock):
            mod.relu2 = nn.ReLU()
            mod.forward = types.MethodType(fwd, mod)
    return model


def ig_rows(n_steps):
    def rows(x):
        alphas = torch.linspace(0, 1, n_steps)  # the count is what matters for the raw pass
        return (alphas.view(-1, *([1] * x.dim())) * x.unsqueeze(0)).reshape(-1, *x.shape[1:])
    return rows


print("# Captum %s on torch %s: >= 7 alternating runs (>= %.1f s per case) after 2 warm-up; times"
      " are medians, ratio is the median of paired ratios [quartiles]; intra-op threads %d"
      % (captum.__version__, torch.__version__, SECONDS, torch.get_num_threads()))
print("%-58s %12s %12s %7s %13s" % ("case", "attr s", "raw s", "ratio", "[p25, p75]"))
cnn, _, _ = models_def.build("small_cnn")
tiny, _, _ = models_def.build("tiny_resnet")
tiny_ts = torch.jit.load(os.path.join(FIX, "models", "tiny_resnet.pt")).eval()
tab, _, _ = models_def.build("tabular_mlp")
tab_ts = torch.jit.load(os.path.join(FIX, "models", "tabular_mlp.pt")).eval()
torch.manual_seed(0)
r18 = torchvision.models.resnet18().eval()
torch.manual_seed(0)
r18_sep = separate_relus(torchvision.models.resnet18().eval())
same = lambda x: x  # noqa: E731
with_zeros = lambda x: torch.cat([x, torch.zeros_like(x)])  # noqa: E731

for name, model, shape in (("IG small_cnn B=8", cnn, (8, 1, 28, 28)), ("IG tiny_resnet B=1", tiny, (1, 3, 64, 64)),
                           ("IG tiny_resnet B=8", tiny, (8, 3, 64, 64)), ("IG resnet18 3x224x224 B=1", r18, (1, 3, 224, 224))):
    ig = CA.IntegratedGradients(model)
    grad(name + " nSteps=50 [block]", model, shape,
         lambda x, ig=ig: ig.attribute(x, target=3, n_steps=50), ig_rows(50))
sal_t, sal_r = CA.Saliency(tiny), CA.Saliency(r18)
grad("Saliency tiny_resnet B=1 [block]", tiny, (1, 3, 64, 64), lambda x: sal_t.attribute(x, target=3), same)
grad("Saliency resnet18 3x224x224 B=1 [block]", r18, (1, 3, 224, 224), lambda x: sal_r.attribute(x, target=3), same)
gc_t = CA.LayerGradCam(tiny, tiny.layer4)
grad("LayerGradCam(layer4) tiny_resnet B=1 [block]", tiny, (1, 3, 64, 64), lambda x: gc_t.attribute(x, target=3), same)
gc_r = CA.LayerGradCam(r18, r18.layer3[1].conv2)
grad("LayerGradCam(layer3.1.conv2) resnet18 B=1 [block]", r18, (1, 3, 224, 224),
     lambda x: gc_r.attribute(x, target=3), same)
dl_t = CA.DeepLift(tiny)
grad("DeepLift tiny_resnet B=1 [block]", tiny, (1, 3, 64, 64), lambda x: dl_t.attribute(x, target=3), with_zeros)
nt = CA.NoiseTunnel(CA.IntegratedGradients(cnn))
grad("NoiseTunnel(IG) smoothgrad 10 small_cnn B=1 [block]", cnn, (1, 1, 28, 28),
     lambda x: nt.attribute(x, target=3, nt_type="smoothgrad", nt_samples=10, stdevs=0.1, n_steps=50),
     lambda x: x.repeat(500, 1, 1, 1))
lig = CA.LayerIntegratedGradients(r18, r18.conv1)
grad("LayerIG(conv1) resnet18 B=1 nSteps=50 [block]", r18, (1, 3, 224, 224),
     lambda x: lig.attribute(x, target=3, n_steps=50), lambda x: x.repeat(50, 1, 1, 1))
gbp = CA.GuidedBackprop(r18)
grad("GuidedBackprop resnet18 3x224x224 B=1 [block]", r18, (1, 3, 224, 224), lambda x: gbp.attribute(x, target=3), same)
dl_r = CA.DeepLift(r18_sep)
grad("DeepLift resnet18 3x224x224 B=1 [block]", r18_sep, (1, 3, 224, 224), lambda x: dl_r.attribute(x, target=3),
     with_zeros)

for ppe in (1, 16):
    kw = dict(target=3, strides=(3, 8, 8), sliding_window_shapes=(3, 15, 15), baselines=0, perturbations_per_eval=ppe)
    for tag, model in (("block", tiny), ("torchscript", tiny_ts)):
        occ = CA.Occlusion(model)
        pert("Occlusion tiny_resnet B=1 s(3,8,8) w(3,15,15) ppe=%d [%s]" % (ppe, tag), model, (1, 3, 64, 64),
             lambda x, occ=occ, kw=kw: occ.attribute(x, **kw), pass_rows(True, 64, ppe, 1))
for tag, model in (("block", tab), ("torchscript", tab_ts)):
    fa = CA.FeatureAblation(model)
    pert("FeatureAblation tabular_mlp B=64 ppe=1 [%s]" % tag, model, (64, 10),
         lambda x, fa=fa: fa.attribute(x, target=1), pass_rows(True, 10, 1, 64))
for b, ppe, tag in ((1, 1, "torchscript"), (1, 200, "block"), (1, 200, "torchscript"), (64, 1, "torchscript"),
                    (64, 200, "torchscript")):
    model = tab if tag == "block" else tab_ts
    ks = CA.KernelShap(model)
    # Captum: a batch > 1 costs one test forward of the batch, then each example on its own
    rows = pass_rows(False, 200, ppe, 1) * b
    pert("KernelShap tabular_mlp B=%d nSamples=200 ppe=%d [%s]" % (b, ppe, tag), model, (b, 10),
         lambda x, ks=ks, ppe=ppe: ks.attribute(x, target=1, n_samples=200, perturbations_per_eval=ppe),
         ([b] if b > 1 else []) + rows)
lime = CA.Lime(tab)
pert("Lime tabular_mlp B=1 nSamples=200 ppe=1 [block]", tab, (1, 10),
     lambda x: lime.attribute(x, target=1, n_samples=200), pass_rows(False, 200, 1, 1))
svs = CA.ShapleyValueSampling(tab)
pert("ShapleyValueSampling tabular_mlp B=1 nSamples=25 [block]", tab, (1, 10),
     lambda x: svs.attribute(x, target=1, n_samples=25), pass_rows(True, 250, 1, 1))
