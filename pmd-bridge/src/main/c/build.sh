#!/bin/sh
# Builds libjvppdpdk.so, the DPDK shim, into $1 (e.g. target/classes/linux-x86-64) when libdpdk is installed.
# Without DPDK it says so and succeeds: everything but the DPDK ports works without it.
set -e
out="${1:?usage: build.sh <output dir>}"
src="$(dirname "$0")/jvpp_dpdk.c"
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libdpdk; then
    echo "DPDK not found (apt-get install dpdk libdpdk-dev): skipping the DPDK shim"
    exit 0
fi
if ! command -v "${CC:-cc}" >/dev/null 2>&1; then
    echo "no C compiler (apt-get install gcc): skipping the DPDK shim"
    exit 0
fi
mkdir -p "$out"
lib="$out/libjvppdpdk.so"
if [ -f "$lib" ] && [ "$lib" -nt "$src" ] && [ "$lib" -nt "$0" ]; then
    exit 0
fi
# --no-as-needed: the shim must pull in ethdev/mbuf/mempool even though only some symbols are used directly.
${CC:-cc} -O2 -g -fPIC -shared -Wall -Wextra -Wno-unused-parameter -o "$lib" "$src" \
    $(pkg-config --cflags libdpdk) -Wl,--no-as-needed $(pkg-config --libs libdpdk | sed 's/-Wl,--as-needed//')
echo "built $lib against DPDK $(pkg-config --modversion libdpdk)"
