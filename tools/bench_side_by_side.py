#!/usr/bin/env python3
"""One interleaved run of the CLI `bench` and tools/bench_captum.py (Captum on the same rows):
fresh processes of each side alternate, round after round, so the drift of a shared machine hits
both alike; prints one Markdown table of medians over the rounds with the load average seen.

    python3 tools/bench_side_by_side.py [--rounds R] [--threads T] [--seconds S] [--filter RE]
        [--jar examples/target/captum4j-cli.jar] [--python /usr/bin/python3]

Run from the checkout root after `mvn -B -q package -DskipTests`. Java runs with
DNNL_MAX_CPU_ISA=AVX when the variable is unset (see README, "Wrong convolution gradients").
When the Python side cannot import Captum the table has captum4j's column only and says so.
"""
import os
import re
import statistics
import subprocess
import sys
import time


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


ROUNDS = int(arg("--rounds", "3"))
THREADS = arg("--threads", "2")
SECONDS = arg("--seconds", "2")
FILTER = arg("--filter", ".*")
JAR = arg("--jar", "examples/target/captum4j-cli.jar")
PY = arg("--python", "/usr/bin/python3")
ROW = re.compile(r"^(.*?)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+) \[")


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(cmd, env):
    l0 = load1()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    rows = {}
    for line in p.stdout.splitlines():
        m = ROW.match(line)
        if m:
            rows[m.group(1).strip()] = (float(m.group(2)), float(m.group(3)))
    return rows, p, (l0 + load1()) / 2


def main():
    env = dict(os.environ)
    env.setdefault("DNNL_MAX_CPU_ISA", "AVX")
    common = ["--seconds", SECONDS, "--filter", FILTER]
    java = ["java", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + THREADS,
            "-jar", JAR, "bench"] + common
    python = [PY, os.path.join(os.path.dirname(__file__), "bench_captum.py"), "--threads", THREADS] + common
    ours, theirs, loads, captum_ok, header = {}, {}, [], True, ""
    for r in range(ROUNDS):
        if captum_ok:
            rows, p, load = run(python, env)
            if p.returncode == 3:
                captum_ok = False
                print(p.stdout.strip(), file=sys.stderr)
            else:
                header = next((l for l in p.stdout.splitlines() if l.startswith("# Captum")), header)
                loads.append(load)
                for k, v in rows.items():
                    theirs.setdefault(k, []).append(v)
        rows, p, load = run(java, env)
        if p.returncode != 0:
            sys.exit("captum4j bench failed: " + p.stderr[-2000:])
        loads.append(load)
        for k, v in rows.items():
            ours.setdefault(k, []).append(v)
        print("%s round %d done, load1 %.2f" % (time.strftime("%H:%M:%S"), r + 1, load), file=sys.stderr)
    med = lambda vs, i: statistics.median(v[i] for v in vs)  # noqa: E731
    print("<!-- %s, %d rounds, %s threads, load1 mean %.2f (max %.2f); %s -->" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), ROUNDS, THREADS, statistics.mean(loads),
        max(loads), header.lstrip("# ") or "Captum not importable"))
    print("| case | Captum s | captum4j s | captum4j / Captum | overhead Captum / captum4j |")
    print("|---|---|---|---|---|")
    for k, vs in ours.items():
        a, raw = med(vs, 0), med(vs, 1)
        if k in theirs:
            ca, craw = med(theirs[k], 0), med(theirs[k], 1)
            print("| %s | %.4g | %.4g | %.2f | %.2f / %.2f |" % (k, ca, a, a / ca, ca / craw, a / raw))
        else:
            print("| %s | – | %.4g | – | – / %.2f |" % (k, a, a / raw))


if __name__ == "__main__":
    main()
