#!/bin/bash
# End-to-end forwarding: jvpp (AF_PACKET and TAP ports) beside the Linux kernel's ip_forward and
# dpdk-testpmd (net_af_packet, net_tap) on the same 3-namespace path, in the same run; then one-way
# latency through jvpp and through the kernel at 10/50/90 % of jvpp's measured rate. Root only.
#
#   DUR=10 REPS=1 benchmarks/e2e/run.sh            (results: $BENCH_OUT/results.txt, default ./bench-out)
#   ONLY="kernel jvpp-af_packet" benchmarks/e2e/run.sh
#
# Topology, generator and measurement are in topology.sh beside this script (testpmd txonly over net_af_xdp
# in A on CPU0, 64-byte frames to SINK_MAC; B counts rx_packets). The device under test runs in R on CPU1.
# JVPP_RX_MODE=polling|interrupt|adaptive boots every jvpp leg with `cpu { rx-mode }` (the default: adaptive);
# each jvpp leg's `show runtime` over its run goes to $BENCH_OUT/jvpp-runtime.txt.
set -u
# shellcheck source=topology.sh
. "$(dirname "$(readlink -f "$0")")/topology.sh"     # needs root; the topology, jvpp_start, want
ROOT=$E2E_ROOT
ONLY="${ONLY:-kernel testpmd-af_packet jvpp-af_packet testpmd-af_xdp jvpp-dpdk-af_packet jvpp-dpdk-af_xdp testpmd-tap jvpp-tap latency}"

# What the run needs: testpmd (dpdk-dev), the jars.
if ! command -v dpdk-testpmd >/dev/null; then
  echo "e2e: installing dpdk dpdk-dev for dpdk-testpmd" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpdk dpdk-dev >/dev/null || exit 1
fi
"$ROOT/bin/jvpp-bench" list >/dev/null || exit 1       # builds benchmarks/target/jvpp-benchmarks.jar
"$ROOT/bin/jvpp" version >/dev/null || exit 1          # builds conf/target/jvpp.jar
PROBE="java -cp $ROOT/benchmarks/target/jvpp-benchmarks.jar jvpp.bench.e2e.LatencyProbe"
HP0=$(cat /proc/sys/vm/nr_hugepages)
cleanup() { [ -n "${JPID:-}" ] && kill "$JPID" 2>/dev/null; [ -n "${DUT:-}" ] && kill -INT "$DUT" 2>/dev/null
  teardown; echo "$HP0" >/proc/sys/vm/nr_hugepages; }
trap cleanup EXIT
hugepages

rate() { grep -F "$1" "$D/results.txt" | tail -1 | sed -n 's/.*delivered=\([0-9.]*\).*/\1/p'; }
# runtime LEG: the jvpp leg's `show runtime` (boot, warm-up and measurement) into jvpp-runtime.txt.
runtime() { { echo "== $1 rx-mode ${JVPP_RX_MODE:-default} $(date -u +%FT%TZ)"; jvppctl show runtime; } >>"$D/jvpp-runtime.txt" 2>&1; }

