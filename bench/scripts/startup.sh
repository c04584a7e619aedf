#!/usr/bin/env bash
# Start-up benchmark: wall time of `./rtfs-microvm expand <small file>` against a bare JVM running an empty
# main (`java -cp <dir> Empty`, compiled here with the same JDK), measured in ONE run so the ratio is
# meaningful on a shared machine. Uses hyperfine when installed, else an interleaved loop timed with
# `date +%s%N`. Builds nothing: expects the launcher's jar (run `./rtfs-microvm --version` once).
# Target: expand <= 3x the bare JVM start. Usage: bench/scripts/startup.sh [RUNS]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-30}"
jar="$root/cli/target/rtfs-microvm.jar"
[ -f "$jar" ] || { echo "startup.sh: $jar missing; build it first with ./rtfs-microvm --version" >&2; exit 2; }

# Same JDK for both sides: the launcher honours JAVA_HOME when it is >= 21, so pin it to the one it would pick.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  JAVA_HOME="$(ls -d /usr/lib/jvm/*/ | sed 's:/$::' | while read -r d; do
      [ -L "$d" ] || [ ! -x "$d/bin/javac" ] || echo "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2>/dev/null || echo 0) $d"
    done | sort -n | tail -n 1 | cut -d' ' -f2)"
fi
export JAVA_HOME

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf 'public class Empty { public static void main(String[] args) { } }\n' > "$tmp/Empty.java"
"$JAVA_HOME/bin/javac" -d "$tmp" "$tmp/Empty.java"
cat > "$tmp/small.rtfs" <<'RTFS'
(defn profile:tiny [id domains]
  (-> (agent.config :version "0.1" :agent-id id
                    :microvm {:resources {:vcpus 1 :mem_mb 256}})
      (assoc-in [:network :egress :allow-domains] domains)))
(profile:tiny "bench-agent" ["example.com"])
RTFS

# Run the launcher from a frozen copy (launcher + jar): in a work tree that others are editing, the real
# launcher would rebuild mid-measurement. Its AOT cache is trained here on `expand` with the launcher's flags
# (the launcher trains on `check` of the example config, which loads a superset of these classes).
snap="$tmp/root"
mkdir -p "$snap/cli/target"
cp -p "$root/rtfs-microvm" "$snap/"
cp -p "$jar" "$snap/cli/target/"
major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")"
if [ "${major:-0}" -ge 25 ]; then
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xss8m -XX:TieredStopAtLevel=1 \
    -XX:AOTCacheOutput="$snap/cli/target/rtfs-microvm.aot" -Xlog:aot=off -Xlog:cds=off \
    -jar "$snap/cli/target/rtfs-microvm.jar" expand "$tmp/small.rtfs" > /dev/null 2>&1 || true
fi

bare=("$JAVA_HOME/bin/java" -cp "$tmp" Empty)
expand=("$snap/rtfs-microvm" expand "$tmp/small.rtfs")
"${expand[@]}" > /dev/null || { echo "startup.sh: expand failed" >&2; exit 1; }
"${bare[@]}"

echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)   runs: $runs"
if command -v hyperfine > /dev/null; then
  hyperfine -N --style basic --warmup 3 --runs "$runs" --export-csv "$tmp/h.csv" \
    -n bare-jvm "${bare[*]}" -n expand "${expand[*]}" > /dev/null
  bare_ms=$(awk -F, '$1=="bare-jvm" {printf "%.1f", $2*1000}' "$tmp/h.csv")
  expand_ms=$(awk -F, '$1=="expand" {printf "%.1f", $2*1000}' "$tmp/h.csv")
  # CPU time (user+sys) is steadier than wall time when other jobs share the cores.
  bare_cpu=$(awk -F, '$1=="bare-jvm" {printf "%.1f", ($5+$6)*1000}' "$tmp/h.csv")
  expand_cpu=$(awk -F, '$1=="expand" {printf "%.1f", ($5+$6)*1000}' "$tmp/h.csv")
  tool=hyperfine
else
  for _ in 1 2 3; do "${bare[@]}"; "${expand[@]}" > /dev/null; done
  bare_ns=0; expand_ns=0
  for _ in $(seq "$runs"); do # interleaved, so drift on a shared machine hits both sides alike
    t0=$(date +%s%N); "${bare[@]}"; t1=$(date +%s%N); "${expand[@]}" > /dev/null; t2=$(date +%s%N)
    bare_ns=$((bare_ns + t1 - t0)); expand_ns=$((expand_ns + t2 - t1))
  done
  bare_ms=$(awk -v t="$bare_ns" -v n="$runs" 'BEGIN {printf "%.1f", t / n / 1e6}')
  expand_ms=$(awk -v t="$expand_ns" -v n="$runs" 'BEGIN {printf "%.1f", t / n / 1e6}')
  tool="date loop"
fi
ratio=$(awk -v a="$expand_ms" -v b="$bare_ms" 'BEGIN {printf "%.2f", a / b}')
echo "bare JVM (java -cp . Empty): mean ${bare_ms} ms"
echo "rtfs-microvm expand:         mean ${expand_ms} ms"
echo "ratio expand / bare JVM:     ${ratio}x (target <= 3x; measured with $tool)"
if [ -n "${bare_cpu:-}" ]; then
  echo "CPU (user+sys): bare ${bare_cpu} ms, expand ${expand_cpu} ms, ratio $(awk -v a="$expand_cpu" -v b="$bare_cpu" 'BEGIN {printf "%.2f", a / b}')x"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
