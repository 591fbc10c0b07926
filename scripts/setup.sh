#!/usr/bin/env bash
# Sets up a fresh Debian machine with Node 20 for Denoise Lab: the system libraries it uses, then the
# npm dependencies exactly as locked.
#   bash scripts/setup.sh                  the project
#   bash scripts/setup.sh --with-pytorch   also Debian's PyTorch, which `npm run bench` compares every row with
set -euo pipefail
cd "$(dirname "$0")/.."

with_pytorch=0
for arg in "$@"; do
  case "$arg" in
    --with-pytorch) with_pytorch=1 ;;
    *) echo "setup: unknown option $arg (the one option is --with-pytorch)" >&2; exit 2 ;;
  esac
done

# Debian packages the project uses, each with why:
#   libopenblas0-pthread  the BLAS the wasm-blas engine calls for matrix products (about 20x plain wasm)
#   libdnnl2              oneDNN, which trains the convolutional models (the residual CNN's step and the general
#                         training plan of src/core/engine/plan/; the library PyTorch's convolutions use)
#   slurm-wlm, munge      Slurm's daemons and commands with its authentication service: the Slurm tests
#                         (test/slurm.test.ts) start a one-node cluster on this machine from them
#                         (scripts/slurm-test-cluster.sh), as `denoise sweep --on slurm` needs a real one
debian_packages=(libopenblas0-pthread libdnnl2 slurm-wlm munge)
# With --with-pytorch: the benchmark's reference (bench/pytorch_models.py), about 1 GB with its dependencies.
if ((with_pytorch)); then debian_packages+=(python3-torch); fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    # Not fatal: Denoise Lab falls back to the plain wasm engine, only slower.
    echo "setup: not root, so not installing ${missing[*]}; training will use the slower plain wasm engine" >&2
  fi
fi

# onnxruntime-node (a dev dependency: the tests run exported ONNX files in it) ships its CPU binaries in the
# npm package; its postinstall would fetch the CUDA provider from nuget.org, which is neither reachable nor
# needed. npm 11 skips that script anyway (package.json's allowScripts); the variable covers older npm.
ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
