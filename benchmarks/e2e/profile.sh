#!/bin/bash
# Where a packet's time goes on jvpp's tap path (tcp.sh's jvpp-tap: A -> tap0 -> jvpp -> tap1 -> B), under each
# LOADS load in turn: jvpp's `show runtime` (clocks per packet per node), the system calls per packet (strace -c on
# every jvpp thread) and the top frames of a CPU profile (perf record, when perf is installed). Root only.
#
#   sudo flock /tmp/jvpp-root-tests.lock benchmarks/e2e/profile.sh     (results: $BENCH_OUT/profile-*.txt)
#   LOADS="udp64" DUR=5 JVPP_RX_MODE=polling benchmarks/e2e/profile.sh
#
# Loads: udp64 (iperf3 UDP, 18-byte datagrams: 60-byte frames, 64 with the FCS, as fast as one iperf3 sends),
# tcp1 (iperf3 TCP, one stream: the taps' GSO super-frames of up to 64 KB). Each load runs DUR (5) seconds for each
# of the three measurements, one after the other (strace and perf slow jvpp down, so the runtime figures come from
# a run of their own), after 1 s of warm-up. Prints
#   RESULT e2e-profile load=L node=N clocks_per_pkt=C vectors_per_call=V      (show runtime, every node that ran)
#   RESULT e2e-profile load=L pkts_per_s=P bytes_per_pkt=B syscalls_per_pkt=S top=readv:x,writev:y,...
#   RESULT e2e-profile load=L perf_top="sym pct; ..."                       (the 8 hottest symbols, all threads)
# Packets are tap1's rx_packets in B over the window (frames, a GSO super-frame counted once as the kernel counts it).
set -u
# shellcheck source=topology.sh
. "$(dirname "$(readlink -f "$0")")/topology.sh"     # needs root; the topology, jvpp_start, jvppctl
ROOT=$E2E_ROOT
LOADS="${LOADS:-udp64 tcp1}"
DUR=${DUR:-5}
PORT=5201
OUT="$D/profile-results.txt"
"$ROOT/bin/jvpp" version >/dev/null || exit 1          # builds conf/target/jvpp.jar
command -v iperf3 >/dev/null || { echo "profile.sh: iperf3 is missing (apt-get install iperf3)"; exit 1; }
command -v strace >/dev/null || { echo "profile.sh: strace is missing (apt-get install strace)"; exit 1; }

cleanup() {
    [ -n "${CPID:-}" ] && kill "$CPID" 2>/dev/null
    [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null
    jvpp_stop
    teardown
}
trap cleanup EXIT
trap 'exit 130' INT TERM
note() { echo "$*" | tee -a "$OUT"; }
b_rx() { counter dppB dpptap1 "$1"; }

# load_start LOAD SECONDS: iperf3 from A to B in the background (CPID; the server SPID).
load_start() {
    local args _
    case $1 in
        udp64) args="-u -b 0 -l 18";;
        tcp1) args="-P 1";;
        *) echo "profile.sh: unknown load $1"; exit 1;;
    esac
    ip netns exec dppB iperf3 -s -1 -B 198.18.2.1 -p $PORT >/dev/null 2>&1 &
    SPID=$!
    for _ in $(seq 40); do ip netns exec dppB ss -ltn "sport = :$PORT" | grep -q LISTEN && break; sleep .1; done
    # shellcheck disable=SC2086 # args is a list of options
    ip netns exec dppA iperf3 -c 198.18.2.1 -p $PORT -t "$2" $args >"$D/profile-$1-iperf.txt" 2>&1 &
    CPID=$!
    sleep 1
}
load_stop() {
    wait "$CPID" 2>/dev/null; CPID=
    kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=
}

namespaces
tap_router_cli >"$D/profile-tap.cli"
jvpp_start "$D/profile-tap.cli" || exit 1
ip -n dppB route add 198.18.1.0/24 via 198.18.2.254 2>/dev/null
ip netns exec dppA ping -c 3 -i .2 -W 2 -q 198.18.2.1 >/dev/null || { note "profile.sh: no path A -> B"; exit 1; }
note "e2e-profile: $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, loadavg $(cut -d' ' -f1-3 /proc/loadavg), DUR=$DUR LOADS=\"$LOADS\" rx-mode ${JVPP_RX_MODE:-default}"

for load in $LOADS; do
    # 1. show runtime over DUR seconds, nothing attached to jvpp.
    load_start "$load" $((3 * DUR + 4))
    jvppctl clear runtime >/dev/null
    p0=$(b_rx rx_packets); y0=$(b_rx rx_bytes); t0=$(date +%s.%N)
    sleep "$DUR"
    jvppctl show runtime >"$D/profile-$load-runtime.txt"
    p1=$(b_rx rx_packets); y1=$(b_rx rx_bytes); t1=$(date +%s.%N)
    awk -v l="$load" '$2 == "active" || $2 == "polling" {
        printf "RESULT e2e-profile load=%s node=%s clocks_per_pkt=%.0f vectors_per_call=%.2f\n", l, $1, $6, $7 }' \
        "$D/profile-$load-runtime.txt" | tee -a "$OUT"
    # 2. system calls per packet: strace -c on every thread for DUR seconds.
    s0=$(b_rx rx_packets)
    timeout -s INT "$DUR" strace -c -f -p "$JPID" -o "$D/profile-$load-strace.txt" >/dev/null 2>&1
    s1=$(b_rx rx_packets)
    awk -v l="$load" -v n=$((s1 - s0)) -v p=$((p1 - p0)) -v y=$((y1 - y0)) -v t0="$t0" -v t1="$t1" '
        $NF ~ /^[a-z_0-9]+$/ && $1 ~ /^[0-9.]+$/ && $NF != "total" {
            c[$NF] = $4; total += $4 }
        END {
            top = ""; for (k = 0; k < 4; k++) { best = ""; for (s in c) if (best == "" || c[s] > c[best]) best = s
                if (best == "") break; top = top (top == "" ? "" : ",") best ":" sprintf("%.2f", n > 0 ? c[best] / n : 0); delete c[best] }
            printf "RESULT e2e-profile load=%s pkts_per_s=%.0f bytes_per_pkt=%.0f syscalls_per_pkt=%.2f top=%s (strace: %d packets)\n",
                l, p / (t1 - t0), (p > 0 ? y / p : 0), (n > 0 ? total / n : 0), top, n }' "$D/profile-$load-strace.txt" \
        | tee -a "$OUT"
    # 3. the hottest symbols, kernel and native (the JIT's code shows as addresses: no perf map here).
    if command -v perf >/dev/null; then
        perf record -q -F 999 -p "$JPID" -o "$D/profile-$load-perf.data" -- sleep "$DUR" >/dev/null 2>&1
        perf report -q -i "$D/profile-$load-perf.data" --no-children --sort sym --stdio 2>/dev/null \
            >"$D/profile-$load-perf.txt"
        awk -v l="$load" '$1 ~ /%$/ && n < 8 { sym = $3; for (i = 4; i <= NF; i++) sym = sym " " $i
            top = top (n ? "; " : "") sym " " $1; n++ } END { printf "RESULT e2e-profile load=%s perf_top=\"%s\"\n", l, top }' \
            "$D/profile-$load-perf.txt" | tee -a "$OUT"
    fi
    load_stop
done
{ jvppctl show errors; jvppctl show hardware-interfaces; } >"$D/profile-jvpp-state.txt" 2>&1
note "e2e-profile: done $(date -u +%FT%TZ), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
