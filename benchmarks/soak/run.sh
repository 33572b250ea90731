#!/bin/bash
# Soak: traffic through a booted jvpp for a while, then check it leaked nothing. Root only.
#
#   benchmarks/soak/run.sh [seconds]        (default 600: the documented 10-minute run; CI runs 30)
#
# jvpp boots from its own startup-config: namespaces sa and sb routed through taps, sc1 and sc2 bridged in
# bridge domain 1 behind a loopback BVI. Three ping streams run the whole time (sa->sb routed 500 B every
# 2 ms, sc1->sc2 bridged every 2 ms, sc1->sa through the BVI every 5 ms). Every SOAK_SAMPLE seconds (10) the
# live heap is read after a full GC (jvppctl show memory gc). At the end, with the traffic stopped:
#   - heap after GC at the end minus at the first sample <= SOAK_HEAP_SLACK_MB (4);
#   - show buffers: every buffer back (used = what named holders hold);
#   - show errors: no reason outside the expected ones (what ping, ARP and bridging count by design).
# Prints one RESULT line and exits 0 when all three hold, 1 otherwise. Samples and logs: $SOAK_OUT (./bench-out/soak).
set -u
SECONDS_TOTAL="${1:-600}"
SAMPLE="${SOAK_SAMPLE:-10}"
SLACK_MB="${SOAK_HEAP_SLACK_MB:-4}"
HERE="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${SOAK_OUT:-$PWD/bench-out/soak}"
[ "$(id -u)" = 0 ] || { echo "benchmarks/soak/run.sh: needs root (network namespaces, taps)"; exit 1; }
mkdir -p "$OUT"
TAG="s$$"
NS="${TAG}a ${TAG}b ${TAG}c1 ${TAG}c2"
SOCK="$OUT/jvpp.sock"
# shellcheck source=/dev/null
. "$ROOT/bin/lib/jar.sh"
# The client straight from the jar: bin/jvppctl would rebuild the jar under the running daemon if a source
# changed during the soak.
CTL() { java "${JVPP_JVM_FLAGS[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JVPP_JAR" jvpp.cli.JvppCtl \
  -s "$SOCK" "$@"; }
