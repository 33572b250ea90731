# Sourced by benchmarks/e2e/run.sh and tcp.sh: the three-namespace topology, the traffic generator, the
# measurement and starting jvpp in R, the project's own (see README.md beside this file).
#
#   A [dppa0] ──veth── [dppr0] R [dppr1] ──veth── [dppb0] B
#   generator, CPU0       device under test, CPU1      sink
#
# Addresses are RFC 2544's benchmark range (198.18.0.0/15), used only inside these namespaces. The sink's
# neighbour entry in R points at SINK_MAC, a MAC nobody owns: B's kernel counts each frame in rx_packets and
# drops it at once (PACKET_OTHERHOST), so the sink costs almost nothing and counts exactly.
#
# Settings (environment): DUR seconds measured per point (10), WARM seconds before measuring (3),
# BENCH_OUT where results go (./bench-out; results.txt is appended to), GEN_VDEV the generator's DPDK
# device (net_af_xdp0,iface=<A's interface>; net_af_packet with qdisc_bypass=1 is ~30 % slower here).

[ "$(id -u)" = 0 ] || { echo "benchmarks/e2e/$(basename "$0"): needs root (network namespaces, veth, tap)"; exit 1; }
DUR=${DUR:-10}
WARM=${WARM:-3}
D=${BENCH_OUT:-$(pwd)/bench-out}
mkdir -p "$D"
SINK_MAC=02:00:00:00:00:bb
JVPP_MAC0=02:fe:00:00:0a:01     # jvpp's own MACs on R's two links
JVPP_MAC1=02:fe:00:00:0b:01
E2E_NAMESPACES="dppA dppR dppB"
E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# want NAME: whether the caller's ONLY list names this scenario.
want() { case " $ONLY " in *" $1 "*) return 0;; esac; return 1; }
# mac NS IF / counter NS IF NAME: read an interface's MAC or one of its statistics inside a namespace.
mac() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }
counter() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }
# What the generator put on the wire: sent plus what its own device dropped (offered load).
offered() { echo $(( $(counter "$1" "$2" tx_packets) + $(counter "$1" "$2" tx_dropped) )); }

teardown() {
    local ns
    for ns in $E2E_NAMESPACES; do ip netns del "$ns" 2>/dev/null; done
    true
}

# 512 x 2 MB hugepages for the generator's DPDK (the caller restores the count it found).
hugepages() {
    echo 512 >/proc/sys/vm/nr_hugepages
    mkdir -p /dev/hugepages
    mountpoint -q /dev/hugepages || mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages
}

# The namespaces with lo up, and nothing else (the tap scenarios bring their own interfaces).
namespaces() {
    local ns
    teardown
    for ns in $E2E_NAMESPACES; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
}

# The routed topology with the kernel's addresses on R's ends; a scenario that puts a userspace router in
# R flushes them (setup; ip -n dppR addr flush dev dppr0 ...).
setup() {
    local end
    namespaces
    ip link add dppa0 netns dppA type veth peer name dppr0 netns dppR
    ip link add dppr1 netns dppR type veth peer name dppb0 netns dppB
    ip -n dppA addr add 198.18.1.1/24 dev dppa0
    ip -n dppR addr add 198.18.1.254/24 dev dppr0
    ip -n dppR addr add 198.18.2.254/24 dev dppr1
    ip -n dppB addr add 198.18.2.1/24 dev dppb0
    for end in dppA:dppa0 dppR:dppr0 dppR:dppr1 dppB:dppb0; do
        ip -n "${end%:*}" link set "${end#*:}" up
    done
    ip -n dppA route add 198.18.2.0/24 via 198.18.1.254
    ip -n dppA neigh replace 198.18.1.254 lladdr "$(mac dppR dppr0)" dev dppa0 nud permanent
    ip -n dppR neigh replace 198.18.2.2 lladdr "$SINK_MAC" dev dppr1 nud permanent
}

# gen_start NS IF DST_MAC: dpdk-testpmd txonly in NS on CPU0, 60-byte UDP frames (64 with the FCS) from
# 198.18.1.1 to 198.18.2.2, addressed to DST_MAC (the router's MAC on that link). It has no rate control:
# it offers what one core reaches (~0.95 Mpps here), and `offered` says what that was.
gen_start() {
    ip netns exec "$1" dpdk-testpmd --lcores='(0,1)@0' --no-pci --no-huge -m 256 --no-shconf \
        --vdev="${GEN_VDEV:-net_af_xdp0,iface=$2}" -- --forward-mode=txonly --eth-peer="0,$3" \
        --tx-ip=198.18.1.1,198.18.2.2 --txpkts=60 --total-num-mbufs=16384 --stats-period 60 \
        </dev/null >"$D/gen.log" 2>&1 &
    GEN_PID=$!
    sleep 1
}

gen_stop() {
    kill -INT "$GEN_PID"
    wait "$GEN_PID"
    GEN_PID=
}

# Wait (10 s at most) for a testpmd device under test to start forwarding.
dut_wait() {
    local _
    for _ in $(seq 40); do
        grep -q 'start packet forwarding' "$D/dut.log" && return 0
        sleep .25
    done
    cat "$D/dut.log"
    return 1
}

