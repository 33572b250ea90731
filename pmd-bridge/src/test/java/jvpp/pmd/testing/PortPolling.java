package jvpp.pmd.testing;

import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.pmd.Port;

/** Receiving from a real port in a test, without a graph. */
public final class PortPolling
{
    private PortPolling()
    {
    }

    /**
     * Poll every rx queue of {@code port} until a frame with EtherType {@code type} arrives or {@code timeoutMs}
     * passes; frees everything received; returns that frame's length (a chain's total), or -1.
     */
    public static int receiveEtherType(final Port port, final BufferPool pool, final BufferCache cache,
        final int[] bufs, final int type, final long timeoutMs)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        int found = -1;
        while (found < 0 && System.currentTimeMillis() < deadline)
        {
            for (int q = 0; q < port.rxQueues(); q++)
            {
                final int n = port.rxBurst(q, cache, bufs, 0, bufs.length);
                for (int i = 0; i < n; i++)
                {
                    final int bi = bufs[i];
                    final int t = Short.toUnsignedInt(Short.reverseBytes(pool.memory().getShort(pool.start[bi] + 12)));
                    if (t == type && found < 0)
                    {
                        found = pool.totalLength(bi);
                    }
                }
                cache.free(bufs, 0, n);
            }
            Thread.onSpinWait();
        }
        return found;
    }
}
