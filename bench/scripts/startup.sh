#!/usr/bin/env bash
# Start-up benchmark (issues 2 and 3): wall and CPU time of the launcher running `expand` of a small file and
# `check` of the example config, against a bare JVM running an empty main with the same JDK, all in ONE
# hyperfine run so the ratios are meaningful on a shared machine. Targets: both <= 3x the bare JVM.
# Run it from a checkout nobody is editing (the launcher rebuilds when sources change).
# Usage: bench/scripts/startup.sh [RUNS]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-30}"
command -v hyperfine > /dev/null || { echo "startup.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/small.rtfs" <<'RTFS'
(defn profile:tiny [id domains]
  (-> (agent.config :version "0.1" :agent-id id :microvm {:resources {:vcpus 1 :mem_mb 256}})
      (assoc-in [:network :egress :allow-domains] domains)))
(profile:tiny "bench-agent" ["example.com"])
RTFS
example="$root/docs/examples/agent.config.microvm.rtfs"

# First runs build the jar and train the AOT cache; both commands must succeed before we time them.
"$root/rtfs-microvm" expand "$tmp/small.rtfs" > /dev/null
"$root/rtfs-microvm" check "$example" > /dev/null

# The launcher picks this JDK too (JAVA_HOME if >= 21, else the newest under /usr/lib/jvm): ask it.
java_home="$(bash -c 'source <(sed -n "/^java_major()/,/^}/p; /^pick_jdk()/,/^}/p" "$1"); pick_jdk; echo "$JAVA_HOME"' _ "$root/rtfs-microvm")"
printf 'public class Empty { public static void main(String[] args) { } }\n' > "$tmp/Empty.java"
"$java_home/bin/javac" -d "$tmp" "$tmp/Empty.java"

echo "JDK: $("$java_home/bin/java" -version 2>&1 | head -n 1)   runs: $runs"
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-csv "$tmp/h.csv" \
  -n bare "$java_home/bin/java -cp $tmp Empty" \
  -n expand "$root/rtfs-microvm expand $tmp/small.rtfs" \
  -n check "$root/rtfs-microvm check $example" > /dev/null

# hyperfine CSV: command,mean,stddev,median,user,system,...
awk -F, 'NR > 1 { wall[$1] = $2 * 1000; cpu[$1] = ($5 + $6) * 1000 }
  END {
    printf "%-8s %10s %10s %12s %10s\n", "command", "wall ms", "cpu ms", "wall ratio", "cpu ratio"
    n = split("bare expand check", names, " ")
    for (i = 1; i <= n; i++) { c = names[i]
      printf "%-8s %10.1f %10.1f %11.2fx %9.2fx\n", c, wall[c], cpu[c], wall[c] / wall["bare"], cpu[c] / cpu["bare"] }
    print "target: expand and check <= 3x the bare JVM (wall)"
  }' "$tmp/h.csv"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
