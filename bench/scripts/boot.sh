#!/usr/bin/env bash
# Boot benchmark (issue 12), everything measured in ONE run on this machine so the ratios mean something:
#   raw    QEMU microvm started by hand with the argv `synth --target qemu` gives for the demo image (same kernel,
#          initramfs, rootfs, cmdline), timed from exec to the agent's first console line ("rtfs-agent: agent ...",
#          printed just before it sends hello): the floor for a guest under software emulation
#   hello  `run`'s boot->hello (its progress line) for a one-step plan on the same image
#   demo   the whole `./rtfs-microvm demo` (image build, boot, six steps, shutdown, chain verification)
#   panic  a guest whose init does not exist: raw QEMU's lifetime (exec -> exit), and the time from QEMU's exit
#          to `run`'s exit with its error (polled every 10 ms, so +-10 ms)
# Usage: bench/scripts/boot.sh [BOOTS]   (default 3 boots per measurement; medians are reported)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
boots="${1:-3}"
rt="$root/rtfs-microvm"
w="$(mktemp -d /tmp/rtfs-bench-boot-XXXXXX)"
trap 'pkill -f -- "$w" 2>/dev/null || true; rm -rf "$w"' EXIT

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "boot.sh: demo (builds the CLI on first use) ..." >&2
"$rt" --version > /dev/null
t0=$(now)
"$rt" demo --work "$w/demo" > "$w/demo.out" 2> "$w/demo.err" || { cat "$w/demo.out" "$w/demo.err" >&2; exit 1; }
demo_ms=$(ms "$t0" "$(now)")
image="$w/demo/image"
config="$w/demo/agent.config.microvm.rtfs"

# Raw QEMU: the synthesized argv (`synth` resolves the config's image paths against the config's directory, so
# the config is copied next to the image first).
raw_boot() { # $1 = config, $2 = marker or "" (then: until exit); prints ms
  local dir="$w/raw-$RANDOM" argv start pid
  mkdir -p "$dir"
  cp "$1" "$image/raw.config.rtfs"
  argv="$("$rt" synth "$image/raw.config.rtfs" --target qemu --initrd "$image/images/initramfs.cpio" --run-dir "$dir" 2> /dev/null)"
  start=$(now)
  (eval "exec $argv" > "$dir/console.log" 2>&1 < /dev/null) &
  pid=$!
  while kill -0 "$pid" 2> /dev/null; do
    if [ -n "$2" ] && grep -q -- "$2" "$dir/console.log"; then break; fi
    sleep 0.01
  done
  ms "$start" "$(now)"
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

plan="$w/plan.rtfs"
echo '(plan :program (do (step "hi" (call :echo {:n 1}))))' > "$plan"
raw=() hello=()
for i in $(seq "$boots"); do
  echo "boot.sh: boot $i of $boots (raw QEMU, then run) ..." >&2
  raw+=("$(raw_boot "$config" "rtfs-agent: agent ")")
  "$rt" run "$config" --plan "$plan" --image "$image" --run-dir "$w/run-$i" > "$w/run-$i.out" 2> "$w/run-$i.err" \
    || { cat "$w/run-$i.out" "$w/run-$i.err" >&2; exit 1; }
  hello+=("$(sed -n 's/.*hello from the guest after \([0-9.]*\) s.*/\1/p' "$w/run-$i.err" | awk '{ printf "%d", $1 * 1000 }')")
done

panic_config="$w/panic.rtfs"
sed 's/:cmdline "console=none"/:cmdline "console=none rdinit=\/no\/such\/init"/' "$config" > "$panic_config"
grep -q rdinit "$panic_config"
raw_panic=() exit_to_error=()
for i in $(seq "$boots"); do
  echo "boot.sh: panicking guest $i of $boots ..." >&2
  raw_panic+=("$(raw_boot "$panic_config" "")")
  run_dir="$w/panic-$i"
  "$rt" run "$panic_config" --plan "$plan" --image "$image" --run-dir "$run_dir" --quiet > "$w/panic-$i.out" 2>&1 &
  run_pid=$!
  until pgrep -f -- "$run_dir/control.sock" > /dev/null || ! kill -0 "$run_pid" 2> /dev/null; do sleep 0.01; done
  while pgrep -f -- "$run_dir/control.sock" > /dev/null; do sleep 0.01; done
  gone=$(now)
  code=0; wait "$run_pid" || code=$?
  exit_to_error+=("$(ms "$gone" "$(now)")")
  [ "$code" = 1 ] && grep -q "Kernel panic" "$w/panic-$i.out" \
    || { echo "boot.sh: the panicking run did not fail as expected (exit $code)" >&2; cat "$w/panic-$i.out" >&2; exit 1; }
done

raw_ms=$(printf '%s\n' "${raw[@]}" | median)
hello_ms=$(printf '%s\n' "${hello[@]}" | median)
raw_panic_ms=$(printf '%s\n' "${raw_panic[@]}" | median)
exit_ms=$(printf '%s\n' "${exit_to_error[@]}" | median)
echo "accelerator: $(sed -n 's/.*accelerator \([A-Z]*\).*/\1/p' "$w/demo.out" | head -n 1)   boots per measurement: $boots"
printf '%-44s %8s  %s\n' "measurement" "median" "samples (ms)"
printf '%-44s %6d ms  %s\n' "raw QEMU exec -> agent up (baseline)" "$raw_ms" "${raw[*]}"
printf '%-44s %6d ms  %s\n' "run: VM start -> hello" "$hello_ms" "${hello[*]}"
printf '%-44s %6d ms  %s\n' "demo, whole (image build included)" "$demo_ms" "$demo_ms"
printf '%-44s %6d ms  %s\n' "raw QEMU, panicking guest: exec -> exit" "$raw_panic_ms" "${raw_panic[*]}"
printf '%-44s %6d ms  %s\n' "run, panicking guest: QEMU exit -> run exit" "$exit_ms" "${exit_to_error[*]}"
awk -v r="$raw_ms" -v h="$hello_ms" -v d="$demo_ms" 'BEGIN {
  printf "ratios: hello / raw = %.2fx   demo / raw = %.2fx\n", h / r, d / r }'
