#!/usr/bin/env bash
# Unpacks Debian's OpenBLAS (and the Fortran runtime it links to) into a folder of the user's, for a Debian
# or Ubuntu machine where OpenBLAS is not installed and you cannot be root. Denoise Lab's wasm-blas engine
# finds it there when the system has no BLAS (src/core/engine/blas/userBlas.ts). No root needed: apt-get
# download only fetches the .deb files, dpkg-deb -x only unpacks them.
#   bash scripts/user-openblas.sh    # into ${DENOISE_USER_BLAS_DIR:-${XDG_DATA_HOME:-~/.local/share}/denoise-lab/openblas}
set -euo pipefail
target="${DENOISE_USER_BLAS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/denoise-lab/openblas}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
packages=(libopenblas0-pthread libgfortran5)
# libquadmath exists on x86 only.
if [[ "$(dpkg --print-architecture)" == amd64 ]]; then packages+=(libquadmath0); fi
(cd "$work" && apt-get download "${packages[@]}")
mkdir -p "$target"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$target"; done
echo "OpenBLAS unpacked into $target"
