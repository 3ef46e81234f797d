#!/usr/bin/env bash
# Registers the captum4j Java kernel with Jupyter (kernelspec name "captum4j").
#
# The kernel is JShell behind JJava's Jupyter kernel framework (Maven Central:
# org.dflib.jjava:jjava-jupyter), built here from examples/notebooks/kernel. Its notebooks see
# captum4j, DJL and libtorch through a class path: by default the CLI jar
# examples/target/captum4j-cli.jar (build it first with `mvn -B -q package -DskipTests`).
#
# usage: examples/notebooks/install-kernel.sh [--user | --prefix DIR] [--classpath CP] [--name NAME]
#   --user        install for the current user (the default)
#   --prefix DIR  install under DIR/share/jupyter/kernels (use with JUPYTER_PATH=DIR/share/jupyter)
#   --classpath   the class path notebooks run with (default: the CLI jar)
#   --name        the kernelspec name (default: captum4j)
# Needs: java 17+, mvn (to build the kernel once), jupyter (Debian: jupyter-client, jupyter-nbconvert).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name=captum4j
classpath="$root/examples/target/captum4j-cli.jar"
target=(--user)

while [ $# -gt 0 ]; do
  case "$1" in
    --user) target=(--user); shift ;;
    --prefix) target=(--prefix "$2"); shift 2 ;;
    --classpath) classpath="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install-kernel.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

# The Python that has jupyter_client (Debian's python3-jupyter-client is for /usr/bin/python3).
python=""
for candidate in /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c "import jupyter_client" 2>/dev/null; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "install-kernel.sh: jupyter_client is not installed (apt-get install python3-jupyter-client)" >&2; exit 1; }
java="$(command -v java || true)"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
[ -n "$java" ] || { echo "install-kernel.sh: java is not installed" >&2; exit 1; }
if [ "$classpath" = "$root/examples/target/captum4j-cli.jar" ] && [ ! -f "$classpath" ]; then
  echo "install-kernel.sh: $classpath is missing: run 'mvn -B -q package -DskipTests' first" >&2
  exit 1
fi

kernel_jar="$here/kernel/target/captum4j-jupyter-kernel.jar"
newest_source="$(find "$here/kernel/src" "$here/kernel/pom.xml" -newer "$kernel_jar" 2>/dev/null | head -1 || true)"
if [ ! -f "$kernel_jar" ] || [ -n "$newest_source" ]; then
  echo "building the kernel ($here/kernel)"
  mvn -B -q -o -f "$here/kernel/pom.xml" package 2>/dev/null \
    || mvn -B -q -f "$here/kernel/pom.xml" package
fi

spec="$(mktemp -d)"
trap 'rm -rf "$spec"' EXIT
"$python" - "$spec/kernel.json" "$java" "$kernel_jar:$classpath" "$name" <<'PY'
import json, sys
path, java, classpath, name = sys.argv[1:5]
json.dump({
    "argv": [java, "-Djava.awt.headless=true", "-Dai.djl.offline=true",
             "-cp", classpath, "io.github.captum4j.notebook.CaptumKernel", "{connection_file}"],
    "display_name": "Java (captum4j)",
    # right convolution gradients on CPUs where oneDNN's AVX2/AVX-512 kernels are wrong
    "env": {"DNNL_MAX_CPU_ISA": "AVX"},
    "language": "java",
    "interrupt_mode": "message",
    "metadata": {"kernel": name},
}, open(path, "w"), indent=2)
PY
prefix=""
[ "${target[0]}" = "--prefix" ] && prefix="${target[1]}"
"$python" - "$spec" "$name" "$prefix" <<'PY'
import sys
from jupyter_client.kernelspec import KernelSpecManager
source, name, prefix = sys.argv[1:4]
KernelSpecManager().install_kernel_spec(
    source, kernel_name=name, user=not prefix, prefix=prefix or None)
PY
echo "installed Jupyter kernel '$name' (class path: $classpath)"
