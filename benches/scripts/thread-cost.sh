#!/usr/bin/env bash
# Where a 2-thread batch spends the CPU time a 1-thread one does not. Samples
# the CPU clock (`perf record -e cpu-clock`) of `baton bench --threads 1` and
# of `--threads 2 --serial-fallback off` on the same workload and runs, then
# prints, per function, the samples of the second minus the first, in
# nanoseconds of CPU per timed transaction (the serial check run and the
# setup are the same in both and cancel). Functions only the parallel path
# has (the wave's graph, the dispatch, the gather) show up whole; shared
# ones (execution, the store) show what running beside another core adds.
# Time a thread spends asleep is not sampled: the difference of the two
# runs' totals against the bench's own wall-clock figures shows it.
# Usage: benches/scripts/thread-cost.sh [BATON_BINARY] [REPEAT] [ROWS] [-- bench args...]
#   (needs perf and python3; build with `cargo build --profile profiling -p
#   baton-cli` and pass target/profiling/baton for function names)
set -euo pipefail
baton=${1:-target/profiling/baton}
repeat=${2:-10}
rows=${3:-25}
shift $(($# < 3 ? $# : 3))
[ "${1:-}" = "--" ] && shift
command -v perf >/dev/null || { echo "thread-cost.sh: needs perf" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
freq=4000
run() { # threads, output, bench args...
  local threads=$1 out=$2
  shift 2
  perf record -q -e cpu-clock -F "$freq" -o "$out.data" -- \
    "$baton" bench --threads "$threads" --repeat "$repeat" --serial-fallback off --json "$@" \
    2>/dev/null >"$out.json"
  perf report -i "$out.data" --no-children --sort symbol -q -n --percent-limit 0.02 2>/dev/null >"$out.txt"
}
run 1 "$tmp/one" "$@"
run 2 "$tmp/two" "$@"
python3 - "$tmp" "$freq" "$repeat" "$rows" <<'EOF'
import json, re, sys
tmp, freq, repeat, rows = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def samples(name):
    d = {}
    for line in open(f"{tmp}/{name}.txt"):
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+\[[.k]\]\s+(.*?)\s*$", line)
        if m:
            d[m.group(2)] = d.get(m.group(2), 0) + int(m.group(1))
    return d
runs = {}
for name in ("one", "two"):
    r = json.load(open(f"{tmp}/{name}.json"))["runs"][0]
    runs[name] = r
txs = json.load(open(f"{tmp}/one.json"))["txs"]
timed = repeat * txs
one, two = samples("one"), samples("two")
ns = lambda s: s / freq / timed * 1e9
print(f"1 thread {runs['one']['tx_per_sec']:.0f} tx/s, 2 threads {runs['two']['tx_per_sec']:.0f} tx/s; "
      f"CPU per timed transaction, all sampled: 1 thread {ns(sum(one.values())):.0f} ns (setup and check run included), "
      f"2 threads {ns(sum(two.values())):.0f} ns")
print(f"{'added ns/tx':>11} {'1 thread':>9} {'2 threads':>9}  function")
keys = sorted(set(one) | set(two), key=lambda k: one.get(k, 0) - two.get(k, 0))
for k in keys[:rows] + ["..."] + keys[-5:]:
    if k == "...":
        print("        ...")
        continue
    a, b = one.get(k, 0), two.get(k, 0)
    print(f"{ns(b - a):11.1f} {ns(a):9.1f} {ns(b):9.1f}  {k[:100]}")
EOF
