#!/usr/bin/env bash
# Coverage-guided fuzzing of tally with libFuzzer, on the stable toolchain.
#
#   bash fuzz/run.sh SECONDS [TARGET…]     # default: every target, SECONDS each
#   FUZZ_RUNS=N FUZZ_SEED=S bash fuzz/run.sh 0 [TARGET…]
#                                          # exactly N inputs from random seed S: repeatable
#
# CI uses the second form, so that a red CI run is the same run on any machine (a time
# budget explores a different number of inputs on a loaded machine). Exploring for new
# crashes is the first form, for minutes or hours (RELIABILITY.md).
# Builds the targets the way `cargo fuzz build -s none -O --debug-assertions` does (same
# sanitizer-coverage flags, no address sanitizer: tally has no unsafe code), but with plain
# cargo, so that neither cargo-fuzz nor a nightly toolchain is needed. Runs each target on its
# seeds (fuzz/seeds/<target>, the example corpus), grows fuzz/corpus/<target> (not committed),
# and stops at the first crash, leaving the input in fuzz/artifacts/<target>/. Exits non-zero
# on a crash. Copy a crashing input to fuzz/regressions/<target>/ once it is fixed:
# `cargo test --release --test reliability_fuzz` replays them all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
secs="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(article annotate figures config)
triple="$(rustc -vV | sed -n 's/^host: //p')"

export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
--cfg fuzzing -Cdebug-assertions"
locked=()
[ -f Cargo.lock ] && locked=(--locked)
cargo build --release "${locked[@]}" --target "$triple" --target-dir target/smoke --bins

if [ -n "${FUZZ_RUNS:-}" ]; then
  budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
  what="$FUZZ_RUNS inputs, seed ${FUZZ_SEED:-1}"
else
  budget=(-max_total_time="$secs")
  what="${secs}s"
fi

status=0
for t in "${targets[@]}"; do
  corpus="corpus/$t"
  # A repeatable run starts from the seeds alone, not from what earlier runs here found.
  [ -n "${FUZZ_RUNS:-}" ] && corpus="$(mktemp -d)"
  mkdir -p "$corpus" "artifacts/$t"
  case "$t" in
    config) seeds=(seeds/config) dict=config.dict ;;
    article) seeds=(seeds/article ../examples/aleppo-evacuation) dict=article.dict ;;
    *) seeds=("seeds/$t") dict=article.dict ;;
  esac
  echo "==> fuzz $t: $what"
  if ! "target/smoke/$triple/release/$t" "$corpus" "${seeds[@]}" -dict="$dict" -max_len=4096 \
      "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="artifacts/$t/" 2>"artifacts/$t.log"; then
    status=1
    tail -n 40 "artifacts/$t.log"
    echo "fuzz $t: CRASH (input in fuzz/artifacts/$t/)"
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "artifacts/$t.log" | sed "s/^/  $t /" || true
done
exit "$status"
