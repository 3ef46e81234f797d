#!/usr/bin/python3
"""Writes matplotlib-reference.json, the reference data of captum-viz's tests.

Run with Debian's python3-matplotlib (3.6) and python3-numpy (1.24):

    /usr/bin/python3 captum-viz/src/test/python/make_reference.py

It records, independently of the Java code:
  * for each colormap, matplotlib's own RGBA bytes for the 256 lookup-table entries and for a
    set of values in [0, 1] (``cmap(x, bytes=True)``), so the Java lookup tables and the
    value-to-entry mapping can be checked byte for byte;
  * Captum's outlier normalisation (sum over channels, cumulative-sum threshold of the sorted
    values at ``100 - outlier_perc`` percent of the total, division and clipping to [-1, 1]),
    written here from the formula in NumPy float32 as Captum computes it, on seeded random
    attributions for every sign and a few outlier percentages.
"""

import json
import os

import matplotlib
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "io", "github", "captum4j", "viz",
                   "matplotlib-reference.json")


def colormap(name):
    if name == "RdWhGn":
        return LinearSegmentedColormap.from_list("RdWhGn", ["red", "white", "green"])
    return matplotlib.colormaps[name]


def threshold(values, percentile):
    ordered = np.sort(values.flatten())
    running = np.cumsum(ordered)
    first = np.where(running >= running[-1] * 0.01 * percentile)[0][0]
    return ordered[first]


def normalise(attr, sign, outlier_perc):
    combined = np.sum(attr, axis=2)
    if sign == "all":
        scale = threshold(np.abs(combined), 100.0 - outlier_perc)
    elif sign == "positive":
        combined = (combined > 0) * combined
        scale = threshold(combined, 100.0 - outlier_perc)
    elif sign == "negative":
        combined = (combined < 0) * combined
        scale = -1 * threshold(np.abs(combined), 100.0 - outlier_perc)
    else:
        combined = np.abs(combined)
        scale = threshold(combined, 100.0 - outlier_perc)
    return np.clip(combined / scale, -1, 1), scale


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).flatten()]


def main():
    samples = [0.0, 1e-9, 0.001, 0.1, 0.25, 1 / 3, 0.5, 0.5 + 1e-9, 2 / 3, 0.75, 0.9,
               0.99, 0.999, 1.0, 127.5 / 255, 128 / 256, 1 / 256, 255 / 256]
    maps = {}
    for name in ["Blues", "Greens", "Reds", "RdYlGn", "seismic", "viridis", "gray", "RdWhGn"]:
        cmap = colormap(name)
        maps[name] = {
            "lut": [int(v) for v in cmap(np.arange(cmap.N), bytes=True).flatten()],
            "x": samples,
            "rgba": [int(v) for v in cmap(np.array(samples), bytes=True).flatten()],
        }
    cases = []
    rng = np.random.default_rng(20240901)
    for shape in [(5, 4, 3), (7, 6, 1)]:
        attr = rng.normal(size=shape).astype(np.float32)
        for sign in ["all", "positive", "negative", "absolute_value"]:
            for perc in [2, 0, 10, 50]:
                norm, scale = normalise(attr, sign, perc)
                cases.append({"shape": list(shape), "attr": floats(attr), "sign": sign,
                              "outlier_perc": perc, "scale": float(scale),
                              "expected": floats(norm)})
    with open(OUT, "w") as f:
        json.dump({"generator": "make_reference.py",
                   "matplotlib": matplotlib.__version__, "numpy": np.__version__,
                   "colormaps": maps, "normalisation": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
