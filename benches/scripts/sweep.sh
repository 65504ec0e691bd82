#!/usr/bin/env bash
# Thread sweep for a machine with more cores: `baton bench` at 1, 2, 4, 8
# and 16 threads on `uniform-transfers`, `zipf-transfers` and
# `uniform-transfers --variant v0-alt` (v0 messages through lookup tables,
# with compute-budget instructions). Builds nothing: give it the path of a
# release `baton` binary. With the defaults it took 10–15 s a workload on
# the project's 2-core VM, so well under a minute on a 16-core machine
# (each workload is cut off after 110 s, so under 6 minutes whatever the
# arguments); prints the machine, one line per workload and thread count,
# and leaves the raw JSON in OUT_DIR.
#
# Usage: benches/scripts/sweep.sh BATON_BINARY [REPEAT] [OUT_DIR] [BENCH_ARGS...]
#   REPEAT      timed runs per thread count, median reported (default 9)
#   OUT_DIR     where the JSON goes (default: a fresh temporary directory)
#   BENCH_ARGS  more `baton bench` options, e.g. --txs 1000000 for longer runs
# Columns: workload threads tx_per_sec speedup batch_speedup serial_equivalent cpu_ns_per_tx
# The last is the CPU time of the timed batches per transaction, all
# threads ("-" where the kernel does not tell it): where it grows with
# the thread count, execution itself costs more on more threads (lines
# the threads hand each other), which no serial share explains.
# Last, `uniform-transfers` on the most threads beside as many one-thread
# runtimes side by side, each on its own store (`--pair 16`) and all on one
# (`--shared-pair 16`), printed as
#   pairs threads tx_per_sec of_pair of_shared_pair shared_over_pair
# the first share is the run against independent executions (what the
# machine allows), the third what sharing the state alone costs there, the
# second what the engine's parallel path costs beyond it.
# Needs python3.
set -euo pipefail
baton=${1:?usage: sweep.sh BATON_BINARY [REPEAT] [OUT_DIR] [BENCH_ARGS...]}
repeat=${2:-9}
out=${3:-$(mktemp -d)}
shift $(( $# > 3 ? 3 : $# ))
mkdir -p "$out"
threads=1,2,4,8,16

echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "# $baton bench --threads $threads --repeat $repeat $*; JSON in $out"
echo "# workload threads tx_per_sec speedup batch_speedup serial_equivalent cpu_ns_per_tx"
for spec in uniform-transfers zipf-transfers uniform-transfers:v0-alt; do
  w=${spec%%:*}
  variant=()
  if [ "$spec" != "$w" ]; then variant=(--variant "${spec#*:}"); fi
  name=${spec//:/-}
  if ! timeout 110 "$baton" bench --workload "$w" ${variant[@]+"${variant[@]}"} --threads "$threads" \
      --repeat "$repeat" "$@" --json >"$out/$name.json" 2>"$out/$name.err"; then
    echo "$spec: bench failed or timed out (see $out/$name.err)"
    continue
  fi
  python3 - "$out/$name.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
series = d["series"] if "series" in d else [d]
for s in series:
    for r in s["runs"]:
        print("%s %d %.0f %.3f %.3f %s %s" % (s["label"].replace(" ", ":"), r["threads"], r["tx_per_sec"],
              r["speedup"], r["batch_speedup"], r["serial_equivalent"], r.get("cpu_ns_per_tx", "-")))
PY
done
most=${threads##*,}
if timeout 110 "$baton" bench --threads "$most" --pair "$most" --shared-pair "$most" \
    --repeat "$repeat" "$@" --json >"$out/pairs.json" 2>"$out/pairs.err"; then
  python3 - "$out/pairs.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]
print("pairs %d %.0f %.3f %.3f %.3f" % (r["threads"], r["tx_per_sec"], r["of_pair"],
      r["of_shared_pair"], d["shared_pair"]["of_pair"]))
PY
else
  echo "pairs: bench failed or timed out (see $out/pairs.err)"
fi
