package jvpp.pmd.dpdk;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.log.Log;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * DPDK's mbuf pool over jvpp's buffer arena, and the buffers that move between jvpp's pool and it. In zero-copy
 * mode every arena slot is an mbuf; the mempool starts empty and each port's reserve ({@link #reserveFor}) is
 * given to it when the port opens ({@link #give}) and taken back when it closes ({@link #settle}). What a close
 * cannot get back yet stays {@link #owed()} and is tried again at the next close. In the copying mode (the slot
 * layout cannot match, or zero-copy is off) DPDK has a pool of its own and no jvpp buffer moves.
 *
 * <p>Thread: main.
 */
final class DpdkMempool
{
    private static final int BATCH = 512;

    private final BufferCache cache;
    private final boolean zeroCopy;
    private final String modeReason;
    private final Memory scratch = new Memory(4L * BATCH);
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(Pointer.nativeValue(scratch), (int)scratch.size());
    private final int[] bufs = new int[BATCH];
    // Buffers DPDK still holds for ports already closed (their rings kept some when they stopped).
    private int owed;

    private DpdkMempool(final BufferPool pool, final boolean zeroCopy, final String modeReason)
    {
        this.cache = pool.newCache("dpdk");
        this.zeroCopy = zeroCopy;
        this.modeReason = modeReason;
    }

    /**
     * Create the mbuf pool over {@code arena} (the EAL is up): zero-copy when asked and possible, else the copying
     * pool, saying why.
     *
     * @throws IllegalStateException when not even the copying pool can be created
     */
    static DpdkMempool create(final BufferArena arena, final BufferPool pool, final boolean zeroCopy)
    {
        String reason = zeroCopy ? "zero-copy: mbufs are jvpp buffers" : "copying: zero-copy turned off";
        int ret = DpdkLib.jvpp_pool_create("jvpp_mbufs", arena.address(), arena.count(), arena.stride(),
            arena.dataSize(), zeroCopy ? 1 : 0, DpdkConfiguration.COPY_POOL_SIZE);
        if (ret < 0 && zeroCopy)
        {
            reason = "copying: zero-copy impossible: " + DpdkLib.jvpp_last_error();
            Log.warn("dpdk: %s", reason);
            ret = DpdkLib.jvpp_pool_create("jvpp_mbufs_copy", arena.address(), arena.count(), arena.stride(),
                arena.dataSize(), 0, DpdkConfiguration.COPY_POOL_SIZE);
        }
        if (ret < 0)
        {
            throw new IllegalStateException("dpdk: cannot create the mbuf pool: " + DpdkLib.jvpp_last_error());
        }
        return new DpdkMempool(pool, ret == 1, reason);
    }

    boolean zeroCopy()
    {
        return zeroCopy;
    }

    String modeReason()
    {
        return modeReason;
    }

    /** The jvpp buffers a port with these rings keeps in DPDK: none in the copying mode. */
    int reserveFor(final int rxq, final int txq, final int rxDesc, final int txDesc)
    {
        return zeroCopy ? rxq * rxDesc + txq * txDesc + DpdkPort.BURST : 0;
    }

    /** Buffers that closed ports left in DPDK. */
    int owed()
    {
        return owed;
    }

    /** Free mbufs in the mempool now. */
    int available()
    {
        return DpdkLib.jvpp_pool_avail();
    }

    /** Move {@code n} buffers from jvpp's pool into the mempool; all or none. */
    boolean give(final int n)
    {
        int given = 0;
        while (given < n)
        {
            final int k = cache.alloc(bufs, 0, Math.min(n - given, bufs.length));
            if (k == 0)
            {
                take(given);
                return false;
            }
            for (int i = 0; i < k; i++)
            {
                scratchBuffer.putInt(i << 2, bufs[i]);
            }
            DpdkLib.jvpp_pool_put(Pointer.nativeValue(scratch), k);
            given += k;
        }
        cache.flush();
        return true;
    }

    /** Take up to {@code n} free mbufs back from the mempool into jvpp; returns how many it could not. */
    int take(final int n)
    {
        int left = n;
        while (left > 0)
        {
            final int k = DpdkLib.jvpp_pool_take(Pointer.nativeValue(scratch), Math.min(left, BATCH));
            if (k == 0)
            {
                break;
            }
            for (int i = 0; i < k; i++)
            {
                cache.free(scratchBuffer.getInt(i << 2));
            }
            left -= k;
        }
        cache.flush();
        return left;
    }

    /**
     * A port is closing: what its rx rings still hold (a net_ring holds what was sent into it) and its stashes go
     * back to jvpp. Before its DPDK port is closed.
     */
    void drain(final DpdkPort port, final int[] stashCount, final UnsafeBuffer[] stash)
    {
        for (int q = 0; q < port.rxQueues(); q++)
        {
            for (int round = 0; round < 64; round++)
            {
                final int n = port.rxDrain(q, cache, bufs);
                if (n == 0)
                {
                    break;
                }
                cache.free(bufs, 0, n);
            }
            for (int i = 0; i < stashCount[q]; i++)
            {
                cache.free(stash[q].getInt(i << 2));
            }
            stashCount[q] = 0;
        }
        cache.flush();
    }

    /** A port closed: take back the {@code due} buffers it left in DPDK, and what earlier closes could not. */
    void settle(final int due)
    {
        if (zeroCopy)
        {
            owed += take(due);
            // Buffers an earlier close could not get back may be free by now.
            if (owed > 0)
            {
                owed = take(owed);
            }
        }
        cache.flush();
    }

    /** Return what the cache holds to jvpp's pool. */
    void flush()
    {
        cache.flush();
    }
}