for r in $(seq "${REPS:-1}"); do
  if want kernel; then
    setup; ip netns exec dppR sysctl -qw net.ipv4.ip_forward=1
    gen_start dppA dppa0 "$(mac dppR dppr0)"; measure "e2e kernel ip_forward" dppA dppa0 dppB dppb0; gen_stop; teardown
  fi
  if want testpmd-af_packet; then
    setup; ip -n dppR addr flush dev dppr0; ip -n dppR addr flush dev dppr1
    O=",qdisc_bypass=1,framecnt=2048"
    ip netns exec dppR dpdk-testpmd -l 0,1 --no-pci --in-memory -m 512 --vdev=net_af_packet0,iface=dppr0$O \
      --vdev=net_af_packet1,iface=dppr1$O -- --forward-mode=io --nb-cores=1 --total-num-mbufs=32768 \
      --stats-period 60 </dev/null >"$D/dut.log" 2>&1 &
    DUT=$!; dut_wait; gen_start dppA dppa0 "$(mac dppR dppr0)"
    measure "e2e testpmd af_packet io" dppA dppa0 dppB dppb0; gen_stop; kill -INT $DUT; wait $DUT; DUT=; teardown
  fi
  if want jvpp-af_packet; then
    setup; ip -n dppR addr flush dev dppr0; ip -n dppR addr flush dev dppr1
    { afp_router_cli; echo "set ip neighbor host-dppr1 198.18.2.2 $SINK_MAC static"; } >"$D/jvpp-afp.cli"
    jvpp_start "$D/jvpp-afp.cli" && { gen_start dppA dppa0 $JVPP_MAC0
      measure "e2e jvpp af_packet" dppA dppa0 dppB dppb0; gen_stop
      jvppctl show errors >>"$D/jvpp-errors.txt"; runtime "jvpp af_packet"; jvpp_stop; }
    teardown
  fi
  for pmd in af_xdp; do
    if want testpmd-$pmd; then
      setup; ip -n dppR addr flush dev dppr0; ip -n dppR addr flush dev dppr1
      ip netns exec dppR dpdk-testpmd -l 0,1 --no-pci --in-memory -m 512 --vdev=net_${pmd}0,iface=dppr0 \
        --vdev=net_${pmd}1,iface=dppr1 -- --forward-mode=io --nb-cores=1 --total-num-mbufs=32768 \
        --stats-period 60 </dev/null >"$D/dut.log" 2>&1 &
      DUT=$!; dut_wait; gen_start dppA dppa0 "$(mac dppR dppr0)"
      measure "e2e testpmd $pmd io" dppA dppa0 dppB dppb0; gen_stop; kill -INT $DUT; wait $DUT; DUT=; teardown
    fi
  done
  for pmd in af_packet af_xdp; do
    if want jvpp-dpdk-$pmd; then
      setup; ip -n dppR addr flush dev dppr0; ip -n dppR addr flush dev dppr1
      O=$([ $pmd = af_packet ] && echo ",qdisc_bypass=1,framecnt=2048")
      cat >"$D/jvpp-dpdk.cli" <<EOC
set interface ip address net_${pmd}0 198.18.1.254/24
set interface ip address net_${pmd}1 198.18.2.254/24
set ip neighbor net_${pmd}1 198.18.2.2 $SINK_MAC static
set interface state net_${pmd}0 up
set interface state net_${pmd}1 up
EOC
      jvpp_start "$D/jvpp-dpdk.cli" "no-pci file-prefix jvppe2e vdev net_${pmd}0,iface=dppr0$O vdev net_${pmd}1,iface=dppr1$O" && {
        gen_start dppA dppa0 "$(mac dppR dppr0)"
        measure "e2e jvpp dpdk $pmd" dppA dppa0 dppB dppb0; gen_stop; jvpp_stop; }
      teardown
    fi
  done
  if want testpmd-tap; then
    namespaces
    ip netns exec dppR dpdk-testpmd -l 0,1 --no-pci --in-memory -m 512 \
      --vdev=net_tap0,iface=dpptap0,mac=$JVPP_MAC0 --vdev=net_tap1,iface=dpptap1,mac=$JVPP_MAC1 -- --forward-mode=io \
      --nb-cores=1 --total-num-mbufs=32768 --stats-period 60 </dev/null >"$D/dut.log" 2>&1 &
    DUT=$!; dut_wait
    ip -n dppR link set dpptap0 netns dppA; ip -n dppR link set dpptap1 netns dppB
    ip -n dppA addr add 198.18.1.1/24 dev dpptap0; ip -n dppA link set dpptap0 up
    ip -n dppB addr add 198.18.2.1/24 dev dpptap1; ip -n dppB link set dpptap1 up
    gen_start dppA dpptap0 $JVPP_MAC0; measure "e2e testpmd tap io" dppA dpptap0 dppB dpptap1; gen_stop
    kill -INT $DUT; wait $DUT; DUT=; teardown
  fi
  if want jvpp-tap; then
    namespaces
    cat >"$D/jvpp-tap.cli" <<EOC
