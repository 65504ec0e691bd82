#!/usr/bin/env bash
# Baton beside LiteSVM 0.16.0 on one workload (issue #18): p-token Transfers
# (the ELF in sbpf/elf/token.so) between random token accounts of one mint,
# owners paying, signature checks off, on one thread.
#   baton:   `baton bench --workload sbpf-token-transfers --threads 1`, in
#            batches of BATCH (default 10000) and, for a one-at-a-time
#            comparison, in batches of 1;
#   litesvm: `litesvm-gen bench` (conformance/litesvm-gen), send_transaction
#            one transaction at a time.
# Each tool reports the median of RUNS timed runs; the script runs ROUNDS
# rounds, alternating the tools, prints each round and the median per tool.
# Usage: benches/scripts/litesvm-side-by-side.sh [BATON_BINARY] [LITESVM_GEN_BINARY]
#   (run from the repository root; needs python3)
#   defaults: target/release/baton, /work/target-litesvm/release/litesvm-gen
#   env: TXS (10000), ACCOUNTS (1000), RUNS (5), ROUNDS (3), BATCH (10000), SEED (7)
# Build first:
#   cargo build --release -p baton-cli
#   (cd conformance/litesvm-gen && CARGO_TARGET_DIR=/work/target-litesvm cargo build --release --locked)
set -euo pipefail
baton=${1:-target/release/baton}
gen=${2:-/work/target-litesvm/release/litesvm-gen}
txs=${TXS:-10000}
accounts=${ACCOUNTS:-1000}
runs=${RUNS:-5}
rounds=${ROUNDS:-3}
batch=${BATCH:-10000}
seed=${SEED:-7}
for b in "$baton" "$gen"; do
  [ -x "$b" ] || { echo "not an executable: $b (build it first; see the header of $0)" >&2; exit 2; }
done
baton_rate() {
  "$baton" bench --workload sbpf-token-transfers --threads 1 --txs "$txs" --accounts "$accounts" \
    --repeat "$runs" --batch "$1" --seed "$seed" --json 2>/dev/null |
    python3 -c 'import json,sys; print(round(json.load(sys.stdin)["runs"][0]["tx_per_sec"]))'
}
litesvm_rate() {
  "$gen" bench --txs "$txs" --accounts "$accounts" --runs "$runs" --seed "$seed" 2>/dev/null |
    python3 -c 'import re,sys; print(re.search(r"(\d+) tx/s median", sys.stdin.read()).group(1))'
}
echo "p-token Transfers, $txs txs, $accounts token accounts, 1 thread, sigverify off; median of $runs runs per round"
echo "round  baton(batch $batch)  baton(batch 1)  litesvm(one at a time)   [tx/s]"
b_all=(); b1_all=(); l_all=()
for r in $(seq "$rounds"); do
  b=$(baton_rate "$batch")
  l=$(litesvm_rate)
  b1=$(baton_rate 1)
  b_all+=("$b"); b1_all+=("$b1"); l_all+=("$l")
  printf '%5s  %18s  %14s  %22s\n' "$r" "$b" "$b1" "$l"
done
python3 - "${b_all[*]}" "${b1_all[*]}" "${l_all[*]}" <<'EOF'
import statistics, sys
b, b1, l = ([int(x) for x in s.split()] for s in sys.argv[1:4])
mb, mb1, ml = statistics.median(b), statistics.median(b1), statistics.median(l)
print(f"median  baton {mb:.0f} tx/s (batch), {mb1:.0f} tx/s (batch 1); litesvm {ml:.0f} tx/s")
print(f"ratio   baton/litesvm {mb / ml:.2f}x (batch), {mb1 / ml:.2f}x (batch 1)")
EOF
