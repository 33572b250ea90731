package jvpp.core.buffer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliOutput;

/**
 * {@code show buffers} (the pool, with the named holders of used buffers) and {@code show memory [gc]} (the JVM
 * heap, the memory outside it and the buffer arena).
 *
 * <p>Thread: main.
 */
public final class BufferCommands
{
    private BufferCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        vpp.cli().register("show buffers", "Show buffer pools", "show buffers", in -> out -> showBuffers(vpp, out));
        vpp.cli().register("show memory", "Show the JVM heap and the buffer arena (gc: collect first, jvpp extension)",
            "show memory [gc]", in -> {
                final boolean gc = in.accept("gc");
                return out -> showMemory(vpp, out, gc);
            });
    }

    /**
     * The heap as the JVM sees it, after a full collection with {@code gc} (what a soak compares over time: the
     * live heap, not what garbage happens to be waiting), the memory outside it and the buffer arena.
     */
    private static void showMemory(final Jvpp vpp, final CliOutput out, final boolean gc)
    {
        final MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        if (gc)
        {
            m.gc();
        }
        final MemoryUsage heap = m.getHeapMemoryUsage();
        final MemoryUsage nonHeap = m.getNonHeapMemoryUsage();
        out.printf("heap%s: used %d, committed %d, max %d bytes%n", gc ? " after gc" : "", heap.getUsed(),
            heap.getCommitted(), heap.getMax());
        out.printf("non-heap: used %d, committed %d bytes%n", nonHeap.getUsed(), nonHeap.getCommitted());
        out.printf("buffer arena: %d bytes mapped (%s)%n", vpp.pool().arena().mappedLength(),
            vpp.pool().arena().hugepages() ? "hugepages" : "ordinary pages");
    }

    private static void showBuffers(final Jvpp vpp, final CliOutput out)
    {
        final BufferPool p = vpp.pool();
        out.printf("%-20s%6s%5s%7s%11s%8s%8s%8s%8s%n", "Pool Name", "Index", "NUMA", "Size", "Data Size", "Total",
            "Avail", "Cached", "Used");
        final int free = p.free();
        final int cached = p.cached();
        out.printf("%-20s%6d%5d%7d%11d%8d%8d%8d%8d%n", p.name(), p.index(), p.numaNode(), p.arena().stride(),
            p.arena().dataSize(), p.total(), free, cached, p.total() - free - cached);
        for (final BufferPool.Holder h : p.holders())
        {
            out.printf("  of the used, held by %s: %d%n", h.name(), h.count().getAsLong());
        }
    }
}
