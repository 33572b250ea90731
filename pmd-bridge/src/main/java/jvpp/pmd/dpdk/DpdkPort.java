package jvpp.pmd.dpdk;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.pmd.Port;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One DPDK ethernet port (a vdev such as {@code net_ring0}, or a PCI device), created by {@link DpdkPorts}.
 *
 * <p>Each burst is one native call on preallocated per-queue native arrays of buffer indices:
 * <ul>
 * <li>rx: the queue keeps a stash of up to {@link #BURST} jvpp buffers set aside for DPDK. In zero-copy mode
 * the shim puts one stash buffer into the mempool for every mbuf received, so the mempool never shrinks, and
 * the received mbufs are jvpp buffers already: their data is processed in place. In copy mode the packets are
 * copied into the stash buffers and the mbufs freed in bulk.</li>
 * <li>tx: the buffers become mbufs in place (zero-copy) and the shim takes as many free mbufs back out of the
 * mempool, which the caller's cache gets; what the mempool could not give back at once is this queue's debt,
 * settled on later bursts. In copy mode the data is copied into fresh mbufs and the buffers freed at once.</li>
 * </ul>
 * What {@code txBurst} does not take stays with the caller (the tx node drops it as {@code tx ring full}).
 *
 * <p>Thread: rx queue q and tx queue q on the one thread that owns each (DPDK queues are not thread-safe:
 * give a port at least as many tx queues as threads transmit on it); everything else on main.
 */
public final class DpdkPort implements Port
{
    /** Packets per native burst at most (a jvpp frame). */
    public static final int BURST = 256;
    private static final int RX_OUT_BYTES = BURST * 8;
    private static final int TX_DESC_BYTES = BURST * 12;
    private static final int TX_BACK_BYTES = 512 * 4;
    private static final long LINK_REFRESH_NS = 100_000_000L;

    private final DpdkPorts owner;
    private final String devargs;
    private final int portId;
    private final int rxq;
    private final int txq;
    private final int rxDesc;
    private final int txDesc;
    private final int reserve;
    private final boolean zeroCopy;
    private final long mac;
    private final String driver;
    private final int maxMtu;
    private final BufferPool pool;
    private final int stride;

    private final Memory memory;
    private final long[] stashAddr;
    private final UnsafeBuffer[] stash;
    private final int[] stashCount;
    private final long[] rxOutAddr;
    private final UnsafeBuffer[] rxOut;
    private final long[] txDescAddr;
    private final UnsafeBuffer[] txDescs;
    private final long[] txBackAddr;
    private final UnsafeBuffer[] txBack;
    private final int[] txDebt;
    private final int[][] scratch;
    private final long[] rxPackets;
    private final long[] txPackets;
    private final long[] txRefused;
    private final long linkStatsAddr;
    private final long[] rxCtxAddr;
    private final UnsafeBuffer[] rxCtx;
    private final long[] txCtxAddr;
    private final UnsafeBuffer[] txCtx;

    private volatile boolean linkUp;
    private volatile boolean kernelGone;
    private long linkCheckedAt;
    private volatile boolean closed;

    DpdkPort(final DpdkPorts owner, final String devargs, final int portId, final int rxq, final int txq,
        final int rxDesc, final int txDesc, final int reserve, final boolean zeroCopy, final BufferPool pool)
    {
        this.owner = owner;
        this.devargs = devargs;
        this.portId = portId;
        this.rxq = rxq;
        this.txq = txq;
        this.rxDesc = rxDesc;
        this.txDesc = txDesc;
        this.reserve = reserve;
        this.zeroCopy = zeroCopy;
        this.pool = pool;
        this.stride = pool.arena().stride();
        final int perRx = BURST * 4 + RX_OUT_BYTES;
        final int perTx = TX_DESC_BYTES + TX_BACK_BYTES;
        memory = new Memory((long)(perRx + 32) * Math.max(rxq, 1) + (long)(perTx + 32) * Math.max(txq, 1) + 64);
        memory.clear();
        final long base = com.sun.jna.Pointer.nativeValue(memory);
        long at = base;
        stashAddr = new long[rxq];
        stash = new UnsafeBuffer[rxq];
        stashCount = new int[rxq];
        rxOutAddr = new long[rxq];
        rxOut = new UnsafeBuffer[rxq];
        scratch = new int[Math.max(rxq, 1)][BURST];
        rxPackets = new long[rxq];
        for (int q = 0; q < rxq; q++)
        {
            stashAddr[q] = at;
            stash[q] = new UnsafeBuffer(at, BURST * 4);
            at += BURST * 4;
            rxOutAddr[q] = at;
            rxOut[q] = new UnsafeBuffer(at, RX_OUT_BYTES);
            at += RX_OUT_BYTES;
        }
        txDescAddr = new long[txq];
        txDescs = new UnsafeBuffer[txq];
        txBackAddr = new long[txq];
        txBack = new UnsafeBuffer[txq];
        txDebt = new int[txq];
        txPackets = new long[txq];
        txRefused = new long[txq];
        for (int q = 0; q < txq; q++)
        {
            txDescAddr[q] = at;
            txDescs[q] = new UnsafeBuffer(at, TX_DESC_BYTES);
            at += TX_DESC_BYTES;
            txBackAddr[q] = at;
            txBack[q] = new UnsafeBuffer(at, TX_BACK_BYTES);
            at += TX_BACK_BYTES;
        }
        rxCtxAddr = new long[rxq];
        rxCtx = new UnsafeBuffer[rxq];
        for (int q = 0; q < rxq; q++)
        {
            rxCtxAddr[q] = at;
            rxCtx[q] = new UnsafeBuffer(at, 32);
            rxCtx[q].putLong(8, stashAddr[q]);
            rxCtx[q].putLong(24, rxOutAddr[q]);
            at += 32;
        }
        txCtxAddr = new long[txq];
        txCtx = new UnsafeBuffer[txq];
        for (int q = 0; q < txq; q++)
        {
            txCtxAddr[q] = at;
            txCtx[q] = new UnsafeBuffer(at, 32);
            txCtx[q].putLong(8, txDescAddr[q]);
            txCtx[q].putLong(24, txBackAddr[q]);
            at += 32;
        }
        linkStatsAddr = at;
        this.mac = DpdkLib.jvpp_port_mac(portId);
        this.driver = driverName(memory, linkStatsAddr - base, portId);
        // rx takes single-segment mbufs (no scatter): a frame must fit one buffer, its Ethernet header included.
        final int device = DpdkLib.jvpp_port_max_mtu(portId);
        this.maxMtu = Math.min(device > 0 ? device : 1500, pool.arena().dataSize() - 14);
        this.linkUp = DpdkLib.jvpp_port_link(portId, 0) == 1;
        this.linkCheckedAt = System.nanoTime();
    }

    /** The DPDK port id. */
    public int portId()
    {
        return portId;
    }

    /** The device arguments it was created from (e.g. {@code net_ring0}). */
    public String devargs()
    {
        return devargs;
    }

    /** The DPDK driver's name (e.g. {@code net_ring}). */
    public String dpdkDriver()
    {
        return driver;
    }

    public boolean zeroCopy()
    {
        return zeroCopy;
    }

    /** Buffers this port gave the mempool for its rings (zero-copy; returned on close). */
    int reserve()
    {
        return reserve;
    }

    /** jvpp buffers this port holds for DPDK beyond its reserve: the rx stashes and the tx debts. Racy read. */
    public int heldBuffers()
    {
        int n = 0;
        for (int q = 0; q < rxq; q++)
        {
            n += stashCount[q];
        }
        for (int q = 0; q < txq; q++)
        {
            n += txDebt[q];
        }
        return n;
    }

    @Override
    public String driverName()
    {
        return "dpdk";
    }

    @Override
    public int rxQueues()
    {
        return rxq;
    }

    @Override
    public int txQueues()
    {
        return txq;
    }

    @Override
    public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        // A closed port's DPDK id is gone (or another device's by now): never call into it again.
        return closed ? 0 : receive(queue, cache, bufs, offset, max);
    }

    private int receive(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        final UnsafeBuffer st = stash[queue];
        int have = stashCount[queue];
        if (have < BURST)
        {
            final int[] tmp = scratch[queue];
            final int got = cache.alloc(tmp, 0, BURST - have);
            for (int i = 0; i < got; i++)
            {
                st.putInt((have + i) << 2, tmp[i]);
            }
            have += got;
            stashCount[queue] = have;
        }
        final int want = Math.min(Math.min(max, BURST), have);
        if (want == 0)
        {
            return 0;
        }
        final UnsafeBuffer ctx = rxCtx[queue];
        ctx.putLong(0, portId | (long)queue << 16 | (long)want << 32);
        ctx.putLong(16, have);
        final int n = DpdkLib.jvpp_rx_ctx(rxCtxAddr[queue]);
        if (n <= 0)
        {
            return 0;
        }
        stashCount[queue] = have - n;
        final UnsafeBuffer out = rxOut[queue];
        final BufferPool p = pool;
        final int[] start = p.start;
        final int[] length = p.length;
        final int s = stride;
        for (int i = 0; i < n; i++)
        {
            final int bi = out.getInt(i << 3);
            final int w = out.getInt((i << 3) + 4);
            p.reset(bi);
            start[bi] = bi * s + BufferArena.PRE_DATA_SIZE + (w >>> 16);
            length[bi] = w & 0xffff;
            bufs[offset + i] = bi;
        }
        rxPackets[queue] += n;
        return n;
    }

    @Override
    public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        if (closed)
        {
            return 0;
        }
        final int count = Math.min(n, BURST);
        final UnsafeBuffer desc = txDescs[queue];
        final int[] start = pool.start;
        final int[] length = pool.length;
        for (int i = 0; i < count; i++)
        {
            final int bi = bufs[offset + i];
            final int at = i * 12;
            desc.putInt(at, bi);
            desc.putInt(at + 4, start[bi]);
            desc.putInt(at + 8, length[bi]);
        }
        final int debt = txDebt[queue];
        final UnsafeBuffer ctx = txCtx[queue];
        ctx.putLong(0, portId | (long)queue << 16 | (long)count << 32);
        ctx.putLong(16, debt);
        final int r = DpdkLib.jvpp_tx_ctx(txCtxAddr[queue]);
        final int sent = r & 0xffff;
        final int back = r >>> 16;
        final UnsafeBuffer returned = txBack[queue];
        for (int i = 0; i < back; i++)
        {
            cache.free(returned.getInt(i << 2));
        }
        if (zeroCopy)
        {
            txDebt[queue] = debt + sent - back;
        }
        txPackets[queue] += sent;
        txRefused[queue] += n - sent;
        return sent;
    }

    /**
     * net_tap asks the kernel for its link by interface name in jvpp's own namespace: once the kernel end is
     * moved into a container's namespace (how it is used) it reads as down forever though frames flow. jvpp
     * treats a net_tap's link as up; {@code show hardware-interfaces} says so.
     */
    private boolean linkUntrusted()
    {
        return "net_tap".equals(driver);
    }

    /** Its kernel interface (net_af_packet's iface=) was removed: the link reads down until it is probed again. */
    void kernelGone(final boolean gone)
    {
        kernelGone = gone;
    }

    int rxDesc()
    {
        return rxDesc;
    }

    int txDesc()
    {
        return txDesc;
    }

    @Override
    public boolean linkUp()
    {
        if (kernelGone)
        {
            return false;
        }
        if (linkUntrusted())
        {
            return true;
        }
        final long now = System.nanoTime();
        if (now - linkCheckedAt > LINK_REFRESH_NS)
        {
            linkCheckedAt = now;
            linkUp = DpdkLib.jvpp_port_link(portId, 0) == 1;
        }
        return linkUp;
    }

    /** The device's max MTU (max_rx_pktlen less Ethernet header and CRC) and what one buffer receives, whichever is less. */
    @Override
    public int maxMtu()
    {
        return maxMtu;
    }

    @Override
    public long mac()
    {
        return mac;
    }

    /** The device's counters: ipackets, opackets, ibytes, obytes, imissed, ierrors, oerrors, rx_nombuf. Thread: main. */
    public long[] stats()
    {
        final long[] out = new long[8];
        try (Memory m = new Memory(64))
        {
            if (DpdkLib.jvpp_port_stats(portId, com.sun.jna.Pointer.nativeValue(m)) == 0)
            {
                for (int i = 0; i < 8; i++)
                {
                    out[i] = m.getLong(8L * i);
                }
            }
        }
        return out;
    }

    /** The driver's extended statistics, by name. Thread: main. */
    public java.util.Map<String, Long> xstats()
    {
        final java.util.Map<String, Long> map = new java.util.LinkedHashMap<>();
        final int n = DpdkLib.jvpp_port_xstats_count(portId);
        if (n <= 0)
        {
            return map;
        }
        try (Memory names = new Memory(64L * n); Memory values = new Memory(8L * n))
        {
            final int got = DpdkLib.jvpp_port_xstats(portId, com.sun.jna.Pointer.nativeValue(names),
                com.sun.jna.Pointer.nativeValue(values), n);
            for (int i = 0; i < got; i++)
            {
                map.put(names.getString(64L * i), values.getLong(8L * i));
            }
        }
        return map;
    }

    @Override
    public void describe(final StringBuilder out, final boolean verbose)
    {
        final long[] s = stats();
        if (linkUntrusted())
        {
            out.append("  link: net_tap cannot see its kernel end in another namespace; taken as up\n");
        }
        out.append("  DPDK port ").append(portId).append(" (").append(driver).append(", ").append(devargs).append("), ")
            .append(rxq).append(" rx / ").append(txq).append(" tx queues, ").append(rxDesc).append('/').append(txDesc)
            .append(" descriptors, ").append(zeroCopy ? "zero-copy" : "copying").append('\n');
        out.append("  rx packets ").append(s[0]).append(" bytes ").append(s[2]).append(" missed ").append(s[4])
            .append(" errors ").append(s[5]).append(" nombuf ").append(s[7]).append('\n');
        out.append("  tx packets ").append(s[1]).append(" bytes ").append(s[3]).append(" errors ").append(s[6]);
        long refused = 0;
        for (final long r : txRefused)
        {
            refused += r;
        }
        out.append(" refused ").append(refused).append('\n');
        out.append("  buffers held for DPDK: reserve ").append(reserve).append(", stash+debt ").append(heldBuffers())
            .append('\n');
        if (verbose)
        {
            for (final java.util.Map.Entry<String, Long> e : xstats().entrySet())
            {
                if (e.getValue() != 0)
                {
                    out.append("    ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
                }
            }
        }
    }

    @Override
    public void adminStateChanged(final boolean up)
    {
        // The device runs from creation: the input node does not poll an admin-down interface, and stopping a
        // device would take its rx rings' mbufs with it.
    }

    /**
     * Drain the rx queues into {@code cache}, return the stashes, settle the tx debts, stop and close the device
     * and give its reserve back. Thread: main, once no thread polls the port.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        owner.portClosed(this, stashCount, stash, txDebt);
    }

    /** What is left in the rx rings, while the port is being closed (its DPDK port still open). */
    int rxDrain(final int queue, final BufferCache cache, final int[] bufs)
    {
        return receive(queue, cache, bufs, 0, BURST);
    }

    Memory nativeMemory()
    {
        return memory;
    }

    /** The driver's name, which the shim writes NUL-terminated into {@code memory} at {@code offset} (64 bytes). */
    private static String driverName(final Memory memory, final long offset, final int portId)
    {
        if (DpdkLib.jvpp_port_driver(portId, Pointer.nativeValue(memory) + offset, 64) != 0)
        {
            return "?";
        }
        return memory.getString(offset);
    }
}
