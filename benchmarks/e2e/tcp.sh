#!/bin/bash
# TCP and UDP with iperf3 between namespaces A and B: through a direct veth and the Linux kernel router
# (anchors, no jvpp running), and through jvpp's tap, host-interface (AF_PACKET) and bridged paths, in one
# run; then the ratio of each jvpp path to both anchors. Also the CPU an idle booted jvpp uses. Root only.
#
#   sudo benchmarks/e2e/tcp.sh                          (results: $BENCH_OUT/tcp-results.txt, default ./bench-out)
#   ONLY="kernel jvpp-tap" TESTS="tcp1 udp" DUR=5 benchmarks/e2e/tcp.sh
#
# Paths (ONLY): direct kernel jvpp-tap jvpp-host jvpp-taphost jvpp-bridge (jvpp-taphost: A behind a tap, B on
# R's veth through a host-interface, so A -> B carries the tap's GSO super-frames to an egress without GSO). Tests (TESTS): tcp1 tcp4 (1 and 4 streams
# A -> B), tcp1-rev tcp4-rev (the same B -> A, iperf3 -R), udp (A -> B at UDP_RATE, UDP_LEN-byte datagrams),
# ping (not in the default list: PINGS echo requests, 200, from A at 10 ms, round-trip p50/p99 per rx mode),
# lat (not in the default list: one-way latency under load, below).
# Each iperf3 runs DUR seconds under a timeout of DUR + 15 s: a path that stalls is reported (status=stall
# or status=timeout; status=error when iperf3 fails), never waited for; without iperf3's summary, gbps is what
# the receiving interface took in. Settings: DUR (10), UDP_RATE (1G), UDP_LEN (1400), IDLE seconds of
# idle CPU (10), STALL_MBPS below which a stream counts as stalled (10), RX_MODE (for `set interface rx-mode`:
# when set, every jvpp interface is put in that mode and the lines say so), RX_MODES (a list such as
# "polling interrupt adaptive default": each jvpp path boots once per mode, `cpu { rx-mode }`, in one run, and
# its lines and ratios say which), JVPP_CPU (more of jvpp's cpu section, e.g. "corelist-workers 0").
#
# lat: the path's UDP maximum first (iperf3 -u -b 0, LAT_MAX_DUR seconds, 3), then for each LOADS percentage
# (0 10 50 90) iperf3 UDP at that share of the maximum (UDP_LEN datagrams) as background load while
# jvpp.bench.e2e.LatencyProbe sends LAT_PPS (1000) 64-byte datagrams a second from A to B for DUR seconds: one-way
# latency, as B's receiver sees it (System.nanoTime stamps: CLOCK_MONOTONIC, one clock for every namespace), its
# first second not counted. Prints RESULT e2e-latency ... p50_us p99_us p999_us, the load that got through, and
# jvpp's share of a core meanwhile; RATIO e2e-latency lines compare each jvpp path's p50 and p99 to the kernel's.
# LAT_PIN (0): the CPUs the iperf3 ends and the probe run on (taskset), so that jvpp (main-core 1) has its core as a
# router deployed with a core of its own would; LAT_PIN= (empty) leaves them to the scheduler.
#
# CPU, from /proc/stat (all CPUs) and /proc/<jvpp>/stat over the iperf3 client's run:
#   jvpp_cpu_s  user+system time of the jvpp process, all its threads (its polling included);
#   softirq_s   the kernel's softirq time on all CPUs: veth and tap receive, the kernel router's forwarding,
#               and the endpoints' TCP receive processing, which every path has;
#   busy_s      all non-idle time on all CPUs: the endpoints, the kernel, jvpp, and anything else running.
#   fwd_s_per_gb = (jvpp_cpu_s + softirq_s) / GB received; busy_s_per_gb = busy_s / GB received ("-" for a
#   stalled test). GB are the bytes of the frames the receiving end's interface took in (rx_bytes), 10^9 a GB.
# RATIO lines: each jvpp path's Gb/s over an anchor's for the same test, and its fwd_s_per_gb over the anchor's.
# The kernel here counts softirq time by sampling at the tick (no CONFIG_IRQ_TIME_ACCOUNTING), so it is coarse.
set -u
# shellcheck source=topology.sh
. "$(dirname "$(readlink -f "$0")")/topology.sh"     # needs root; the topology, jvpp_start, want
ROOT=$E2E_ROOT
ONLY="${ONLY:-direct kernel jvpp-tap jvpp-host jvpp-taphost jvpp-bridge}"
TESTS="${TESTS:-tcp1 tcp4 tcp1-rev tcp4-rev udp}"
UDP_RATE=${UDP_RATE:-1G}
UDP_LEN=${UDP_LEN:-1400}
IDLE=${IDLE:-10}
STALL_MBPS=${STALL_MBPS:-10}
PINGS=${PINGS:-200}
LOADS=${LOADS:-0 10 50 90}
LAT_PPS=${LAT_PPS:-1000}
LAT_MAX_DUR=${LAT_MAX_DUR:-3}
LAT_PIN=${LAT_PIN-0}
RX_MODES=${RX_MODES:-${RX_MODE:-default}}
PORT=5201
OUT="$D/tcp-results.txt"
HZ=$(getconf CLK_TCK)

