#!/usr/bin/env bash
# Run the Neovim end-to-end test: editors/nvim/test/run.sh TALLY_BIN [NVIM]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tally="$(realpath "${1:?usage: run.sh /path/to/tally [nvim]}")"
nvim="${2:-nvim}"
"$nvim" --version | sed -n 1p
export TALLY_BIN="$tally"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# A clean environment: no user config, no shada, state and logs in a temporary folder.
XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
  timeout 120 "$nvim" --headless -u NONE -i NONE -n -c "luafile $here/e2e.lua"
