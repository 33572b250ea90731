package jvpp.bench;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.graph.Dispatcher;
import jvpp.core.log.Log;
import jvpp.core.thread.CpuTopology;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code pg-null}: the packet generator's 64-byte IPv4/UDP frames through interface-output into a null
 * interface, on one thread. Its anchor, measured in the same run, is a bare loop doing the unavoidable part
 * of the same work with no graph at all: allocate a frame of buffers, copy the 64-byte template into each,
 * free them. The ratio says what the graph costs on top.
 */
final class PgNullScenario
{
    static final String STREAM = "packet-generator new { name s0 limit 0 size 64-64 tx-interface null0 "
        + "node interface-output data { IP4: 00:01:02:03:04:05 -> 00:02:03:04:05:06 "
        + "UDP: 198.18.0.1 - 198.18.0.254 -> 198.19.0.1 UDP: 1234 -> 2345 incrementing 22 } }";

    private PgNullScenario()
    {
    }

    /** pg-input → interface-output → null0-tx. Runs in its own JVM (see {@link BenchMain}). */
    static Measure measure(final BenchOptions o)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create())
        {
            BenchCli.exec(vpp, "create null interface");
            BenchCli.exec(vpp, "set interface state null0 up");
            BenchCli.exec(vpp, STREAM);
            BenchCli.exec(vpp, "packet-generator enable-stream s0");
            final Dispatcher d = vpp.mainDispatcher();
            final Measure graph = Measure.pgOnMain(vpp, o);
            System.out.printf("INFO buffers in %s, cpu %.2f GHz (TSC), %d frames allocated by the dispatcher%n",
                vpp.arena().hugepages() ? "2M hugepages" : "ordinary pages", CpuTopology.cpuGhz(), d.framesAllocated());
            return graph;
        }
    }

    /** The anchor: allocate a frame of buffers, copy the 64-byte template into each, free them; no graph. */
    static Measure bare(final BenchOptions o)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create())
        {
            return bareLoop(vpp, o);
        }
    }

    private static Measure bareLoop(final Jvpp vpp, final BenchOptions o)
    {
        final BufferCache cache = vpp.pool().newCache("anchor");
        final UnsafeBuffer mem = vpp.pool().memory();
        final UnsafeBuffer template = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(64));
        final int[] start = vpp.pool().start;
        final int[] length = vpp.pool().length;
        final int[] bufs = new int[256];
        final long[] count = {0};
        final Measure m = Measure.run(() -> {
            final int n = cache.alloc(bufs, 0, 256);
            for (int i = 0; i < n; i++)
            {
                final int bi = bufs[i];
                mem.putBytes(start[bi], template, 0, 64);
                length[bi] = 64;
            }
            cache.free(bufs, 0, n);
            count[0] += n;
            return n;
        }, () -> count[0], o.warmup, o.packets);
        cache.close();
        return m;
    }
}