# tap_router_cli: the CLI of jvpp routing between two taps whose host ends are A (198.18.1.1) and B (198.18.2.1),
# jvpp each one's gateway (tcp.sh's jvpp-tap path and profile.sh; run.sh's sink path differs: no gateway, a static
# neighbour).
tap_router_cli() {
    cat <<EOC
create tap id 0 hw-addr $JVPP_MAC0 host-if-name dpptap0 host-ns dppA host-ip4-addr 198.18.1.1/24 host-ip4-gw 198.18.1.254
create tap id 1 hw-addr $JVPP_MAC1 host-if-name dpptap1 host-ns dppB host-ip4-addr 198.18.2.1/24 host-ip4-gw 198.18.2.254
set interface ip address tap0 198.18.1.254/24
set interface ip address tap1 198.18.2.254/24
set interface state tap0 up
set interface state tap1 up
EOC
}

# jvpp_start CLI-FILE [DPDK-SECTION-BODY]: jvpp in R on CPU1 (JPID), booted from a config written here
# (plus an optional dpdk { } body); waits until its CLI answers. jvpp_stop ends it (TERM, then KILL after 10 s).
# JVPP_RX_MODE (polling|interrupt|adaptive) sets `cpu { rx-mode }`: the mode of every tap and host-interface;
# JVPP_CPU adds to the cpu section (e.g. "corelist-workers 0": a worker on CPU0 beside main on CPU1).
jvpp_start() {
    local _
    cat >"$D/jvpp.conf" <<EOC
unix { cli-listen $D/jvpp.sock startup-config $1 }
cpu { main-core 1${JVPP_RX_MODE:+ rx-mode $JVPP_RX_MODE}${JVPP_CPU:+ $JVPP_CPU} }
buffers { buffers-per-numa 32768 }
EOC
    [ -n "${2:-}" ] && echo "dpdk { $2 }" >>"$D/jvpp.conf"
    rm -f "$D/jvpp.sock"
    ip netns exec dppR "$E2E_ROOT/bin/jvpp" -c "$D/jvpp.conf" >"$D/jvpp.log" 2>&1 &
    JPID=$!
    for _ in $(seq 120); do
        [ -S "$D/jvpp.sock" ] && jvppctl show version >/dev/null 2>&1 && return 0
        kill -0 "$JPID" 2>/dev/null || break
        sleep .25
    done
    echo "jvpp did not start:"
    cat "$D/jvpp.log"
    return 1
}

jvpp_stop() {
    local _
    [ -n "${JPID:-}" ] || return 0
    kill "$JPID" 2>/dev/null
    for _ in $(seq 40); do kill -0 "$JPID" 2>/dev/null || break; sleep .25; done
    kill -9 "$JPID" 2>/dev/null
    wait "$JPID" 2>/dev/null
    JPID=
}

# afp_router_cli: jvpp's startup commands routing between R's veth ends through AF_PACKET (host-interface).
afp_router_cli() {
    cat <<EOC
create host-interface name dppr0 hw-addr $JVPP_MAC0
create host-interface name dppr1 hw-addr $JVPP_MAC1
set interface ip address host-dppr0 198.18.1.254/24
set interface ip address host-dppr1 198.18.2.254/24
set interface state host-dppr0 up
set interface state host-dppr1 up
EOC
}

# jvppctl WORDS...: a CLI command to the jvpp that jvpp_start started.
jvppctl() { ip netns exec dppR "$E2E_ROOT/bin/jvppctl" -s "$D/jvpp.sock" "$@"; }

# Busy and idle jiffies of cpu0 and cpu1: "busy0 idle0 busy1 idle1".
cpu_jiffies() { awk '/^cpu[01] /{printf "%d %d ", $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }

# measure TAG GEN_NS GEN_IF SINK_NS SINK_IF: after WARM seconds, DUR seconds of offered (generator's
# device) and delivered (sink's rx_packets) packets; prints one line to results.txt and the terminal.
measure() {
    sleep "$WARM"
    local g0 s0 c0 t0 g1 s1 c1 t1
    g0=$(offered "$2" "$3"); s0=$(counter "$4" "$5" rx_packets); c0="$(cpu_jiffies)"; t0=$(date +%s.%N)
    sleep "$DUR"
    g1=$(offered "$2" "$3"); s1=$(counter "$4" "$5" rx_packets); c1="$(cpu_jiffies)"; t1=$(date +%s.%N)
    awk -v g=$((g1 - g0)) -v s=$((s1 - s0)) -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v tag="$1" '
        BEGIN {
            d = t1 - t0; split(c0, a, " "); split(c1, b, " ")
            u0 = 100 * (b[1] - a[1]) / (b[1] - a[1] + b[2] - a[2])
            u1 = 100 * (b[3] - a[3]) / (b[3] - a[3] + b[4] - a[4])
            printf "%-34s offered=%.3f delivered=%.3f Mpps loss=%.1f%% cpu0=%.0f%% cpu1=%.0f%%\n",
                tag, g / d / 1e6, s / d / 1e6, (g > s ? 100 * (g - s) / g : 0), u0, u1
        }' | tee -a "$D/results.txt"
    ip -n "$4" -s link show "$5" | sed -n 3,4p
}
