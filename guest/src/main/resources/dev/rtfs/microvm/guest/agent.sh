#!/bin/busybox sh
# rtfs-microvm reference guest agent (busybox sh). Speaks control-plane/PROTOCOL.md over the virtio-serial
# control port: hello/welcome, calls -> events + result, cumulative acks, shutdown. See guest/AGENT.md.
# Started by /init after the preamble; when it exits, /init powers the guest off.

W=${RTFS_AGENT_WORK:-/run/rtfs-agent}               # scratch: outbox/<seq> holds every event until an ack covers it
STEPS_ROOT=${RTFS_AGENT_STEPS:-/tmp/agent}          # the plan's writable tree (step workdirs /tmp/agent/steps/<n>); fs.write stays in it
PROXY=http://10.0.2.100:3128       # QemuSynthesizer's guestfwd to the host's egress proxy
MAX_FRAME=65536                    # the host's frame limit (bytes before the newline)
CHUNK=48000                        # bytes of a result per result_chunk frame (64,000 in base64: fits a frame)
MAX_FILE=49152                     # fs.read refuses larger files: the result must fit in one frame
SHUTDOWN_WAIT=${RTFS_AGENT_SHUTDOWN_WAIT:-10} # seconds to wait for the last ack before powering off
MAX_UNACKED=${RTFS_AGENT_MAX_UNACKED:-1000}  # outbox bound: calls are refused (without events) beyond it
CAPS=${RTFS_AGENT_CAPS:-/agent/capabilities}      # the capability store; .rtfs-index lists its user capabilities
CAP_USER=${RTFS_AGENT_CAP_USER:-nobody}           # user capabilities run as this unprivileged user (uid 65534)
MAX_CAP_OUT=1048576                # a user capability's stdout beyond this is refused, not read further
CAP_DEFAULT_SECS=60                # kill a user capability after this when the host sent no time_left_ms
CAP_ERR_LINES=20                   # the last stderr lines in the error, and at most this many call.stderr events
CAP_ERR_LINE=512                   # bytes kept of one stderr line
CAP_ERR_BYTES=65536                # stderr kept in all (the rest is read and dropped, so a flood cannot fill RAM)
# Test hooks (never set in a guest): RTFS_AGENT_WORK (scratch dir), RTFS_AGENT_CAPS (capability store),
# RTFS_AGENT_CAP_USER (the unprivileged user), RTFS_AGENT_PORT=stdio (frames on stdin and
# stdout instead of the virtio-serial port; no network setup), RTFS_AGENT_NO_MAIN=1 (define the helpers only),
# RTFS_AGENT_SHUTDOWN_WAIT and RTFS_AGENT_MAX_UNACKED (smaller bounds).

log() { echo "rtfs-agent: $*" >&2; }

# ---- JSON helpers (busybox awk; byte-oriented, so UTF-8 passes through untouched) --------------------------

# stdin: bytes followed by one sentinel "x" (so a missing final newline survives); stdout: a JSON string literal.
# Escapes backslash, quote and every control character (\b \f \n \r \t, others \u00XX); exit 3 if not UTF-8.
JSON_ENCODE='
BEGIN { for (i = 1; i < 256; i++) { c = sprintf("%c", i); ord[c] = i; esc[c] = c }
        for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\u%04x", i)
        esc["\b"] = "\\b"; esc["\f"] = "\\f"; esc["\n"] = "\\n"; esc["\r"] = "\\r"; esc["\t"] = "\\t"
        esc["\""] = "\\\""; esc["\\"] = "\\\\"; out = "\""; need = 0; bad = 0 }