command -v iperf3 >/dev/null || "$ROOT/bin/jvpp-setup"
command -v iperf3 >/dev/null || { echo "tcp.sh: iperf3 is missing (apt-get install iperf3)"; exit 1; }
"$ROOT/bin/jvpp" version >/dev/null || exit 1          # builds conf/target/jvpp.jar
case " $TESTS " in *" lat "*)
    "$ROOT/bin/jvpp-bench" list >/dev/null || exit 1  # builds benchmarks/target/jvpp-benchmarks.jar (LatencyProbe)
esac
PROBE="java -XX:+UseSerialGC -cp $ROOT/benchmarks/target/jvpp-benchmarks.jar jvpp.bench.e2e.LatencyProbe"

# Only what this script started is ended, by PID: the iperf3 server and client, jvpp.
cleanup() {
    [ -n "${CPID:-}" ] && kill "$CPID" 2>/dev/null
    [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null
    [ -n "${RPID:-}" ] && kill "$RPID" 2>/dev/null
    jvpp_stop
    teardown
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sys_jiffies() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $8}' /proc/stat; }   # "busy softirq", all CPUs, steal not counted
# utime+stime of a process and all its threads (0 without one); the name field may hold spaces.
proc_jiffies() {
    if [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ]; then awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"
    else echo 0; fi
}
note() { echo "$*" | tee -a "$OUT"; }

# The routed paths have B's way back to A through R (topology.sh's setup only routes A -> B).
route_back() { ip -n dppB route add 198.18.1.0/24 via 198.18.2.254; }

# A jvpp config's interfaces in RX_MODE, when one is asked for.
rx_mode_lines() { local i; [ -n "${RX_MODE:-}" ] && for i in "$@"; do echo "set interface rx-mode $i $RX_MODE"; done; true; }

# idle PATH: the share of one core the booted, idle jvpp process uses over IDLE seconds (after WARM).
idle() {
    local j0 j1 t0 t1
    sleep "$WARM"
    j0=$(proc_jiffies "$JPID"); t0=$(date +%s.%N)
    sleep "$IDLE"
    j1=$(proc_jiffies "$JPID"); t1=$(date +%s.%N)
    awk -v p="$1" -v m="$MODE" -v j=$((j1 - j0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" \
        'BEGIN{printf "RESULT e2e-idle path=%s rx_mode=%s seconds=%.1f core_pct=%.1f\n", p, m, t1 - t0, 100 * j / hz / (t1 - t0)}' \
        | tee -a "$OUT"
}

# server_start IP [PREFIX...]: a one-off iperf3 server in B on IP (SPID), run under PREFIX (taskset); waits until it listens.
server_start() {
    local ip=$1 _
    shift
    ip netns exec dppB "$@" iperf3 -s -1 -B "$ip" -p $PORT >"$D/iperf-server.log" 2>&1 &
    SPID=$!
    for _ in $(seq 40); do ip netns exec dppB ss -ltn "sport = :$PORT" | grep -q LISTEN && break; sleep .1; done
}

# point PATH TEST SERVER_IP A_IF B_IF: one iperf3 test from A (client) to the server on SERVER_IP in B.
declare -A GBPS FWD STATUS
point() {
    local path=$1 test=$2 ip=$3 args rx log="$D/iperf-$1$TAG-$2.txt" rc r0 r1 s0 s1 j0 j1 t0 t1 line
    case $test in
        tcp1) args="-P 1";; tcp4) args="-P 4";; tcp1-rev) args="-P 1 -R";; tcp4-rev) args="-P 4 -R";;
        udp) args="-u -b $UDP_RATE -l $UDP_LEN -w 4M";;     # 4 MB socket buffers: no loss at the endpoints
        *) echo "tcp.sh: unknown test $test"; return 1;;
    esac
    case $test in *-rev) rx="dppA $4";; *) rx="dppB $5";; esac
    server_start "$ip"
    # shellcheck disable=SC2086 # rx is "NS IF"
    r0=$(counter $rx rx_bytes); s0=$(sys_jiffies); j0=$(proc_jiffies "${JPID:-}"); t0=$(date +%s.%N)
    # shellcheck disable=SC2086 # args is a list of options
    timeout -k 3 $((DUR + 15)) ip netns exec dppA iperf3 -c "$ip" -p $PORT -t "$DUR" -f m --connect-timeout 3000 \
        $args >"$log" 2>&1 &
    CPID=$!
    wait "$CPID"; rc=$?; CPID=
    # shellcheck disable=SC2086
    r1=$(counter $rx rx_bytes); s1=$(sys_jiffies); j1=$(proc_jiffies "${JPID:-}"); t1=$(date +%s.%N)
    kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=
    # iperf3's summary (-f m: rates in Mbits/sec): the last receiver and sender lines, [SUM] with -P 4.
    line=$(awk -v path="$path" -v test="$test" -v rc="$rc" -v b=$((r1 - r0)) -v s0="$s0" -v s1="$s1" \
        -v j=$((j1 - j0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" -v stall="$STALL_MBPS" '
        function after(unit, k,   i) { for (i = 1; i < NF; i++) if ($i == unit) return $(i + k); return "" }
        / receiver$/ { mbps = after("Mbits/sec", -1); jit = after("ms", -1); lost = after("ms", 1); pct = after("ms", 2) }
        / sender$/ { retr = after("Mbits/sec", 1) }
        END {
            split(s0, a, " "); split(s1, c, " "); secs = t1 - t0; gb = b / 1e9
            # Killed or failed, iperf3 has no word from the receiver (its summary says 0): what the wire carried.
            if (mbps == "" || rc != 0) mbps = 8 * b / secs / 1e6
            status = rc == 124 || rc == 137 ? "timeout" : rc != 0 ? "error" : mbps < stall ? "stall" : "ok"
            jv = j / hz; si = (c[2] - a[2]) / hz; busy = (c[1] - a[1]) / hz
            per = status == "ok" ? sprintf("%.2f", (jv + si) / gb) : "-"     # per GB of a stall says nothing
            bper = status == "ok" ? sprintf("%.2f", busy / gb) : "-"
            extra = test == "udp" ? sprintf("loss_pct=%s jitter_ms=%s", (pct == "" ? "-" : substr(pct, 2, length(pct) - 3)), (jit == "" ? "-" : jit)) \
                                  : sprintf("retr=%s", retr == "" ? "-" : retr)
            printf "RESULT e2e-iperf path=%s test=%s gbps=%.3f %s status=%s seconds=%.1f rx_gb=%.3f jvpp_cpu_s=%.2f softirq_s=%.2f busy_s=%.2f fwd_s_per_gb=%s busy_s_per_gb=%s\n",
                path, test, mbps / 1000, extra, status, secs, gb, jv, si, busy, per, bper
        }' "$log")
    echo "$line" | tee -a "$OUT"
    case $line in *" status=ok "*) ;; *) STALLED=1;; esac
    GBPS[$path$TAG:$test]=$(sed -n 's/.* gbps=\([0-9.]*\) .*/\1/p' <<<"$line")
    FWD[$path$TAG:$test]=$(sed -n 's/.* fwd_s_per_gb=\([-0-9.]*\) .*/\1/p' <<<"$line")
    STATUS[$path$TAG:$test]=$(sed -n 's/.* status=\([a-z]*\) .*/\1/p' <<<"$line")
}

