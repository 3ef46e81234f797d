#!/usr/bin/env python3
"""Compares libtorch engine settings on the CLI's `bench`, interleaved in one run.

Each setting is a JVM started with its own environment variables / system properties (allocator
and OpenMP variables are read when the process starts, so they cannot change inside one JVM).
Every round runs every setting once, in a rotated order (A B C, B C A, ...), each a
`captum4j-cli.jar bench --filter REGEX --seconds S`; a setting's time for a bench row in a round is
that row's median attribution time. The ratio reported per setting and row is the median over the
rounds of (setting / baseline of the same round), so the slow drifts of a shared machine cancel.

usage: tools/bench_engine_settings.py [--jar JAR] [--cp CLASSPATH] [--rounds N] [--seconds S]
                                      [--filter REGEX] [--only NAME,NAME]

  --jar     the CLI jar (default examples/target/captum4j-cli.jar)
  --cp      a class path to run instead of the jar (main class io.github.captum4j.examples.Cli)
  --rounds  rounds of all settings (default 2)
  --seconds measurement time per bench row and run (default 0.5)
  --filter  which bench rows (default: a small cross-section of convolution and MLP rows)
  --only    run only these settings (default: the first seven, libtorch's defaults and one change
            each); the reference setting is always run
  --base    the reference setting (default baseline)

Run from the repository root (bench reads src-test-resources). DNNL_MAX_CPU_ISA=AVX is set for
every run (right convolution gradients on AMD Zen 4, see the README).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"

# glibc keeps what it frees: blocks up to 32 MiB come from the heap (not a fresh mapping each),
# the heap is trimmed only above 1 GiB free, and grows 64 MiB at a time (what the CLI sets)
MALLOC_PAD = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "1073741824",
              "MALLOC_TOP_PAD_": "67108864"}

# name -> (environment variables, JVM system properties); the baseline is libtorch's defaults
SETTINGS = [
    ("baseline", {}, ["-Dcaptum4j.nnpack=true"]),
    ("nnpack-off", {}, ["-Dcaptum4j.nnpack=false"]),
    ("threads-1", {}, ["-Dcaptum4j.nnpack=true", "-Dai.djl.pytorch.num_threads=1"]),
    ("omp-passive", {"OMP_WAIT_POLICY": "PASSIVE"}, ["-Dcaptum4j.nnpack=true"]),
    ("malloc-arena-2", {"MALLOC_ARENA_MAX": "2"}, ["-Dcaptum4j.nnpack=true"]),
    ("malloc-keep", {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"},
     ["-Dcaptum4j.nnpack=true"]),
    ("jemalloc", {"LD_PRELOAD": JEMALLOC}, ["-Dcaptum4j.nnpack=true"]),
    ("malloc-pad", MALLOC_PAD, ["-Dcaptum4j.nnpack=true"]),
    # the same choices on top of OMP_WAIT_POLICY=PASSIVE (compare with --base passive)
    ("passive", {"OMP_WAIT_POLICY": "PASSIVE"}, ["-Dcaptum4j.nnpack=true"]),
    ("passive+nnpack-off", {"OMP_WAIT_POLICY": "PASSIVE"}, ["-Dcaptum4j.nnpack=false"]),
    ("passive+threads-1", {"OMP_WAIT_POLICY": "PASSIVE"},
     ["-Dcaptum4j.nnpack=true", "-Dai.djl.pytorch.num_threads=1"]),
    ("passive+jemalloc", {"OMP_WAIT_POLICY": "PASSIVE", "LD_PRELOAD": JEMALLOC},
     ["-Dcaptum4j.nnpack=true"]),
    ("passive+malloc-keep", {"OMP_WAIT_POLICY": "PASSIVE", "MALLOC_MMAP_THRESHOLD_": "33554432",
                             "MALLOC_TRIM_THRESHOLD_": "268435456"}, ["-Dcaptum4j.nnpack=true"]),
    ("passive+malloc-pad", dict(MALLOC_PAD, OMP_WAIT_POLICY="PASSIVE"), ["-Dcaptum4j.nnpack=true"]),
]
# Not listed: KMP_BLOCKTIME / KMP_AFFINITY are read by Intel's and LLVM's OpenMP runtimes only;
# DJL's libtorch links GNU libgomp (libgomp-*.so.1 beside libtorch), whose waiting is
# OMP_WAIT_POLICY / GOMP_SPINCOUNT. MALLOC_MMAP_THRESHOLD_=131072 is a memory setting (README).

DEFAULT_FILTER = (r"^(Saliency tiny_resnet B=1 \[block\]"
                  r"|FeatureAblation tabular_mlp B=64 ppe=1 \[block\])")

ROW = re.compile(r"^(?P<name>.+?)\s+(?P<attr>\d+\.\d+)\s+(?P<raw>\d+\.\d+)\s+(?P<ratio>\d+\.\d+) ")


def run_once(args, env_extra, props):
    env = dict(os.environ)
    env["DNNL_MAX_CPU_ISA"] = "AVX"
    env.update(env_extra)
    main = ["-cp", args.cp, "io.github.captum4j.examples.Cli"] if args.cp else ["-jar", args.jar]
    # libtorch's defaults unless the setting says otherwise (the CLI's own defaults are off)
    cmd = (["java", "-Dai.djl.offline=true", "-Dcaptum4j.engineDefaults=false"] + props + main
           + ["bench", "--seconds", str(args.seconds), "--repeats", "3", "--warmup", "1",
              "--filter", args.filter])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    rows = {}
    for line in out.stdout.splitlines():
        m = ROW.match(line)
        if m and not line.startswith("#") and not line.startswith("case"):
            rows[m.group("name").strip()] = float(m.group("attr"))
    if not rows:
        sys.stderr.write("no bench rows from %s:\n%s\n" % (" ".join(cmd), out.stderr[-2000:]))
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jar", default="examples/target/captum4j-cli.jar")
    p.add_argument("--cp")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--seconds", type=float, default=0.5)
    p.add_argument("--filter", default=DEFAULT_FILTER)
    p.add_argument("--only")
    p.add_argument("--base", default="baseline")
    args = p.parse_args()
    wanted = set(args.only.split(",")) if args.only else {s[0] for s in SETTINGS[:7]}
    # the reference first: its column is the denominator
    settings = ([s for s in SETTINGS if s[0] == args.base]
                + [s for s in SETTINGS if s[0] != args.base and s[0] in wanted])
    if not os.path.exists(JEMALLOC):
        settings = [s for s in settings if s[0] != "jemalloc"]
        print("# jemalloc skipped: %s missing (apt-get install -y libjemalloc2)" % JEMALLOC)
    times = {name: [] for name, _, _ in settings}  # name -> [ {row: seconds} per round ]
    for r in range(args.rounds):
        order = settings[r % len(settings):] + settings[:r % len(settings)]
        for name, env, props in order:
            rows = run_once(args, env, props)
            times[name].append(rows)
            print("# round %d %-16s %s" % (r + 1, name,
                  " ".join("%.5f" % v for v in rows.values())), flush=True)
    base_name = settings[0][0]
    rows = sorted({row for per in times[base_name] for row in per})
    print("\nmedian attribution time of %s (s) and, per setting, the median over %d rounds of its"
          " time / %s's in the same round (< 1 = faster)" % (base_name, args.rounds, base_name))
    width = max(len(r) for r in rows) if rows else 10
    widths = [max(10, len(n)) for n, _, _ in settings[1:]]
    print("%-*s %10s" % (width, "row", base_name[:10])
          + "".join(" %*s" % (w, n) for w, (n, _, _) in zip(widths, settings[1:])))
    for row in rows:
        base = [per.get(row) for per in times[base_name]]
        cells = []
        for w, (name, _, _) in zip(widths, settings[1:]):
            ratios = [per.get(row) / b for per, b in zip(times[name], base)
                      if b and per.get(row)]
            cells.append(" %*.3f" % (w, statistics.median(ratios)) if ratios else " %*s" % (w, "-"))
        known = [b for b in base if b]
        print("%-*s %10.5f" % (width, row, statistics.median(known) if known else float("nan"))
              + "".join(cells))


if __name__ == "__main__":
    main()
