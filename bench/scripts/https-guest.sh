#!/usr/bin/env bash
# HTTPS benchmark (issue 16), everything measured in ONE run on this machine so the ratio means something:
#   guest  N HTTPS GETs of the demo origin's /index.json from inside the guest (the agent's curl, a CONNECT through
#          the egress proxy, which intercepts it as the example config says: the guest verifies the proxy's per-run
#          CA, the proxy the origin's test CA, and strict DLP reads each request), one plan step holding N http.get calls, via
#          `demo --plan --format json`; each call's elapsed_ms is the host's call round trip. N echo calls in the
#          next step give the control-plane floor (a call that does nothing), reported next to it.
#   host   N HTTPS GETs of the same body with curl on the host through the egress proxy (`rtfs-microvm proxy`, the
#          same proxy code, example.com resolved to 127.0.0.1) to a loopback TLS origin (python3's http.server
#          with a leaf from an openssl test CA; the demo's origin lives only inside the demo's process)
# Everything is loopback. Usage: bench/scripts/https-guest.sh [N]   (default 20; medians are reported)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-20}"
rt="$root/rtfs-microvm"
w="$(mktemp -d /tmp/rtfs-bench-https-XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$w"; }
trap cleanup EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- guest ----------------------------------------------------------------------------------------------------
gets="" echoes=""
for i in $(seq "$n"); do
  gets="$gets (call :http.get {:url \"https://example.com/index.json\"})"
  echoes="$echoes (call :echo {:n $i})"
done
cat > "$w/plan.rtfs" <<PLAN
(plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET]}]] :resources {:max_time_ms 600000}}
  :program (do (step "https-gets" (do $gets))
               (step "echo-floor" (do $echoes))))
PLAN
echo "https-guest.sh: guest: demo --plan with $n HTTPS GETs (builds the image, boots) ..." >&2
"$rt" demo --work "$w/demo" --chain-key "$w/chain-key" --plan "$w/plan.rtfs" --format json -q > "$w/guest.json" \
  2> "$w/guest.err" || { cat "$w/guest.err" >&2; exit 1; }
jq -e '.succeeded' "$w/guest.json" > /dev/null || { echo "the guest run failed" >&2; jq . "$w/guest.json" >&2; exit 1; }
guest_ms=$(jq -r '.steps[0].calls[].elapsed_ms' "$w/guest.json" | median)
floor_ms=$(jq -r '.steps[1].calls[].elapsed_ms' "$w/guest.json" | median)
guest_first_ms=$(jq -r '.steps[0].calls[0].elapsed_ms' "$w/guest.json")

# ---- host -----------------------------------------------------------------------------------------------------
echo "https-guest.sh: host: curl through rtfs-microvm proxy, $n GETs ..." >&2
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=bench CA" \
  -keyout "$w/ca.key" -out "$w/ca.pem" 2> /dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=example.com" \
  -keyout "$w/leaf.key" -out "$w/leaf.csr" 2> /dev/null
printf 'subjectAltName=DNS:example.com\n' > "$w/ext"
openssl x509 -req -in "$w/leaf.csr" -CA "$w/ca.pem" -CAkey "$w/ca.key" -CAcreateserial -days 1 -extfile "$w/ext" \
  -out "$w/leaf.pem" 2> /dev/null
mkdir -p "$w/www" && printf '{"items":["alpha","beta","gamma"]}' > "$w/www/index.json"
origin_port=$(free_port)
python3 - "$origin_port" "$w" > /dev/null 2>&1 <<'PY' &
import functools, http.server, ssl, sys
port, w = int(sys.argv[1]), sys.argv[2]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=w + "/www")
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(w + "/leaf.pem", w + "/leaf.key")
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
httpd.serve_forever()
PY
pids+=($!)
proxy_port=$(free_port)
cat > "$w/acl.json" <<ACL
{"mode": "enforce",
 "agents": {"bench": {"listen": "127.0.0.1:$proxy_port", "allow_domains": ["example.com"],
                      "connect_ports": [$origin_port], "allow_ranges": ["127.0.0.0/8"]}},
 "resolve": {"example.com": ["127.0.0.1"]}}
ACL
"$rt" proxy --acl "$w/acl.json" > "$w/proxy.out" 2> "$w/proxy.err" &
pids+=($!)
for _ in $(seq 100); do
  curl -s -o /dev/null -x "http://127.0.0.1:$proxy_port" --cacert "$w/ca.pem" \
    "https://example.com:$origin_port/index.json" && break
  sleep 0.1
done
host=()
for i in $(seq "$n"); do
  host+=("$(curl -sS -o /dev/null -w '%{time_total}' -x "http://127.0.0.1:$proxy_port" --cacert "$w/ca.pem" \
    "https://example.com:$origin_port/index.json" | awk '{ printf "%.1f", $1 * 1000 }')")
done
host_ms=$(printf '%s\n' "${host[@]}" | median)

printf 'HTTPS GET through the egress proxy, %d requests each, medians (ms):\n' "$n"
printf '  guest (call round trip, TCG)  %8.1f   (first call %s ms)\n' "$guest_ms" "$guest_first_ms"
printf '  guest control-plane floor     %8.1f   (an echo call)\n' "$floor_ms"
printf '  host curl                     %8.1f\n' "$host_ms"
awk -v g="$guest_ms" -v f="$floor_ms" -v h="$host_ms" 'BEGIN {
  printf "  ratio guest/host %.1fx; without the control-plane floor %.1fx\n", g / h, (g - f) / h }'