PINGS=()
cleanup() {
  for p in "${PINGS[@]}"; do kill -INT "$p" 2>/dev/null; done
  [ -n "${JPID:-}" ] && kill "$JPID" 2>/dev/null && wait "$JPID" 2>/dev/null
  for n in $NS; do ip netns del "$n" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$ROOT/bin/jvpp" version >/dev/null || exit 1      # builds conf/target/jvpp.jar when needed
# The namespaces are made here with IPv6 off, so that their kernels send nothing jvpp does not route.
for n in $NS; do
  ip netns add "$n" && ip netns exec "$n" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1 \
    && ip -n "$n" link set lo up || exit 1
done
cat >"$OUT/soak.cli" <<EOC
create tap id 0 host-if-name ${TAG}a0 host-ns ${TAG}a host-ip4-addr 10.80.1.2/24 host-ip4-gw 10.80.1.1
create tap id 1 host-if-name ${TAG}b0 host-ns ${TAG}b host-ip4-addr 10.80.2.2/24 host-ip4-gw 10.80.2.1
set interface ip address tap0 10.80.1.1/24
set interface ip address tap1 10.80.2.1/24
set interface state tap0 up
set interface state tap1 up
create bridge-domain 1
create loopback interface
set interface l2 bridge loop0 1 bvi
set interface ip address loop0 10.81.0.1/24
set interface state loop0 up
create tap id 2 host-if-name ${TAG}c10 host-ns ${TAG}c1 host-ip4-addr 10.81.0.11/24 host-ip4-gw 10.81.0.1
create tap id 3 host-if-name ${TAG}c20 host-ns ${TAG}c2 host-ip4-addr 10.81.0.12/24 host-ip4-gw 10.81.0.1
set interface l2 bridge tap2 1
set interface l2 bridge tap3 1
set interface state tap2 up
set interface state tap3 up
EOC
cat >"$OUT/soak.conf" <<EOC
unix { cli-listen $SOCK startup-config $OUT/soak.cli }
buffers { buffers-per-numa 16384 page-size 4k }
EOC
rm -f "$SOCK"
java "${JVPP_JVM_FLAGS[@]}" -XX:+UseParallelGC -jar "$JVPP_JAR" -c "$OUT/soak.conf" >"$OUT/jvpp.log" 2>&1 &
JPID=$!
for _ in $(seq 120); do
  [ -S "$SOCK" ] && CTL show version >/dev/null 2>&1 && break
  kill -0 "$JPID" 2>/dev/null || { echo "soak: jvpp did not start:"; cat "$OUT/jvpp.log"; exit 1; }
  sleep .25
done

start_ping() { # NS DEST INTERVAL SIZE NAME
  ip netns exec "$1" ping -q -i "$3" -s "$4" "$2" >"$OUT/$5.ping" 2>&1 &
  PINGS+=("$!")
}
start_ping "${TAG}a" 10.80.2.2 0.002 500 routed
start_ping "${TAG}c1" 10.81.0.12 0.002 56 bridged
start_ping "${TAG}c1" 10.80.1.2 0.005 56 bvi

heap() { CTL show memory gc | sed -n 's/^heap after gc: used \([0-9]*\),.*/\1/p'; }
echo "seconds,heap_after_gc_bytes" >"$OUT/heap.csv"
FIRST=""; LAST=""
for ((t = SAMPLE; t <= SECONDS_TOTAL; t += SAMPLE)); do
  sleep "$SAMPLE"
  kill -0 "$JPID" 2>/dev/null || { echo "soak: jvpp exited at ${t}s:"; tail -20 "$OUT/jvpp.log"; exit 1; }
  h="$(heap)"
  [ -n "$h" ] || { echo "soak: no heap reading at ${t}s"; continue; }
  LAST="$h"
  [ -z "$FIRST" ] && FIRST="$LAST"
  echo "$t,$LAST" >>"$OUT/heap.csv"
done

# Stop the traffic (SIGINT: ping prints its summary), let the graph drain.
for p in "${PINGS[@]}"; do kill -INT "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
PINGS=()
sleep 2
SENT=0; RECV=0
for f in routed bridged bvi; do
  s=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$OUT/$f.ping")
  SENT=$((SENT + ${s% *})); RECV=$((RECV + ${s#* }))
done
CTL show buffers >"$OUT/buffers.txt"
USED=$(awk 'NR == 2 { print $NF }' "$OUT/buffers.txt")
HELD=$(sed -n 's/.*held by .*: \([0-9]*\)$/\1/p' "$OUT/buffers.txt" | awk '{ s += $1 } END { print s + 0 }')
CTL show errors >"$OUT/errors.txt"
# What this traffic is expected to count: answers, ARP, bridging bookkeeping (none of them a drop).
# The BVI sees the bridge's ARP requests for the other containers: "not ours" is its correct answer to them.
EXPECTED='echo replies sent|echo replies received|ARP replies sent|ARP replies received|ARP requests sent|gratuitous ARP refreshed a known neighbor|ARP request IP4 source address learned|packets held for ARP resolution|ARP request for an address that is not ours|L2 .*packets|L2 forward hits|L2 learn hits|L2 new MAC learned|L2 broadcast/multicast flooded|L2 unknown unicast flooded|L2 flood copies made'
UNEXPECTED=$(awk 'NR > 1 { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' "$OUT/errors.txt" | grep -v -E "^($EXPECTED)\$" | grep -c . )
GROWTH=$(( (LAST - FIRST) / 1024 ))
PASS=1
[ $(( LAST - FIRST )) -le $(( SLACK_MB * 1024 * 1024 )) ] || PASS=0
[ "$USED" = "$HELD" ] || PASS=0
[ "$UNEXPECTED" = 0 ] || PASS=0
LOSS=$(awk -v s="$SENT" -v r="$RECV" 'BEGIN { printf "%.3f", s ? 100 * (s - r) / s : 0 }')
echo "RESULT soak seconds=$SECONDS_TOTAL packets_sent=$SENT packets_received=$RECV loss_pct=$LOSS" \
  "heap_after_gc_first_kb=$((FIRST / 1024)) heap_after_gc_last_kb=$((LAST / 1024)) growth_kb=$GROWTH" \
  "buffers_used_after_drain=$USED held=$HELD unexpected_errors=$UNEXPECTED pass=$PASS"
if [ "$UNEXPECTED" != 0 ]; then
  echo "soak: unexpected error counters:"; awk 'NR > 1' "$OUT/errors.txt" | grep -v -E "($EXPECTED)\$"
fi
[ "$PASS" = 1 ]