function enc(s,   i, n, c, o, r) {
    r = ""; n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1); o = ord[c]
        if (need > 0) {                       # inside a multi-byte sequence
            if (o < lo || o > hi) bad = 1
            need--; lo = 128; hi = 191; r = r c; continue
        }
        if (o < 128) { r = r esc[c]; continue }
        lo = 128; hi = 191
        if (o >= 194 && o <= 223) need = 1
        else if (o == 224) { need = 2; lo = 160 }
        else if (o == 237) { need = 2; hi = 159 }          # no UTF-16 surrogates
        else if (o >= 225 && o <= 239) need = 2
        else if (o == 240) { need = 3; lo = 144 }
        else if (o >= 241 && o <= 243) need = 3
        else if (o == 244) { need = 3; hi = 143 }          # nothing above U+10FFFF
        else bad = 1
        r = r c
    }
    return r
}
{ if (need > 0) bad = 1                       # a sequence cut by a newline
  if (NR > 1) out = out "\\n"
  s = $0
  if (s ~ /[\001-\037"\\\200-\377]/) s = enc(s)
  out = out s }
END { if (need > 0 || bad) exit 3
      sub(/x$/, "", out); printf "%s\"", out }'

# stdin: the inside of a JSON string literal (no quotes); stdout: the bytes it stands for.
# Handles \" \\ \/ \b \f \n \r \t and \uXXXX (surrogate pairs too); exit 3 on bad escapes and on \u0000.
JSON_DECODE='
BEGIN { hex = "0123456789abcdef" }
function hv(h,   i, v, d) {
    if (length(h) < 4) { bad = 1; return 0 }
    v = 0; h = tolower(h)
    for (i = 1; i <= 4; i++) { d = index(hex, substr(h, i, 1)); if (!d) { bad = 1; return 0 }; v = v * 16 + d - 1 }
    return v
}
function utf8(cp) {
    if (cp < 128) return sprintf("%c", cp)
    if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
    if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
    return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}
{ s = $0; out = ""
  while ((i = index(s, "\\")) > 0) {
      out = out substr(s, 1, i - 1); c = substr(s, i + 1, 1); s = substr(s, i + 2)
      if (c == "\"" || c == "\\" || c == "/") out = out c
      else if (c == "n") out = out "\n"
      else if (c == "t") out = out "\t"
      else if (c == "r") out = out "\r"
      else if (c == "b") out = out "\b"
      else if (c == "f") out = out "\f"
      else if (c == "u") {
          cp = hv(substr(s, 1, 4)); s = substr(s, 5)
          if (cp >= 55296 && cp < 56320 && substr(s, 1, 2) == "\\u") {
              low = hv(substr(s, 3, 4))
              if (low >= 56320 && low < 57344) { cp = 65536 + (cp - 55296) * 1024 + (low - 56320); s = substr(s, 7) }
              else bad = 1
          } else if (cp >= 55296 && cp < 57344) bad = 1
          if (cp == 0) bad = 1                              # a NUL cannot live in a shell string or a path
          if (!bad) out = out utf8(cp)
      } else bad = 1
  }
  if (bad) exit 3
  printf "%s", out s }'

# stdin: one compact JSON object (as Jackson writes it: no whitespace between tokens); stdout: for each
# top-level member its key (raw, as written) on one line and its raw JSON value on the next. Values of compact
# JSON hold no raw newline, so two lines per member are unambiguous. Exit 1 if the line is not such an object.
JSON_MEMBERS='
function strend(s, i,   c) {                     # s[i] is an opening quote: index of the closing one, or 0
    for (i++; i <= n; i++) { c = substr(s, i, 1); if (c == "\\") i++; else if (c == "\"") return i }
    return 0
}
function valend(s, i,   d, c) {                  # index of the last character of the value starting at i, or 0
    d = 0
    for (; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == "\"") { i = strend(s, i); if (!i) return 0; if (d == 0) return i; continue }
        if (c == "{" || c == "[") d++
        else if (c == "}" || c == "]") { if (d == 0) return i - 1; d--; if (d == 0) return i }
        else if (c == "," && d == 0) return i - 1
    }
    return 0
}
{ s = $0; n = length(s)
  if (substr(s, 1, 1) != "{" || substr(s, n, 1) != "}") exit 1
  i = 2
  while (i < n) {
      if (substr(s, i, 1) != "\"") exit 1
      e = strend(s, i); if (!e || substr(s, e + 1, 1) != ":") exit 1
      ve = valend(s, e + 2); if (!ve || ve < e + 2) exit 1
      print substr(s, i + 1, e - i - 1); print substr(s, e + 2, ve - e - 1)
      i = ve + 1
      if (substr(s, i, 1) == ",") { i++; if (i >= n) exit 1 } else if (i != n) exit 1
  }
  exit 0 }'

# json_str_file FILE: prints FILE's bytes as a JSON string literal; fails (3) if they are not UTF-8 text.
json_str_file() { { cat "$1"; printf x; } | awk "$JSON_ENCODE"; }
# json_str TEXT: TEXT as a JSON string literal.
json_str() { printf '%sx' "$1" | awk "$JSON_ENCODE"; }
# json_decode RAW: RAW is a JSON string literal (with its quotes); prints the text, fails on bad input.
json_decode() {
    case $1 in \"*\") ;; *) return 2 ;; esac
    local inner=${1#\"}
    printf '%s\n' "${inner%\"}" | awk "$JSON_DECODE"
}
# members RAWOBJECT PREFIX KEY...: sets PREFIX_KEY to the raw value of each named top-level key ("" if absent).
members() {
    local obj=$1 prefix=$2 k v
    shift 2
    for k in "$@"; do eval "${prefix}_$k="; done
    printf '%s\n' "$obj" | awk "$JSON_MEMBERS" > "$W/members" || return 1
    while IFS= read -r k && IFS= read -r v; do
        for want in "$@"; do
            [ "\"$want\"" = "\"$k\"" ] && eval "${prefix}_$k=\$v"
        done
    done < "$W/members"
    return 0
}

# ---- the control port ---------------------------------------------------------------------------------------

find_port() {
    local i d
    for i in $(seq 50); do
        for d in /sys/class/virtio-ports/*; do
            [ -r "$d/name" ] && [ "$(cat "$d/name")" = ctl0 ] && [ -c "/dev/${d##*/}" ] && { echo "/dev/${d##*/}"; return 0; }
        done
        for d in /dev/vport*p1; do [ -c "$d" ] && { echo "$d"; return 0; }; done
        sleep 0.1
    done
    return 1
}

# Writes block while the host end is disconnected (virtio-serial); QEMU reconnects on its own.
send() { printf '%s\n' "$1" >&4 || log "write to the control port failed"; }

# One frame from the host into LINE; returns 1 on end of stream (the host end is disconnected).
recv() {
    LINE=
    IFS= read -r ${1:+-t "$1"} LINE <&3 && return 0
    [ -n "$LINE" ] && { log "dropped a partial frame"; LINE=; }
    return 1
}

SEQ=0        # last event seq emitted
ACKED=0      # highest seq the host has acknowledged (durable)
LAST_RESULT= # resent after a reconnect: a result blocked in a write while the host was away may be lost
LAST_CHUNKS=0 # and the count of its chunks in $W/chunks (resent first, from chunk 0)

hello() {
    send "{\"type\":\"hello\",\"v\":1,\"agent_id\":\"$AGENT_ID\",\"boot_id\":\"$BOOT_ID\",\"last_acked_seq\":$ACKED}"
}

acked() { # N: everything <= N is durable; forget it
    local n=$1 s
    case $n in ''|*[!0-9]*) return ;; esac
    [ "$n" -le "$ACKED" ] && return
    [ "$n" -gt "$SEQ" ] && { log "host acknowledged seq $n beyond the last emitted $SEQ"; n=$SEQ; }
    s=$((ACKED + 1))
    while [ "$s" -le "$n" ]; do rm -f "$W/outbox/$s"; s=$((s + 1)); done
    ACKED=$n
}

# (Re)connects: hello, wait for welcome, drop what it covers, resend the rest in order.
connect() {
    local attempt=0 s
    while :; do
        [ "$attempt" -gt 0 ] && sleep 1
        attempt=$((attempt + 1))
        hello
        while recv; do
            members "$LINE" F type v last_durable_seq code message || continue
            [ "$F_type" = '"error"' ] && log "host error while waiting for welcome: $F_code $F_message"
            [ "$F_type" = '"welcome"' ] && [ "$F_v" = 1 ] || continue
            acked "$F_last_durable_seq"
            s=$((ACKED + 1))
            while [ "$s" -le "$SEQ" ]; do send "$(cat "$W/outbox/$s")"; s=$((s + 1)); done
            [ "$s" -gt $((ACKED + 1)) ] && log "resent events $((ACKED + 1))..$SEQ"
            [ "$CONNECTED" = 1 ] && [ -n "$LAST_RESULT" ] && send_result "$LAST_CHUNKS" "$LAST_RESULT"
            CONNECTED=1
            return 0
        done
        log "control port closed while waiting for welcome; retrying"
    done
}

event() { # KIND STEP_RAW DATA_RAW
    SEQ=$((SEQ + 1))
    local f="{\"type\":\"event\",\"v\":1,\"seq\":$SEQ,\"kind\":\"$1\",\"step\":$2,\"data\":$3}"
    printf '%s' "$f" > "$W/outbox/$SEQ"
    send "$f"
}

result_ok() { # CALL_ID_RAW VALUE_RAW
    RESULT="{\"type\":\"result\",\"v\":1,\"call_id\":$1,\"ok\":true,\"value\":$2}"
    RESULT_OK=true
    RESULT_CHUNKS=0
    # ${#} may count characters; bytes are what the host limits (only worth a fork when it could matter)
    if [ "${#RESULT}" -gt $((MAX_FRAME / 4)) ] && [ "$(printf '%s' "$RESULT" | wc -c)" -gt "$MAX_FRAME" ]; then
        result_err "$1" "result too large for one frame"
    fi
}
# result_chunked CALL_ID_RAW FILE SIZE: FILE (one JSON value, up to MAX_CAP_OUT bytes) as result_chunk frames of
# CHUNK bytes (base64) kept in $W/chunks, then a result naming their count, size and sha256; send_result sends both.
result_chunked() {
    local total=$((($3 + CHUNK - 1) / CHUNK)) i=0 sha
    [ "$3" -le "$MAX_CAP_OUT" ] || { result_err "$1" "result exceeds 1 MiB ($MAX_CAP_OUT bytes)"; return; }
    sha=$(sha256sum < "$2") || { result_err "$1" "sha256sum failed"; return; }
    rm -rf "$W/chunks" && mkdir -p "$W/chunks" || { result_err "$1" "cannot keep the result's chunks"; return; }
    while [ "$i" -lt "$total" ]; do
        printf '{"type":"result_chunk","v":1,"call_id":%s,"index":%d,"total":%d,"data":"%s"}' "$1" "$i" "$total" \
            "$(dd if="$2" bs="$CHUNK" skip="$i" count=1 2>/dev/null | base64 -w 0)" > "$W/chunks/$i"
        i=$((i + 1))
    done
    RESULT="{\"type\":\"result\",\"v\":1,\"call_id\":$1,\"ok\":true,\"chunks\":{\"total\":$total,\"bytes\":$3,\"sha256\":\"${sha%% *}\"}}"
    RESULT_OK=true
    RESULT_CHUNKS=$total
}
# send_result [CHUNKS]: the chunks of a chunked result first (CHUNKS of them, default RESULT_CHUNKS), then RESULT.
send_result() {
    local i=0 n=${1:-$RESULT_CHUNKS}
    while [ "$i" -lt "${n:-0}" ]; do send "$(cat "$W/chunks/$i")"; i=$((i + 1)); done
    send "${2:-$RESULT}"
}
result_err() { # CALL_ID_RAW MESSAGE
    local m
    m=$(json_str "$2") || m='"(error message was not UTF-8 text)"'
    RESULT="{\"type\":\"result\",\"v\":1,\"call_id\":$1,\"ok\":false,\"error\":$m}"
    RESULT_OK=false
    RESULT_CHUNKS=0
}

# ---- capabilities: each sets RESULT via result_ok/result_err ------------------------------------------------

cap_echo() { result_ok "$1" "$2"; }

# text.echo: decodes args.text to bytes and encodes them again; value {text, bytes}. Exercises both helpers.
cap_text_echo() {
    members "$2" A text || { result_err "$1" "args must be an object"; return; }
    json_decode "$A_text" > "$W/text" 2>/dev/null || { result_err "$1" "args.text must be a string without NUL"; return; }
    local enc
    enc=$(json_str_file "$W/text") || { result_err "$1" "args.text is not UTF-8"; return; }
    result_ok "$1" "{\"text\":$enc,\"bytes\":$(wc -c < "$W/text")}"
}

cap_fs_read() {
    local path real size enc
    members "$2" A path || { result_err "$1" "args must be an object"; return; }
    path=$(json_decode "$A_path" 2>/dev/null) || { result_err "$1" "args.path must be a string"; return; }
    case $path in
        /agent/capabilities/*|/mnt/root/*) ;;
        *) result_err "$1" "fs.read: only files under /agent/capabilities or /mnt/root may be read"; return ;;
    esac
    case "/$path/" in */../*|*/./*) result_err "$1" "fs.read: path must not contain . or .. components"; return ;; esac
    [ -e "$path" ] || { result_err "$1" "fs.read: no such file"; return; }
    real=$(realpath "$path" 2>/dev/null) || { result_err "$1" "fs.read: cannot resolve the path"; return; }
    case $real in
        /agent/capabilities/*|/mnt/root/*) ;;
        *) result_err "$1" "fs.read: the path leaves the readable roots"; return ;;
    esac
    [ -f "$real" ] || { result_err "$1" "fs.read: not a regular file"; return; }
    [ -r "$real" ] || { result_err "$1" "fs.read: not readable"; return; }
    size=$(wc -c < "$real")
    [ "$size" -le "$MAX_FILE" ] || { result_err "$1" "fs.read: file of $size bytes exceeds $MAX_FILE"; return; }
    [ "$(tr -d '\000' < "$real" | wc -c)" = "$size" ] || { result_err "$1" "fs.read: binary file (NUL bytes)"; return; }
    enc=$(json_str_file "$real") || { result_err "$1" "fs.read: file is not UTF-8 text"; return; }
    result_ok "$1" "$enc"
}

# fs.write: args {path, content}; only inside the plan's writable tree (admission narrows it to the step's
# workdir); value {path, bytes}. The tree lives in the initramfs' RAM filesystem: gone at power-off.
cap_fs_write() {
    local path size
    members "$2" A path content || { result_err "$1" "args must be an object"; return; }
    path=$(json_decode "$A_path" 2>/dev/null) || { result_err "$1" "args.path must be a string"; return; }
    case $path in
        "$STEPS_ROOT"/?*) ;;
        *) result_err "$1" "fs.write: only files under $STEPS_ROOT may be written"; return ;;
    esac
    case "$path/" in */../*|*/./*) result_err "$1" "fs.write: path must not contain . or .. components"; return ;; esac
    json_decode "$A_content" > "$W/content" 2>/dev/null || { result_err "$1" "args.content must be a string without NUL"; return; }
    size=$(wc -c < "$W/content")
    [ "$size" -le "$MAX_FILE" ] || { result_err "$1" "fs.write: content of $size bytes exceeds $MAX_FILE"; return; }
    mkdir -p "${path%/*}" 2>/dev/null && [ ! -L "$path" ] && cp "$W/content" "$path" 2>/dev/null \
        || { result_err "$1" "fs.write: cannot write the file"; return; }
    result_ok "$1" "{\"path\":$A_path,\"bytes\":$size}"
}

# word D: the 32-bit word of draw D of this call under determinism (control-plane DeterministicRandom): the first
# 4 bytes of sha256("rtfs-random/v1|seed|step|call|D") as an unsigned integer.
det_word() {
    local h
    h=$(printf '%s' "rtfs-random/v1|$DET_SEED|$DET_STEP|$DET_CALL|$1" | sha256sum) || return 1
    echo $((0x${h:0:8}))
}

# random.int: args {max} (1..2147483647); value an integer in [0, max): seeded when the call carries a det seed
# (the first word below the largest multiple of max under 2^32, so no value is favoured), else the kernel's CSPRNG.
cap_random_int() {
    local max r d limit
    members "$2" A max || { result_err "$1" "args must be an object"; return; }
    max=$A_max
    case $max in ''|0*|*[!0-9]*) result_err "$1" "random.int: args.max must be an integer from 1 to 2147483647"; return ;; esac
    [ "${#max}" -le 10 ] && [ "$max" -le 2147483647 ] \
        || { result_err "$1" "random.int: args.max must be an integer from 1 to 2147483647"; return; }
    if [ -n "$DET_SEED" ]; then
        limit=$((4294967296 - 4294967296 % max)) d=0
        while :; do
            r=$(det_word "$d") || { result_err "$1" "random.int: sha256sum failed"; return; }
            [ "$r" -lt "$limit" ] && break
            d=$((d + 1))
        done
    else
        r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    fi
    result_ok "$1" "$((r % max))"
}

# clock.now: value {epoch_ms}: the virtual clock the host sent (det now_ms) when the step's time is deterministic,
# else the guest clock.
cap_clock_now() {
    result_ok "$1" "{\"epoch_ms\":${DET_NOW:-$(($(date +%s) * 1000))}}"
}

# The call's determinism context (PROTOCOL.md, call.det) into DET_SEED (hex), DET_STEP, DET_CALL, DET_NOW (epoch
# ms); all empty without one. The host's codec bounds it; this checks the shape again before sh arithmetic sees it.
# User capabilities get it as RTFS_SEED/RTFS_STEP/RTFS_NOW_MS from these variables.
det_context() {
    DET_SEED= DET_STEP= DET_CALL= DET_NOW=
    [ -n "$1" ] || return 0
    members "$1" D seed step call now_ms || return 1
    case $D_seed in '') ;; \"*\") DET_SEED=${D_seed#\"}; DET_SEED=${DET_SEED%\"} ;; *) return 1 ;; esac
    case $DET_SEED in *[!0-9a-f]*) return 1 ;; esac
    [ "${#DET_SEED}" -le 128 ] || return 1
    case $D_step$D_call in *[!0-9]*) return 1 ;; esac
    case $D_now_ms in *[!0-9]*) return 1 ;; esac
    [ -n "$D_step" ] && [ -n "$D_call" ] && [ "${#D_step}" -le 7 ] && [ "${#D_call}" -le 7 ] && [ "${#D_now_ms}" -le 15 ] \
        || return 1
    DET_STEP=$D_step DET_CALL=$D_call DET_NOW=$D_now_ms
}

# ---- http.get / http.post ----------------------------------------------------------------------------------
# With the Debian userland's curl (the default image): http:// and https:// through the egress proxy (https with
# CONNECT; SNI is the URL's host), the origin verified against the image's CA bundle and, when the config sets
# :tls_pins, its public key against them (rtfs.tls_pins on the kernel cmdline). Without curl (image build
# --busybox-only): http.get over http:// with busybox wget, as before.

CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
MAX_HEADERS=32                     # request headers a call may set
TLS_PINS=                          # curl's --pinnedpubkey form: sha256//A;sha256//B (empty: no pinning)

# tls_pins_from PARAM: the value of rtfs.tls_pins=sha256/A,sha256/B (the host wrote only valid pins; each is
# checked again so nothing else reaches curl's arguments) into TLS_PINS; a malformed list pins to nothing usable.
tls_pins_from() {
    local list=$1 pin out= IFS=,
    for pin in $list; do
        case $pin in
            sha256/*) ;;
            *) log "ignoring the malformed rtfs.tls_pins"; TLS_PINS='sha256//malformed'; return ;;
        esac
        pin=${pin#sha256/}
        case $pin in *[!A-Za-z0-9+/=]*) log "ignoring the malformed rtfs.tls_pins"; TLS_PINS='sha256//malformed'; return ;; esac
        [ "${#pin}" -eq 44 ] || { log "ignoring the malformed rtfs.tls_pins"; TLS_PINS='sha256//malformed'; return; }
        out="$out${out:+;}sha256//$pin"
    done
    TLS_PINS=$out
}

# ---- the run config disk (rtfs.run_config=vdX; guest/AGENT.md, "The run's CA") --------------------------------
# Under the config's :tls :intercept the egress proxy ends the guest's TLS with its own per-run CA. The supervisor
# hands that CA's certificate over on a read-only disk for this run only (the attested images stay as they are):
# a ustar archive whose first entry is the marker, then ca.pem. The agent adds it to a copy of the image's bundle.
RUN_CONFIG=${RTFS_AGENT_RUN_CONFIG:-/run/rtfs}   # tmpfs: the disk's files and the run's CA bundle
RUN_CONFIG_MARKER=rtfs-run-config.v1
RUN_CONFIG_MAX=65536               # bytes read from the device at most (the disk is never larger)
RUN_CA=                            # 1 once the run's CA is in CA_BUNDLE

# run_config_load SOURCE: the disk (a block device; a file in the host tests) into $RUN_CONFIG and CA_BUNDLE. Fails
# with a log line on anything but a well-formed disk: a run that intercepts TLS must not go on with a trust store
# that silently lacks its CA, nor trust whatever else a disk holds.
run_config_load() {
    local src=$1 dir=$RUN_CONFIG/run-config first
    rm -rf "$dir" "$RUN_CONFIG/run-config.tar" && mkdir -p "$dir" \
        || { log "run config disk: cannot prepare $dir"; return 1; }
    head -c "$RUN_CONFIG_MAX" "$src" > "$RUN_CONFIG/run-config.tar" 2>/dev/null \
        || { log "run config disk $src: cannot read it"; return 1; }
    first=$(tar -tf "$RUN_CONFIG/run-config.tar" 2>/dev/null | head -n 1)
    [ "$first" = "$RUN_CONFIG_MARKER" ] \
        || { log "run config disk $src: not a run config disk (its first entry is not $RUN_CONFIG_MARKER)"; return 1; }
    tar -xf "$RUN_CONFIG/run-config.tar" -C "$dir" "$RUN_CONFIG_MARKER" ca.pem 2>/dev/null && [ -f "$dir/ca.pem" ] \
        || { log "run config disk $src: no ca.pem"; return 1; }
    [ "$(cat "$dir/$RUN_CONFIG_MARKER")" = 1 ] || { log "run config disk $src: unknown format version"; return 1; }
    [ "$(head -n 1 "$dir/ca.pem" | tr -d '\r')" = '-----BEGIN CERTIFICATE-----' ] \
        || { log "run config disk $src: ca.pem is not a PEM certificate"; return 1; }
    ! grep -q 'PRIVATE KEY' "$dir/ca.pem" || { log "run config disk $src: ca.pem holds a private key"; return 1; }
    { cat "$CA_BUNDLE" 2>/dev/null; cat "$dir/ca.pem"; } > "$RUN_CONFIG/ca-bundle.crt" \
        || { log "run config disk: cannot write $RUN_CONFIG/ca-bundle.crt"; return 1; }
    CA_BUNDLE=$RUN_CONFIG/ca-bundle.crt RUN_CA=1
}

# http_request_headers RAW: the args' :headers object into $W/req-headers ("Name: value" lines); sets HTTP_PROBLEM
# and fails when it is not an object of at most MAX_HEADERS token names with one-line string values.
http_request_headers() {
    local k v n=0
    : > "$W/req-headers"
    [ -n "$1" ] && [ "$1" != '{}' ] || return 0
    printf '%s\n' "$1" | awk "$JSON_MEMBERS" > "$W/req-members" \
        || { HTTP_PROBLEM="args.headers must be an object of strings"; return 1; }
    while IFS= read -r k && IFS= read -r v; do
        n=$((n + 1))
        [ "$n" -le "$MAX_HEADERS" ] || { HTTP_PROBLEM="args.headers: more than $MAX_HEADERS headers"; return 1; }
        case $k in
            ''|*[!A-Za-z0-9!#\$%\&\'*+.^_\`\|~-]*) HTTP_PROBLEM="args.headers: a header name must be a token"; return 1 ;;
        esac
        # framing and routing are curl's and the proxy's: a plan may not smuggle a second request or host
        case $(echo "$k" | tr 'A-Z' 'a-z') in
            host|content-length|transfer-encoding|connection|upgrade|te|trailer|proxy-*|keep-alive)
                HTTP_PROBLEM="args.headers: $k is set by the agent, not the plan"; return 1 ;;
        esac
        v=$(json_decode "$v" 2>/dev/null) || { HTTP_PROBLEM="args.headers.$k must be a string"; return 1; }
        case $v in *[[:cntrl:]]*) HTTP_PROBLEM="args.headers.$k contains control characters"; return 1 ;; esac
        [ "${#v}" -le 4096 ] || { HTTP_PROBLEM="args.headers.$k is longer than 4096 characters"; return 1; }
        printf '%s: %s\n' "$k" "$v" >> "$W/req-headers"
    done < "$W/req-members"
    return 0
}

# http_curl CALL_ID METHOD URL: runs curl through the proxy; sets RESULT. The request headers and body are in
# $W/req-headers and $W/req-body.
http_curl() {
    local id=$1 method=$2 url=$3 rc w status connect reason body denied= cap
    cap=$(echo "$method" | tr 'A-Z' 'a-z'); cap="http.$cap"
    rm -f "$W/body" "$W/headers"
    # -q: no ~/.curlrc; -L with the wget-like bound: a redirect hop is a new request the proxy decides on.
    set -- -q -sS --max-time 20 --max-filesize "$MAX_FILE" -o "$W/body" -D "$W/headers" \
        -w '%{http_code} %{http_connect}' --proxy "$PROXY" --cacert "$CA_BUNDLE" \
        -L --max-redirs 5 --proto '=http,https' --proto-redir '=http,https'
    [ -n "$TLS_PINS" ] && set -- "$@" --pinnedpubkey "$TLS_PINS"
    [ -s "$W/req-headers" ] && set -- "$@" -H "@$W/req-headers"
    [ "$method" = POST ] && set -- "$@" --data-binary "@$W/req-body"
    w=$(curl "$@" "$url" 2> "$W/curl-err")
    rc=$?
    status=${w%% *} connect=${w##* }
    reason=$(grep -i '^x-egress-denied:' "$W/headers" 2>/dev/null | tail -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//')
    case $rc in
        0) ;;
        60) result_err "$id" "$cap: TLS verification failed: the origin's certificate is not trusted by the guest ($(tail -n 1 "$W/curl-err"))"; return ;;
        90) result_err "$id" "$cap: TLS pin mismatch: the origin's public key matches none of the config's :tls_pins"; return ;;
        63) result_err "$id" "$cap: body exceeds $MAX_FILE bytes"; return ;;
        28) result_err "$id" "$cap: timed out after 20 s"; return ;;
        *)
            if [ "$connect" != 000 ] && [ "$connect" != 200 ] && [ -n "$connect" ]; then
                result_err "$id" "$cap: the egress proxy refused the CONNECT ($connect)${reason:+: denied: $reason}"
            else
                result_err "$id" "$cap failed (curl exit $rc): $(tail -n 1 "$W/curl-err")"
            fi
            return ;;
    esac
    [ -f "$W/body" ] || : > "$W/body"
    body=$(json_str_file "$W/body") || { result_err "$id" "$cap: body is not UTF-8 text"; return; }
    # A request the proxy refused by name or policy is an answer (403), marked so it is not taken for the origin's.
    [ -n "$reason" ] && { denied=$(json_str "$reason") || denied='"(not UTF-8)"'; }
    result_ok "$id" "{\"status\":$status,\"body\":$body${denied:+,\"denied\":$denied}}"
}

# http.get: args {url, headers?}; http.post: args {url, headers?, body?} (body a string, sent as is). Value
# {status, body} (+ denied: the proxy's X-Egress-Denied reason when the proxy, not the origin, answered).
cap_http() { # CALL_ID ARGS METHOD
    local url cap
    cap=$(echo "$3" | tr 'A-Z' 'a-z'); cap="http.$cap"
    members "$2" A url headers body || { result_err "$1" "args must be an object"; return; }
    url=$(json_decode "$A_url" 2>/dev/null) || { result_err "$1" "args.url must be a string"; return; }
    case $url in *[[:space:][:cntrl:]]*) result_err "$1" "$cap: URL contains spaces or control characters"; return ;; esac
    case $url in
        http://?*|https://?*) ;;
        *) result_err "$1" "$cap: only http:// and https:// URLs"; return ;;
    esac
    if ! command -v curl > /dev/null 2>&1; then
        case $url:$3 in
            http://*:GET) [ -z "$A_headers" ] || { result_err "$1" "$cap: :headers need the Debian userland (curl); this image was built with --busybox-only"; return; }
                          http_wget "$1" "$url"; return ;;
            *) result_err "$1" "$cap: https:// and http.post need the Debian userland (curl); this image was built with --busybox-only"; return ;;
        esac
    fi
    HTTP_PROBLEM=
    http_request_headers "$A_headers" || { result_err "$1" "$cap: $HTTP_PROBLEM"; return; }
    : > "$W/req-body"
    if [ -n "$A_body" ]; then
        [ "$3" = POST ] || { result_err "$1" "$cap: :body only with http.post"; return; }
        json_decode "$A_body" > "$W/req-body" 2>/dev/null || { result_err "$1" "args.body must be a string without NUL"; return; }
        [ "$(wc -c < "$W/req-body")" -le "$MAX_FILE" ] || { result_err "$1" "$cap: body exceeds $MAX_FILE bytes"; return; }
    fi
    http_curl "$1" "$3" "$url"
}

# busybox-only image: http:// GET with busybox wget.
http_wget() {
    local status body
    rm -f "$W/body" "$W/headers"
    # bounded by timeout(1): busybox 1.35's own wget -T crashes (SIGSEGV) in Debian's static build
    http_proxy=$PROXY timeout 20 wget -S -O "$W/body" "$2" 2> "$W/headers"
    status=$(grep -o 'HTTP/[0-9.]* [0-9][0-9][0-9]' "$W/headers" | tail -n 1)
    status=${status##* }
    [ -n "$status" ] || { result_err "$1" "http.get failed: $(tail -n 1 "$W/headers")"; return; }
    [ -f "$W/body" ] || : > "$W/body"
    [ "$(wc -c < "$W/body")" -le "$MAX_FILE" ] || { result_err "$1" "http.get: body exceeds $MAX_FILE bytes"; return; }
    body=$(json_str_file "$W/body") || { result_err "$1" "http.get: body is not UTF-8 text"; return; }
    result_ok "$1" "{\"status\":$status,\"body\":$body}"
}

# ---- user capabilities (guest/AGENT.md, "User capabilities") -------------------------------------------------

# JSON_VALUE: stdin is one JSON value (RFC 8259) with optional whitespace around and between tokens; stdout is
# the same value compact (no whitespace outside strings), so that it fits on one frame line; exit 2 with a
# message on stderr if it is not exactly one JSON value, nests deeper than 64 or holds a string that is not UTF-8.
# Tokens are printed as they are read (no string grows character by character).
JSON_VALUE='
BEGIN { RS = "\001" }
function fail(m) { printf "%s at byte %d\n", m, p > "/dev/stderr"; bad = 1; exit 2 }
function ws(   c) { while (p <= n) { c = substr(s, p, 1); if (c == " " || c == "\t" || c == "\n" || c == "\r") p++; else return } }
function str(   c, o, need, lo, hi, chunk) {
    printf "\""; p++
    while (1) {
        chunk = substr(s, p, 4096)
        if (match(chunk, /^[^"\\\001-\037\200-\377]+/)) { printf "%s", substr(chunk, 1, RLENGTH); p += RLENGTH; continue }
        if (p > n) fail("unterminated string")
        c = substr(s, p, 1); o = ord[c]
        if (c == "\"") { printf "\""; p++; return }
        if (c == "\\") {
            c = substr(s, p + 1, 1)
            if (c == "u") { if (!match(substr(s, p + 2, 4), /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/)) fail("bad \\u escape"); printf "%s", substr(s, p, 6); p += 6; continue }
            if (index("\"\\/bfnrt", c) == 0 || c == "") fail("bad escape")
            printf "%s", substr(s, p, 2); p += 2; continue
        }
        if (o < 32) fail("control character in a string")
        lo = 128; hi = 191; need = 0
        if (o >= 194 && o <= 223) need = 1
        else if (o == 224) { need = 2; lo = 160 }
        else if (o == 237) { need = 2; hi = 159 }
        else if (o >= 225 && o <= 239) need = 2
        else if (o == 240) { need = 3; lo = 144 }
        else if (o >= 241 && o <= 243) need = 3
        else if (o == 244) { need = 3; hi = 143 }
        else fail("not UTF-8")
        printf "%s", c; p++
        for (; need > 0; need--) { o = ord[substr(s, p, 1)]; if (o < lo || o > hi) fail("not UTF-8"); printf "%s", substr(s, p, 1); p++; lo = 128; hi = 191 }
    }
}
function value(depth,   c, first) {
    if (depth > 64) fail("nested deeper than 64")
    ws(); if (p > n) fail("unexpected end")
    c = substr(s, p, 1)
    if (c == "{" || c == "[") {
        printf "%s", c; p++; ws(); first = 1
        if (substr(s, p, 1) == (c == "{" ? "}" : "]")) { printf "%s", substr(s, p, 1); p++; return }
        while (1) {
            if (c == "{") { ws(); if (substr(s, p, 1) != "\"") fail("expected a key"); str(); ws()
                            if (substr(s, p, 1) != ":") fail("expected :"); printf ":"; p++ }
            value(depth + 1); ws()
            if (substr(s, p, 1) == ",") { printf ","; p++; continue }
            if (substr(s, p, 1) == (c == "{" ? "}" : "]")) { printf "%s", substr(s, p, 1); p++; return }
            fail("expected , or " (c == "{" ? "}" : "]"))
        }
    }
    if (c == "\"") { str(); return }
    if (match(substr(s, p, 400), /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) { printf "%s", substr(s, p, RLENGTH); p += RLENGTH; return }
    if (substr(s, p, 4) == "true" || substr(s, p, 4) == "null") { printf "%s", substr(s, p, 4); p += 4; return }
    if (substr(s, p, 5) == "false") { printf "false"; p += 5; return }
    fail("not a JSON value")
}
{ if (NR > 1) { p = 0; fail("control character \\001") } s = $0 }
END { if (bad) exit 2
      for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
      n = length(s); p = 1; value(0); ws(); if (p <= n) fail("more than one JSON value") }'

# user_entry ID: the entry of user capability ID from the store's index; fails if the image has no such package.
user_entry() {
    local id entry
    [ -r "$CAPS/.rtfs-index" ] || return 1
    while read -r id entry; do [ "$id" = "$1" ] && { echo "$entry"; return 0; }; done < "$CAPS/.rtfs-index"
    return 1
}

# stderr_tail FILE: the last CAP_ERR_LINES lines of FILE (each cut to CAP_ERR_LINE bytes), as one string.
stderr_tail() { tail -n "$CAP_ERR_LINES" "$1" | cut -b "1-$CAP_ERR_LINE"; }

# A user capability (the package /agent/capabilities/<id>/): args as one JSON object on stdin, one JSON value on
# stdout is the result; exit 0 = ok, else ok:false with the last stderr lines; run as CAP_USER in the step's
# workdir, killed when the step's time is up; stderr lines become call.stderr events (bounded) as they come; a
# result larger than one frame goes as result_chunk frames (control-plane/PROTOCOL.md, "Large results").
cap_user() { # CALL_ID_RAW ARGS_RAW STEP_RAW CAP_RAW
    local name entry wd secs rc size line k=0
    name=${4#\"}; name=${name%\"}
    case $name in ''|*[!a-z0-9._-]*|.*) result_err "$1" "unknown capability"; return ;; esac
    entry=$(user_entry "$name") || { result_err "$1" "unknown capability"; return; }
    [ -x "$CAPS/$name/$entry" ] || { result_err "$1" "$name: entry $entry is not executable in the image"; return; }
    case $STEP_INDEX in
        ''|*[!0-9]*) result_err "$1" "$name: the host sent no step_index (an older host?); user capabilities need one"; return ;;
    esac
    # busybox by path: the capability's PATH is the userland's, which need not have setsid or su.
    BB=${BB:-$(command -v busybox)} || { result_err "$1" "$name: no busybox to run it with"; return; }
    wd=$STEPS_ROOT/steps/$STEP_INDEX
    mkdir -p "$wd" && chown "$CAP_USER" "$wd" && chmod 0700 "$wd" \
        || { result_err "$1" "$name: cannot prepare the workdir $wd"; return; }
    secs=$CAP_DEFAULT_SECS
    case $TIME_LEFT_MS in ''|*[!0-9]*) ;; *) secs=$(((TIME_LEFT_MS + 999) / 1000)) ;; esac
    printf '%s' "$2" > "$W/cap.in"
    rm -f "$W/cap.out" "$W/cap.err" "$W/cap.pid" "$W/cap.killed"
    # The capability leads its own process group (setsid), so the watchdog kills it with everything it started
    # (a child left holding stdout would otherwise keep the call open).
    (
        i=0
        while [ "$i" -lt "$secs" ]; do sleep 1; i=$((i + 1)); done
        : > "$W/cap.killed"
        [ -s "$W/cap.pid" ] && kill -KILL -- "-$(cat "$W/cap.pid")" 2>/dev/null
    ) &
    local dog=$!
    # stdout: at most MAX_CAP_OUT+1 bytes are read (the writer then dies of SIGPIPE); stderr: kept bounded by
    # awk, which reads it to the end so a flood neither blocks the capability nor fills the scratch filesystem.
    # awk also passes the first CAP_ERR_LINES lines (cut to CAP_ERR_LINE bytes) through a FIFO as they come, and
    # this shell turns each into a call.stderr event while the capability still runs; it reads the FIFO to its end
    # (awk exits when the capability's stderr closes), so awk never blocks on it.
    rm -f "$W/cap.errfifo"
    mkfifo -m 0600 "$W/cap.errfifo" || { kill "$dog" 2>/dev/null; result_err "$1" "$name: cannot make the stderr FIFO"; return; }
    (
        set -o pipefail
        (
            cd "$wd" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$wd" LANG=C.UTF-8 \
                HTTP_PROXY="$PROXY" HTTPS_PROXY="$PROXY" http_proxy="$PROXY" https_proxy="$PROXY" \
                ${RUN_CA:+SSL_CERT_FILE=$CA_BUNDLE CURL_CA_BUNDLE=$CA_BUNDLE} \
                RTFS_STEP="$STEP_INDEX" ${DET_SEED:+RTFS_SEED=$DET_SEED} ${DET_NOW:+RTFS_NOW_MS=$DET_NOW} \
                "$BB" setsid "$BB" sh -c 'echo $$ > "$0"; exec "$3" su -m -s /bin/sh "$1" -c '\''exec "$0"'\'' "$2"' \
                    "$W/cap.pid" "$CAP_USER" "$CAPS/$name/$entry" "$BB" \
                < "$W/cap.in" 3>&1 1>&2 2>&3 \
                | awk -v max="$CAP_ERR_BYTES" -v lines="$CAP_ERR_LINES" -v width="$CAP_ERR_LINE" -v file="$W/cap.err" '
                    BEGIN { printf "" > file }
                    { n += length($0) + 1; if (n <= max) print > file
                      if (NR <= lines) { print substr($0, 1, width); fflush() } }' > "$W/cap.errfifo"
        ) 2>&1 | head -c $((MAX_CAP_OUT + 1)) > "$W/cap.out"
    ) &
    local run=$!
    while IFS= read -r line; do
        [ $((SEQ - ACKED + 1)) -lt "$MAX_UNACKED" ] || continue
        event call.stderr "$3" "{\"capability\":$4,\"line\":$(json_str "$line" || echo '"(not UTF-8 text)"')}"
    done < "$W/cap.errfifo"
    wait "$run"
    rc=$?
    kill "$dog" 2>/dev/null
    wait "$dog" 2>/dev/null
    # Whatever the capability left running dies with the call.
    [ -s "$W/cap.pid" ] && kill -KILL -- "-$(cat "$W/cap.pid")" 2>/dev/null
    size=$(wc -c < "$W/cap.out")
    if [ "$size" -gt "$MAX_CAP_OUT" ]; then
        result_err "$1" "$name: result exceeds 1 MiB ($MAX_CAP_OUT bytes)"; return
    fi
    if [ -e "$W/cap.killed" ]; then
        result_err "$1" "$name: killed after ${secs}s (the step's time limit)"; return
    fi
    if [ "$rc" != 0 ]; then
        result_err "$1" "$name exited with status $rc: $(stderr_tail "$W/cap.err")"; return
    fi
    awk "$JSON_VALUE" < "$W/cap.out" > "$W/cap.json" 2> "$W/cap.jsonerr" \
        || { result_err "$1" "$name: stdout is not one JSON value: $(head -c 200 "$W/cap.jsonerr")"; return; }
    size=$(wc -c < "$W/cap.json")
    if [ "$size" -gt $((MAX_FRAME - 256)) ]; then
        result_chunked "$1" "$W/cap.json" "$size"
    else
        result_ok "$1" "$(cat "$W/cap.json")"
    fi
}

handle_call() { # the frame's members are in F_*
    local id=$F_call_id step=$F_step cap=$F_capability args=$F_args
    [ -n "$id" ] && [ -n "$step" ] && [ -n "$cap" ] && [ -n "$args" ] || { log "call frame without its fields ignored"; return; }
    log "call $id $cap"
    if ! det_context "$F_det"; then
        DET_SEED= DET_STEP= DET_CALL= DET_NOW=
        result_err "$id" "malformed determinism context"
        send "$RESULT"
        return
    fi
    STEP_INDEX=$F_step_index TIME_LEFT_MS=$F_time_left_ms
    if [ $((SEQ - ACKED + 2)) -gt "$MAX_UNACKED" ]; then
        result_err "$id" "outbox full: $((SEQ - ACKED)) events not yet acknowledged"
        send "$RESULT"
        return
    fi
    event call.started "$step" "{\"capability\":$cap}"
    case $cap in
        '"echo"') cap_echo "$id" "$args" ;;
        '"text.echo"') cap_text_echo "$id" "$args" ;;
        '"fs.read"') cap_fs_read "$id" "$args" ;;
        '"http.get"') cap_http "$id" "$args" GET ;;
        '"http.post"') cap_http "$id" "$args" POST ;;
        '"fs.write"') cap_fs_write "$id" "$args" ;;
        '"random.int"') cap_random_int "$id" "$args" ;;
        '"clock.now"') cap_clock_now "$id" "$args" ;;
        *) cap_user "$id" "$args" "$step" "$cap" ;;
    esac
    event call.finished "$step" "{\"ok\":$RESULT_OK}"
    LAST_RESULT=$RESULT LAST_CHUNKS=$RESULT_CHUNKS
    send_result
}

# Centiseconds since boot, without a fork.
now_cs() {
    local up rest
    read -r up rest < /proc/uptime
    up=${up%.*}${up#*.}
    while :; do case $up in 0?*) up=${up#0} ;; *) break ;; esac; done # no octal surprises
    echo "$up"
}

# Waits (bounded) until every emitted event is acknowledged. busybox read -t answers 1 both on timeout and at
# end of stream, so a read that fails well before its timeout is taken as the host end being away.
drain() {
    local deadline=$(($(now_cs) + SHUTDOWN_WAIT * 100)) t0
    while [ "$ACKED" -lt "$SEQ" ]; do
        t0=$(now_cs)
        [ "$t0" -lt "$deadline" ] || { log "shutdown: events $((ACKED + 1))..$SEQ not acknowledged within ${SHUTDOWN_WAIT}s"; return 1; }
        if recv 1; then
            members "$LINE" F type v seq last_durable_seq call_id || continue
            [ "$F_v" = 1 ] || continue
            case $F_type in
                '"ack"') acked "$F_seq" ;;
                '"call"') [ -n "$F_call_id" ] && result_err "$F_call_id" "agent is shutting down" && send "$RESULT" ;;
            esac
        elif [ $(($(now_cs) - t0)) -lt 50 ]; then
            sleep 1 # end of stream: the host is away; hello blocks until QEMU has reconnected
            connect
        fi
    done
}

# ---- main ---------------------------------------------------------------------------------------------------

main() {

    mkdir -p "$W/outbox"
    AGENT_ID=agent
    for arg in $(cat /proc/cmdline); do
        case $arg in
            rtfs.agent_id=*) AGENT_ID=${arg#rtfs.agent_id=} ;;
            rtfs.tls_pins=*) tls_pins_from "${arg#rtfs.tls_pins=}" ;;
            rtfs.run_config=*) RUN_CONFIG_DEV=${arg#rtfs.run_config=} ;;
        esac
    done
    if [ -n "${RUN_CONFIG_DEV:-}" ]; then
        case $RUN_CONFIG_DEV in
            vd[a-z]) ;;
            *) log "malformed rtfs.run_config; refusing to start without the run's CA"; exit 1 ;;
        esac
        local i=0
        while [ ! -b "/dev/$RUN_CONFIG_DEV" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        [ -b "/dev/$RUN_CONFIG_DEV" ] || { log "run config disk /dev/$RUN_CONFIG_DEV missing; refusing to start"; exit 1; }
        run_config_load "/dev/$RUN_CONFIG_DEV" || { log "refusing to start without the run's CA"; exit 1; }
        log "trusting the run's CA from /dev/$RUN_CONFIG_DEV for this run"
    fi
    [ "${#AGENT_ID}" -le 256 ] || AGENT_ID=
    case $AGENT_ID in ''|*[!A-Za-z0-9._:-]*) log "ignoring malformed rtfs.agent_id; using 'agent'"; AGENT_ID=agent ;; esac
    BOOT_ID=$(cat /proc/sys/kernel/random/boot_id)

    if [ "${RTFS_AGENT_PORT:-}" = stdio ]; then
        PORT=stdio
        exec 3<&0 4>&1
    else
        # The NIC only reaches the egress proxy (QEMU user networking, restrict=on).
        if [ -e /sys/class/net/eth0 ]; then
            ip link set lo up
            ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 || log "eth0 setup failed"
        fi
        PORT=$(find_port) || { log "no virtio-serial control port (/dev/vport*p1)"; exit 1; }
        exec 3<>"$PORT" 4>&3
    fi
    log "agent $AGENT_ID boot $BOOT_ID on $PORT"
    CONNECTED=0
    connect
    log "connected"

    while :; do
        if ! recv; then
            log "control port closed; waiting for the host to reconnect"
            sleep 1
            connect
            continue
        fi
        members "$LINE" F type v seq call_id step capability args det step_index time_left_ms reason code message || { log "ignored a malformed frame"; continue; }
        [ "$F_v" = 1 ] || { log "ignored a frame with version ${F_v:-none}"; continue; }
        case $F_type in
            '"call"') handle_call ;;
            '"ack"') acked "$F_seq" ;;
            '"shutdown"')
                log "shutdown requested: $F_reason"
                drain && log "all $SEQ events acknowledged"
                log "stopped"
                exit 0 ;;
            '"error"')
                log "host error $F_code: $F_message"
                case $F_message in *'before hello'*) connect ;; esac ;; # the host reconnected behind a blocked write
            *) ;; # health_status, metrics_report, cache_*, future types: not ours to act on
        esac
    done
}

# RTFS_AGENT_NO_MAIN=1 sources the helpers only (the host-side helper tests do).
[ "${RTFS_AGENT_NO_MAIN:-}" = 1 ] || main "$@"
