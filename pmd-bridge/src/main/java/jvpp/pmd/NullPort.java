package jvpp.pmd;

import jvpp.core.buffer.BufferCache;

/**
 * A port that receives nothing and discards what it transmits: the sink for benchmarks and the
 * default packet-generator config. Frees every buffer it is given, so {@code show buffers} adds up.
 *
 * <p>Thread: bursts on the owning thread; counters read racily by main.
 */
public final class NullPort implements Port
{
    private final long mac;
    // One counter per tx queue, a cache line (8 longs) apart: workers sending at once never share a line.
    private final long[] txPackets = new long[64 * 8];

    public NullPort(final long mac)
    {
        this.mac = mac;
    }

    @Override
    public String driverName()
    {
        return "null";
    }

    @Override
    public int rxQueues()
    {
        return 0;
    }

    /** No ring behind it: any number of threads may send at once (their caches take the buffers back). */
    @Override
    public int txQueues()
    {
        return 64;
    }

    @Override
    public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        return 0;
    }

    @Override
    public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        cache.free(bufs, offset, n);
        txPackets[(queue & 63) * 8] += n;
        return n;
    }

    /**
     * Nothing reaches a wire: a packet is freed whole (null) or comes back in whole (loopback, a BVI), chain, GSO
     * super-frame and partial checksum alike.
     */
    @Override
    public int txOffloads()
    {
        return jvpp.core.iface.Interface.TX_CHAINS | jvpp.core.iface.Interface.TX_CSUM | jvpp.core.iface.Interface.TX_GSO;
    }

    /** Any size: a packet is freed whole (null) or comes back in whole (loopback, a BVI), in a chain if need be. */
    @Override
    public int maxMtu()
    {
        return jvpp.core.iface.Interface.MAX_MTU;
    }

    @Override
    public boolean linkUp()
    {
        return true;
    }

    @Override
    public long mac()
    {
        return mac;
    }

    @Override
    public void describe(final StringBuilder out, final boolean verbose)
    {
        long sum = 0;
        for (int q = 0; q < 64; q++)
        {
            sum += txPackets[q * 8];
        }
        out.append("  discarded ").append(sum).append(" packets\n");
    }

    @Override
    public void close()
    {
    }
}
