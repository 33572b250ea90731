package jvpp.pmd;

import jvpp.core.buffer.BufferCache;

/**
 * The device behind {@code create loopback interface}: no queues; what is sent to a loopback comes back
 * in on it (see {@link LoopbackTxNode}). A loopback's usual job is to carry addresses, or to be a bridge
 * domain's BVI.
 *
 * <p>Thread: main.
 */
public final class LoopbackPort implements Port
{
    private final long mac;

    public LoopbackPort(final long mac)
    {
        this.mac = mac;
    }

    @Override
    public String driverName()
    {
        return "loopback";
    }

    @Override
    public int rxQueues()
    {
        return 0;
    }

    @Override
    public int txQueues()
    {
        return 0;
    }

    @Override
    public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        return 0;
    }

    @Override
    public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        return 0;
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
    public void close()
    {
    }
}