# udp_max PATH IP: the most UDP the path carries A -> B (iperf3 -u -b 0, UDP_LEN datagrams, LAT_MAX_DUR s), in Mb/s
# as B's iperf3 received it; sets UDP_MAX.
udp_max() {
    local log="$D/iperf-$1$TAG-udpmax.txt"
    server_start "$2" $PIN
    timeout -k 3 $((LAT_MAX_DUR + 15)) ip netns exec dppA $PIN iperf3 -c "$2" -p $PORT -u -b 0 -l "$UDP_LEN" -w 4M \
        -t "$LAT_MAX_DUR" -f m --connect-timeout 3000 >"$log" 2>&1
    kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=
    UDP_MAX=$(awk '/ receiver$/ { for (i = 1; i < NF; i++) if ($i == "Mbits/sec") m = $(i - 1) } END { print m + 0 }' "$log")
    note "RESULT e2e-udpmax path=$1 rx_mode=$(mode_of) mbps=$UDP_MAX udp_len=$UDP_LEN seconds=$LAT_MAX_DUR"
}

# lat_point PATH IP: one-way latency A -> B (LatencyProbe at LAT_PPS) at each LOADS share of the path's UDP maximum.
declare -A P50 P99
PIN=; [ -n "$LAT_PIN" ] && PIN="taskset -c $LAT_PIN"
lat_point() {
    local pct rate log j0 j1 t0 t1 lat sent load line
    udp_max "$1" "$2"
    for pct in $LOADS; do
        log="$D/iperf-$1$TAG-lat$pct.txt"
        rate=$(awk -v m="$UDP_MAX" -v p="$pct" 'BEGIN { printf "%d", m * p / 100 }')
        if [ "$pct" != 0 ] && [ "$rate" -gt 0 ]; then
            server_start "$2" $PIN
            timeout -k 3 $((DUR + 20)) ip netns exec dppA $PIN iperf3 -c "$2" -p $PORT -u -b "${rate}M" -l "$UDP_LEN" -w 4M \
                -t $((DUR + 4)) -f m --connect-timeout 3000 >"$log" 2>&1 &
            CPID=$!
            sleep 1
        fi
        # The receiver leaves its first second out: the sender, started half a second after it, warms up meanwhile.
        ip netns exec dppB $PIN $PROBE recv "$2" 47000 $((DUR + 2)) >"$D/lat-recv.txt" 2>&1 &
        RPID=$!
        sleep .5
        j0=$(proc_jiffies "${JPID:-}"); t0=$(date +%s.%N)
        ip netns exec dppA $PIN $PROBE send "$2" 47000 "$LAT_PPS" "$DUR" >"$D/lat-send.txt" 2>&1
        j1=$(proc_jiffies "${JPID:-}"); t1=$(date +%s.%N)
        wait "$RPID"; RPID=
        if [ -n "${CPID:-}" ]; then
            wait "$CPID"; CPID=
            kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=
            load=$(awk '/ receiver$/ { for (i = 1; i < NF; i++) { if ($i == "Mbits/sec") m = $(i - 1); if ($i == "ms") l = $(i + 2) } }
                END { gsub(/[()%]/, "", l); printf "load_mbps=%.0f load_loss_pct=%s", m, (l == "" ? "-" : l) }' "$log")
        else
            load="load_mbps=0 load_loss_pct=-"
        fi
        lat=$(sed -n 's/^LATENCY //p' "$D/lat-recv.txt")
        sent=$(sed -n 's/^SENT packets=[0-9]* pps=\([0-9]*\).*/\1/p' "$D/lat-send.txt")
        line=$(awk -v p="$1" -v m="$(mode_of)" -v pct="$pct" -v r="$rate" -v lat="${lat:-received=0}" -v load="$load" \
            -v pps="${sent:-0}" -v j=$((j1 - j0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" 'BEGIN {
            printf "RESULT e2e-latency path=%s rx_mode=%s load_pct=%d target_mbps=%d %s probe_pps=%s %s jvpp_core_pct=%.1f\n",
                p, m, pct, r, load, pps, lat, 100 * j / hz / (t1 - t0) }')
        echo "$line" | tee -a "$OUT"
        P50[$1$TAG:$pct]=$(sed -n 's/.* p50_us=\([0-9.]*\) .*/\1/p' <<<"$line")
        P99[$1$TAG:$pct]=$(sed -n 's/.* p99_us=\([0-9.]*\) .*/\1/p' <<<"$line")
    done
}

# ping_point PATH IP: PINGS echo requests from A to IP in B every 10 ms; the round trip's p50, p99 and max in us
# (ping's own figures) and the share of a core the jvpp process used meanwhile. A light load: an adaptive queue
# polls through it (a request every 10 ms is within its idle time), an interrupt-mode one wakes per packet.
ping_point() {
    local log="$D/ping-$1.txt" j0 j1 t0 t1 mode=-
    [ -n "${JPID:-}" ] && mode=$MODE
    j0=$(proc_jiffies "${JPID:-}"); t0=$(date +%s.%N)
    ip netns exec dppA ping -c "$PINGS" -i 0.01 -W 1 "$2" >"$log" 2>&1
    j1=$(proc_jiffies "${JPID:-}"); t1=$(date +%s.%N)
    grep -o 'time=[0-9.]*' "$log" | cut -d= -f2 | sort -n | awk -v p="$1" -v m="$mode" -v n="$PINGS" \
        -v j=$((j1 - j0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" '
        function at(q,   i) { i = int(q * NR + 0.999999); return v[i < 1 ? 1 : i] }
        { v[NR] = $1 * 1000 }
        END { printf "RESULT e2e-ping path=%s rx_mode=%s sent=%d received=%d p50_us=%.0f p99_us=%.0f max_us=%.0f jvpp_core_pct=%.1f\n",
            p, m, n, NR, at(0.5), at(0.99), v[NR], 100 * j / hz / (t1 - t0) }' | tee -a "$OUT"
}

# run PATH SERVER_IP A_IF B_IF: reachability first (a path that cannot ping gets one line, not five timeouts).
run() {
    local t
    if ! ip netns exec dppA ping -c 3 -i .2 -W 2 -q "$2" >/dev/null; then
        note "RESULT e2e-iperf path=$1 status=unreachable ($2 does not answer ping from A)"; return 1
    fi
    for t in $TESTS; do
        case $t in
            ping) ping_point "$1" "$2";;
            lat) lat_point "$1" "$2";;
            *) point "$1" "$t" "$2" "$3" "$4";;
        esac
    done
}

# The rx mode a line is labelled with: RX_MODE's, or the one jvpp_run boots with, or "-" for the anchors.
mode_of() { if [ -n "${JPID:-}" ]; then echo "$MODE"; else echo -; fi; }

# jvpp_run PATH SERVER_IP A_IF B_IF CLI-FILE: for each of RX_MODES, boot jvpp (`cpu { rx-mode }` unless the mode
# is "default"), measure it idle, run the tests, keep its counters (in tcp-jvpp-state.txt); when a test did not
# pass traffic, its error counters say why, on the terminal too.
jvpp_run() {
    local e m
    for m in $RX_MODES; do
        MODE=${RX_MODE:-$m}
        TAG=; [ "$(wc -w <<<"$RX_MODES")" -gt 1 ] && TAG=@$m      # ratio keys per mode when several run
        JVPP_RX_MODE=; [ "$m" != default ] && [ -z "${RX_MODE:-}" ] && JVPP_RX_MODE=$m
        JVPP_RX_MODE=$JVPP_RX_MODE jvpp_start "$5" ||
            { note "RESULT e2e-iperf path=$1 status=no-jvpp (see $D/jvpp.log)"; continue; }
        idle "$1"
        STALLED=
        run "$1" "$2" "$3" "$4"
        e=$(jvppctl show errors 2>&1)
        [ -n "$STALLED" ] && sed "s/^/# $1 show errors: /" <<<"$e" | tee -a "$OUT"
        { echo "== $1 rx-mode $MODE"; echo "$e"; jvppctl show interface; jvppctl show runtime; } >>"$D/tcp-jvpp-state.txt" 2>&1
        jvpp_stop
    done
    TAG=
}

MODE=-; TAG=
note "e2e-iperf: $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, loadavg $(cut -d' ' -f1-3 /proc/loadavg), DUR=$DUR UDP_RATE=$UDP_RATE UDP_LEN=$UDP_LEN TESTS=\"$TESTS\" RX_MODES=\"$RX_MODES\"${JVPP_CPU:+ JVPP_CPU=\"$JVPP_CPU\"}"
rm -f "$D/tcp-jvpp-state.txt"

if want direct; then          # (a) A and B on one veth, no router
    namespaces
    ip link add dppa0 netns dppA type veth peer name dppb0 netns dppB
    ip -n dppA addr add 198.18.1.1/24 dev dppa0; ip -n dppA link set dppa0 up
    ip -n dppB addr add 198.18.1.2/24 dev dppb0; ip -n dppB link set dppb0 up
    run direct 198.18.1.2 dppa0 dppb0
    teardown
fi
if want kernel; then          # (b) Linux routing in R, veth offloads as they come, no jvpp running
    setup; route_back; ip netns exec dppR sysctl -qw net.ipv4.ip_forward=1
    run kernel 198.18.2.1 dppa0 dppb0
    teardown
fi
if want jvpp-tap; then        # (c) jvpp routing between two taps whose host ends are in A and B
    namespaces
    { tap_router_cli; rx_mode_lines tap0 tap1; } >"$D/tcp-tap.cli"
    jvpp_run jvpp-tap 198.18.2.1 dpptap0 dpptap1 "$D/tcp-tap.cli"
    teardown
fi
if want jvpp-host; then       # (d) jvpp routing between R's veth ends (AF_PACKET), A's and B's ends as they come
    setup; ip -n dppR addr flush dev dppr0; ip -n dppR addr flush dev dppr1; route_back
    ip -n dppA neigh del 198.18.1.254 dev dppa0     # topology.sh pins R's kernel MAC; jvpp answers ARP with its own
    { afp_router_cli; rx_mode_lines host-dppr0 host-dppr1; } >"$D/tcp-host.cli"
    jvpp_run jvpp-host 198.18.2.1 dppa0 dppb0 "$D/tcp-host.cli"
    teardown
fi
if want jvpp-taphost; then    # (e) jvpp routing from a tap whose host end is in A to R's veth end towards B (AF_PACKET)
    setup; ip -n dppA link del dppa0; ip -n dppR addr flush dev dppr1; route_back
    cat >"$D/tcp-taphost.cli" <<EOC
create tap id 0 hw-addr $JVPP_MAC0 host-if-name dpptap0 host-ns dppA host-ip4-addr 198.18.1.1/24 host-ip4-gw 198.18.1.254
create host-interface name dppr1 hw-addr $JVPP_MAC1
set interface ip address tap0 198.18.1.254/24
set interface ip address host-dppr1 198.18.2.254/24
set interface state tap0 up
set interface state host-dppr1 up
$(rx_mode_lines tap0 host-dppr1)
EOC
    jvpp_run jvpp-taphost 198.18.2.1 dpptap0 dppb0 "$D/tcp-taphost.cli"
    teardown
fi
if want jvpp-bridge; then     # (f) jvpp bridging two taps (bridge domain 1, as conf/containers.conf), one subnet
    namespaces
    cat >"$D/tcp-bridge.cli" <<EOC
create bridge-domain 1
create tap id 0 host-if-name dpptap0 host-ns dppA host-ip4-addr 198.18.1.1/24
create tap id 1 host-if-name dpptap1 host-ns dppB host-ip4-addr 198.18.1.2/24
set interface l2 bridge tap0 1
set interface l2 bridge tap1 1
set interface state tap0 up
set interface state tap1 up
$(rx_mode_lines tap0 tap1)
EOC
    jvpp_run jvpp-bridge 198.18.1.2 dpptap0 dpptap1 "$D/tcp-bridge.cli"
    teardown
fi
note "e2e-iperf: done $(date -u +%FT%TZ), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

# Each jvpp path (per rx mode, when several ran) against the two anchors of this run: throughput, and CPU per GB
# (fwd_s_per_gb, jvpp's over the anchor's); latency (p50 and p99, jvpp's over the kernel's) at each load.
tags=-; [ "$(wc -w <<<"$RX_MODES")" -gt 1 ] && tags=$(for m in $RX_MODES; do echo "@$m"; done)
for p in jvpp-tap jvpp-host jvpp-taphost jvpp-bridge; do
    for g in $tags; do
        [ "$g" = - ] && g=
        for a in kernel direct; do
            for t in $TESTS; do
                [ -n "${GBPS[$p$g:$t]:-}" ] && [ -n "${GBPS[$a:$t]:-}" ] || continue
                awk -v p="$p" -v a="$a" -v t="$t" -v x="${GBPS[$p$g:$t]}" -v y="${GBPS[$a:$t]}" -v f="${FWD[$p$g:$t]}" \
                    -v g="${FWD[$a:$t]}" -v st="${STATUS[$p$g:$t]}/${STATUS[$a:$t]}" -v m="${g:+ rx_mode=${g#@}}" '
                    BEGIN { printf "RATIO e2e-iperf %s/%s %s = %.2f (%.3f / %.3f Gb/s) fwd_s_per_gb %s%s%s\n", p, a, t,
                        (y > 0 ? x / y : 0), x, y, (f != "-" && g != "-" && g > 0 ? sprintf("%.1fx", f / g) : "-"),
                        (st == "ok/ok" ? "" : " status=" st), m }' | tee -a "$OUT"
            done
        done
        for pct in $LOADS; do
            [ -n "${P50[$p$g:$pct]:-}" ] && [ -n "${P50[kernel:$pct]:-}" ] || continue
            awk -v p="$p" -v pct="$pct" -v x="${P50[$p$g:$pct]}" -v y="${P50[kernel:$pct]}" -v u="${P99[$p$g:$pct]}" \
                -v v="${P99[kernel:$pct]}" -v m="${g:+ rx_mode=${g#@}}" '
                BEGIN { printf "RATIO e2e-latency %s/kernel load_pct=%d p50 = %.2f (%.1f / %.1f us) p99 = %.2f (%.1f / %.1f us)%s\n",
                    p, pct, (y > 0 ? x / y : 0), x, y, (v > 0 ? u / v : 0), u, v, m }' | tee -a "$OUT"
        done
    done
done
