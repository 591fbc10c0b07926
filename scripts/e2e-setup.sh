#!/usr/bin/env bash
# Prepares the end-to-end harness (test/e2e): Debian's Chromium, ripgrep and what code-server's native
# modules need to build, then code-server 4.100.3 (the newest that runs on Node 20) installed once into a
# cache folder. Idempotent: a second call finds everything in place and returns in about a second.
# Prints the code-server binary's path as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
cache="${DENOISE_E2E_CACHE:-$HOME/.cache/denoise-lab-e2e}"
install_dir="$cache/code-server-$CODE_SERVER_VERSION"
bin="$install_dir/node_modules/.bin/code-server"

# Debian packages, each with why:
#   chromium      the browser playwright-core drives (never `playwright install`: it downloads)
#   ripgrep       stands in for @vscode/ripgrep's binary, whose install script downloads from GitHub
#   libkrb5-dev   headers for code-server's kerberos native module
#   g++ make python3   node-gyp's toolchain for the native rebuild (kerberos, argon2, node-pty, ...)
debian_packages=(chromium ripgrep libkrb5-dev g++ make python3)
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e-setup: missing Debian packages ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "e2e-setup: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  echo "$bin"
  exit 0
fi

echo "e2e-setup: installing code-server $CODE_SERVER_VERSION into $install_dir (a few minutes, once)" >&2
rm -rf "$install_dir.partial"
mkdir -p "$install_dir.partial"
cd "$install_dir.partial"
echo '{ "name": "denoise-lab-e2e-code-server", "private": true }' > package.json
export npm_config_unsafe_perm=true   # root installs would otherwise drop privileges and fail to write
export npm_config_yes=true           # install scripts call npx, which aborts when npm's yes=false
export npm_config_audit=false npm_config_fund=false
# Scripts off first: @vscode/ripgrep's would download its binary. Its bin/ folder, when present, skips that.
npm install --ignore-scripts --no-save "code-server@$CODE_SERVER_VERSION" >&2
cs="$PWD/node_modules/code-server"
link_ripgrep() {
  find "$cs" -type d -path '*node_modules/@vscode/ripgrep' -prune | while read -r rgdir; do
    mkdir -p "$rgdir/bin" && ln -sf "$(command -v rg)" "$rgdir/bin/rg"
  done
}
# What code-server's postinstall.sh does (npm install --omit=dev in lib/vscode, then in its extensions/, then
# a few links), split so that ripgrep's download is replaced by Debian's rg before any install script runs.
for dir in "$cs/lib/vscode" "$cs/lib/vscode/extensions"; do
  (cd "$dir" && npm install --omit=dev --ignore-scripts >&2)
  link_ripgrep
  (cd "$dir" && npm rebuild >&2)
done
ln -sfn node_modules "$cs/lib/vscode/node_modules.asar"
ln -sfn code-linux.sh "$cs/lib/vscode/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$cs/lib/vscode/bin/helpers/browser.sh"
npm rebuild argon2 >&2   # hoisted to the top level: code-server hashes passwords with it, and loads it at start
"$PWD/node_modules/.bin/code-server" --version >&2
cd - >/dev/null
rm -rf "$install_dir"
mv "$install_dir.partial" "$install_dir"
echo "$bin"
