package jvpp.core.iface;

import java.util.Arrays;

/**
 * One thread's per-interface counters, a flat {@code long[]} indexed by
 * {@code swIfIndex * STRIDE + counter}. Threads never share a counter array, so counting costs a plain
 * add; {@code show interface} sums the arrays of all threads.
 *
 * <p>Thread: written by its owner thread; resized by main at a barrier; read racily by main.
 */
public final class InterfaceCounters
{
    public static final int RX_PACKETS = 0;
    public static final int RX_BYTES = 1;
    public static final int TX_PACKETS = 2;
    public static final int TX_BYTES = 3;
    public static final int DROPS = 4;
    public static final int PUNT = 5;
    public static final int IP4 = 6;
    public static final int IP6 = 7;
    public static final int RX_NO_BUF = 8;
    public static final int RX_MISS = 9;
    public static final int RX_ERROR = 10;
    public static final int TX_ERROR = 11;
    public static final int STRIDE = 12;

    /** Names as {@code show interface} prints them, by counter. */
    public static final String[] NAMES = {
        "rx packets", "rx bytes", "tx packets", "tx bytes", "drops", "punt", "ip4", "ip6",
        "rx-no-buf", "rx-miss", "rx-error", "tx-error"};

    private long[] counters = new long[0];

    public void ensureCapacity(final int interfaces)
    {
        if (counters.length < interfaces * STRIDE)
        {
            counters = Arrays.copyOf(counters, interfaces * STRIDE);
        }
    }

    public void add(final int swIfIndex, final int counter, final long value)
    {
        counters[swIfIndex * STRIDE + counter] += value;
    }

    /** Add one packet of {@code bytes} bytes to a packets/bytes pair (RX_PACKETS or TX_PACKETS). */
    public void addPacket(final int swIfIndex, final int packetsCounter, final long bytes)
    {
        final int base = swIfIndex * STRIDE + packetsCounter;
        counters[base]++;
        counters[base + 1] += bytes;
    }

    /** Add {@code packets} packets totalling {@code bytes} bytes to a packets/bytes pair. */
    public void addPackets(final int swIfIndex, final int packetsCounter, final long packets, final long bytes)
    {
        final int base = swIfIndex * STRIDE + packetsCounter;
        counters[base] += packets;
        counters[base + 1] += bytes;
    }

    public long get(final int swIfIndex, final int counter)
    {
        final int i = swIfIndex * STRIDE + counter;
        return i < counters.length ? counters[i] : 0;
    }
}
