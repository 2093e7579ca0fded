#!/usr/bin/env bash
# Run the Emacs (eglot) end-to-end test: editors/emacs/test/run.sh TALLY_BIN [EMACS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export TALLY_BIN="$(realpath "${1:?usage: run.sh /path/to/tally [emacs]}")"
emacs="${2:-emacs}"
"$emacs" --version | sed -n 1p
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
HOME="$home" timeout 120 "$emacs" --batch -Q -l "$here/e2e.el"