create tap id 0 hw-addr $JVPP_MAC0 host-if-name dpptap0 host-ns dppA host-ip4-addr 198.18.1.1/24 host-ip4-gw 198.18.1.254
create tap id 1 hw-addr $JVPP_MAC1 host-if-name dpptap1 host-ns dppB host-ip4-addr 198.18.2.1/24
set interface ip address tap0 198.18.1.254/24
set interface ip address tap1 198.18.2.254/24
set ip neighbor tap1 198.18.2.2 $SINK_MAC static
set interface state tap0 up
set interface state tap1 up
EOC
    jvpp_start "$D/jvpp-tap.cli" && { gen_start dppA dpptap0 $JVPP_MAC0
      measure "e2e jvpp tap" dppA dpptap0 dppB dpptap1; gen_stop; runtime "jvpp tap"; jvpp_stop; }
    teardown
  fi
done

# Ratios against the anchors measured above.
ratio() { local a b; a=$(rate "$1"); b=$(rate "$2")
  [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" -v t="$3" 'BEGIN{printf "RATIO %s = %.2f (%.3f / %.3f Mpps)\n", t, (b>0?a/b:0), a, b}' | tee -a "$D/results.txt"; }
ratio "e2e jvpp af_packet" "e2e testpmd af_packet io" "jvpp-af_packet/testpmd-af_packet"
ratio "e2e jvpp af_packet" "e2e kernel ip_forward" "jvpp-af_packet/kernel"
ratio "e2e jvpp tap" "e2e testpmd tap io" "jvpp-tap/testpmd-tap"
ratio "e2e jvpp dpdk af_packet" "e2e testpmd af_packet io" "jvpp-dpdk-af_packet/testpmd-af_packet"
ratio "e2e jvpp dpdk af_xdp" "e2e testpmd af_xdp io" "jvpp-dpdk-af_xdp/testpmd-af_xdp"

# One-way latency, jvpp (af_packet) and the kernel, at 10/50/90 % of jvpp's measured rate. The probe
# sends real UDP from A to B's own address (B's stack receives it), so R resolves B by ARP.
if want latency; then
  MAX=$(rate "e2e jvpp af_packet"); MAX=${MAX:-0.1}
  for dut in kernel jvpp; do
    setup
    if [ $dut = kernel ]; then ip netns exec dppR sysctl -qw net.ipv4.ip_forward=1
    else
      ip -n dppR addr flush dev dppr0; ip -n dppR addr flush dev dppr1
      afp_router_cli >"$D/jvpp-lat.cli"
      jvpp_start "$D/jvpp-lat.cli" || continue
      ip -n dppA neigh replace 198.18.1.254 lladdr $JVPP_MAC0 dev dppa0 nud permanent
    fi
    for pct in 10 50 90; do
      PPS=$(awk -v m="$MAX" -v p=$pct 'BEGIN{printf "%d", m*1e6*p/100}')
      ip netns exec dppB taskset -c 0 $PROBE recv 198.18.2.1 47000 $((DUR + 3)) >"$D/lat.txt" &
      RP=$!; sleep 1
      ip netns exec dppA taskset -c 0 $PROBE send 198.18.2.1 47000 "$PPS" "$DUR" >"$D/lat-send.txt"
      wait $RP
      printf "e2e latency %-6s at %3d%% (%s pps): %s %s\n" $dut $pct "$PPS" "$(cat "$D/lat.txt")" "$(cat "$D/lat-send.txt")" \
        | tee -a "$D/results.txt"
    done
    if [ $dut = jvpp ]; then
      for c in "show errors" "show ip neighbors" "show hardware-interfaces"; do
        jvppctl $c >>"$D/jvpp-latency-state.txt"
      done
      jvpp_stop
    fi
    teardown
  done
fi
