#!/usr/bin/env bash
# The 1- and 2-thread bench beside N CPU-bound processes (a validator's other
# threads, a test runner's other suites): for each N, start N burners (plain
# shell loops, one core each), run `baton bench --threads 1,2`, stop them.
# Prints one line per N and round:
#   burners  1T_tx_s  2T_tx_s  ratio(2T/1T totals)  ratio(median batches)
# and, with ROUNDS > 1, a line of medians over the rounds ("med" after N).
# The burners are killed on exit, also on Ctrl-C or an error.
#
# Usage: [ROUNDS=R] benches/scripts/contention.sh [BURNERS] [BATON_BINARY] [BENCH_ARGS...]
#   BURNERS       comma-separated counts (default 1,2; 0 runs it alone)
#   BATON_BINARY  default target/release/baton
#   BENCH_ARGS    passed on to `baton bench` (default --repeat 5)
#   ROUNDS        bench runs per N, under the same burners (default 1): the
#                 bench alternates its 1- and 2-thread runs, but where the
#                 host's scheduler puts the burners (both on one core, or
#                 one beside each bench thread) changes from run to run and
#                 moves a single ratio by up to a third, so take the median
#                 of several rounds (6 rounds of --repeat 9 for a figure)
# Needs python3.
set -euo pipefail
counts=${1:-1,2}
baton=${2:-target/release/baton}
shift $(( $# > 2 ? 2 : $# ))
if [ $# -eq 0 ]; then set -- --repeat 5; fi

burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null || true; done
  burners=()
}
trap stop_burners EXIT
trap 'exit 130' INT TERM

echo "# burners 1T_tx_s 2T_tx_s ratio batch_ratio  ($baton bench --threads 1,2 $*)"
for n in ${counts//,/ }; do
  for _ in $(seq "$n"); do
    # A busy loop in the shell itself: no binary to build or find.
    ( while :; do :; done ) &
    burners+=("$!")
  done
  sleep 0.2 # let the burners settle on their cores
  lines=""
  for _ in $(seq "${ROUNDS:-1}"); do
    line=$("$baton" bench --threads 1,2 "$@" --json 2>/dev/null | python3 -c '
import json, sys
n = sys.argv[1]
d = json.load(sys.stdin)
r = {x["threads"]: x for x in d["runs"]}
one, two = r[1], r[2]
print("%s %.0f %.0f %.3f %.3f" % (n, one["tx_per_sec"], two["tx_per_sec"],
      two["tx_per_sec"] / one["tx_per_sec"],
      two["batch_tx_per_sec"] / one["batch_tx_per_sec"]))' "$n")
    echo "$line"
    lines+="$line"$'\n'
  done
  if [ "${ROUNDS:-1}" -gt 1 ]; then
    printf '%s' "$lines" | python3 -c '
import statistics, sys
rows = [l.split() for l in sys.stdin if l.strip()]
col = lambda i: statistics.median(float(r[i]) for r in rows)
print("%s med %.0f %.0f %.3f %.3f" % (rows[0][0], col(1), col(2), col(3), col(4)))'
  fi
  stop_burners
done
