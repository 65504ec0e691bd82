#!/usr/bin/env bash
# Run the loom models of the scheduler's concurrent core and of the
# executor's program cache, then show that they catch deliberately broken
# versions of both.
#
#   loom-tests/run.sh            # from anywhere
#
# Environment:
#   LOOM_MAX_PREEMPTIONS   preemption bound (default 3; the suite takes
#                          seconds at 3, ~15 s at 4)
#   BATON_LOOM_TARGET_DIR  cargo target dir (default: $CARGO_TARGET_DIR,
#                          else target-loom/ at the repo root); the broken
#                          build goes to its broken/ subdirectory so the two
#                          cfg sets do not rebuild each other
#   CARGO                  cargo binary (default: cargo)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cargo="${CARGO:-cargo}"
target="${BATON_LOOM_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target-loom}}"
export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
# Loom prints long backtraces for every failing interleaving otherwise.
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"

start=$(date +%s)

echo "== loom models (--cfg baton_loom, LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS)"
CARGO_TARGET_DIR="$target" RUSTFLAGS="--cfg baton_loom" \
    "$cargo" test -p baton-loom-tests --release --test models

echo "== broken variant must fail (--cfg baton_loom --cfg baton_loom_broken)"
CARGO_TARGET_DIR="$target/broken" RUSTFLAGS="--cfg baton_loom --cfg baton_loom_broken" \
    "$cargo" test -p baton-loom-tests --release --test broken -- --nocapture

echo "== loom suite passed in $(( $(date +%s) - start )) s (including builds)"
