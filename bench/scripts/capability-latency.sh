#!/usr/bin/env bash
# Capability call latency (issue 16), everything measured in ONE run (one image, one boot) so the ratios mean something:
#   echo    N calls of the built-in echo: each call's elapsed_ms from `run --format json` (the host's round trip)
#   user    N calls of bench.trivial, a user capability whose program is `echo '{}'` (same measure)
#   floor   the same program run directly inside the guest: bench.floor runs bench.trivial's executable 20 times
#           with `date +%s%N` around each and returns the median (what the program itself costs, no agent, no su,
#           no control protocol)
# Reports medians and the ratios echo/floor and user/floor. Everything is local (no network effect in the plan).
# Usage: bench/scripts/capability-latency.sh [N]   (default 20)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-20}"
rt="$root/rtfs-microvm"
w="$(mktemp -d /tmp/rtfs-bench-caps-XXXXXX)"
trap 'rm -rf "$w"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

mkdir -p "$w/caps/bench.trivial" "$w/caps/bench.floor"
printf '(capability :bench.trivial\n  :effects []\n  :entry "run")\n' > "$w/caps/bench.trivial/capability.rtfs"
printf '#!/bin/sh\necho '"'"'{}'"'"'\n' > "$w/caps/bench.trivial/run"
printf '(capability :bench.floor\n  :effects []\n  :entry "run")\n' > "$w/caps/bench.floor/capability.rtfs"
cat > "$w/caps/bench.floor/run" <<'FLOOR'
#!/bin/sh
# The floor: bench.trivial's own executable, run 20 times here, each timed in the guest; the (lower) median in
# microseconds. Only sh and coreutils: the default image has no awk.
prog=/agent/capabilities/bench.trivial/run
i=0
median=$(while [ "$i" -lt 20 ]; do
  t0=$(date +%s%N); "$prog" < /dev/null > /dev/null; t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000))
  i=$((i + 1))
done | sort -n | head -n 10 | tail -n 1)
printf '{"median_us":%d,"runs":20}\n' "$median"
FLOOR
chmod +x "$w/caps/bench.trivial/run" "$w/caps/bench.floor/run"

echo "capability-latency.sh: demo (builds the default image, for its config) ..." >&2
"$rt" demo --work "$w/demo" --chain-key "$w/chain-key" -q > "$w/demo.out" 2> "$w/demo.err" \
  || { cat "$w/demo.out" "$w/demo.err" >&2; exit 1; }
echo "capability-latency.sh: image build --capabilities (bench.trivial, bench.floor) ..." >&2
"$rt" image build --out "$w/image" --capabilities "$w/caps" --no-verify --quiet > "$w/image.out" 2> "$w/image.err" \
  || { cat "$w/image.out" "$w/image.err" >&2; exit 1; }

echoes="" users=""
for i in $(seq "$n"); do
  echoes="$echoes (call :echo {:n $i})"
  users="$users (call :bench.trivial {:n $i})"
done
cat > "$w/plan.rtfs" <<PLAN
(plan :program (do (step "echo" (do $echoes))
                   (step "user" (do $users))
                   (step "floor" (call :bench.floor {}))))
PLAN
echo "capability-latency.sh: run (one boot, $n echo calls, $n user calls, the in-guest floor) ..." >&2
"$rt" run "$w/demo/agent.config.microvm.rtfs" --plan "$w/plan.rtfs" --image "$w/image" --run-dir "$w/run" \
  --chain-key "$w/chain-key" --format json --quiet > "$w/run.json" 2> "$w/run.err" \
  || { cat "$w/run.err" >&2; jq -c '.steps[] | {name, status, failure}' "$w/run.json" >&2 || true; exit 1; }
jq -e '.succeeded' "$w/run.json" > /dev/null \
  || { echo "the run failed" >&2; jq -c '.steps[] | {name, status, failure}' "$w/run.json" >&2; exit 1; }
echo_ms=$(jq -r '.steps[0].calls[].elapsed_ms' "$w/run.json" | median)
user_ms=$(jq -r '.steps[1].calls[].elapsed_ms' "$w/run.json" | median)
floor_us=$(jq -r '.steps[2].calls[0].value.median_us' "$w/run.json")
accel=$(jq -r '.accelerator' "$w/run.json")

printf 'capability call latency, one boot (%s), medians:\n' "$accel"
printf '  built-in echo (host round trip)       %8.1f ms  (%d calls)\n' "$echo_ms" "$n"
printf '  user capability (host round trip)     %8.1f ms  (%d calls; program: echo {})\n' "$user_ms" "$n"
printf '  floor: the program run in the guest   %8.3f ms  (20 runs, timed in the guest)\n' "$(awk -v u="$floor_us" 'BEGIN { print u / 1000 }')"
awk -v e="$echo_ms" -v u="$user_ms" -v f="$floor_us" 'BEGIN {
  f = f / 1000; if (f <= 0) f = 0.001
  printf "  ratios: echo/floor %.1fx, user/floor %.1fx, user/echo %.1fx\n", e / f, u / f, u / e }'
