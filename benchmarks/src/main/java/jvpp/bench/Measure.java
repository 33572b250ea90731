package jvpp.bench;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/** Times a loop by packets and counts what the measuring thread allocated meanwhile. */
final class Measure
{
    final long packets;
    final long nanos;
    final long allocatedBytes;

    private Measure(final long packets, final long nanos, final long allocatedBytes)
    {
        this.packets = packets;
        this.nanos = nanos;
        this.allocatedBytes = allocatedBytes;
    }

    /** A measurement taken elsewhere (several threads). */
    static Measure of(final long packets, final long nanos, final long allocatedBytes)
    {
        return new Measure(packets, nanos, allocatedBytes);
    }

    /** Something that moves packets; returns how many it moved in one step. */
    @FunctionalInterface
    interface Step
    {
        int run();
    }

    static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean())
            .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Time {@code vpp}'s main dispatcher by the packets pg-input generates ({@link #run}); with {@code --runtime},
     * run a quarter as many again after {@code clear runtime} and print {@code show runtime}.
     */
    static Measure pgOnMain(final jvpp.core.Jvpp vpp, final BenchOptions o)
    {
        final jvpp.core.graph.Dispatcher d = vpp.mainDispatcher();
        final jvpp.core.graph.Node pg = d.node("pg-input");
        final Measure m = run(d::doWork, pg::vectors, o.warmup, o.packets);
        if (o.runtime)
        {
            BenchCli.exec(vpp, "clear runtime");
            run(d::doWork, pg::vectors, 0, o.packets / 4);
            System.out.print(vpp.execute("show runtime").output());
        }
        return m;
    }

    /**
     * Run {@code step} until {@code warmup} packets, then until {@code packets} more as counted by
     * {@code counter}, timing the second part.
     */
    static Measure run(final Step step, final LongSupplier counter, final long warmup, final long packets)
    {
        final long warm = counter.getAsLong() + warmup;
        while (counter.getAsLong() < warm)
        {
            step.run();
        }
        final long start = counter.getAsLong();
        final long target = start + packets;
        final long bytes0 = allocatedBytes();
        final long t0 = System.nanoTime();
        while (counter.getAsLong() < target)
        {
            step.run();
        }
        final long t1 = System.nanoTime();
        final long bytes1 = allocatedBytes();
        final long probe = allocatedBytes() - bytes1;
        return new Measure(counter.getAsLong() - start, t1 - t0, Math.max(0, bytes1 - bytes0 - probe));
    }

    double mpps()
    {
        return packets * 1e3 / nanos;
    }

    double nsPerPacket()
    {
        return (double)nanos / packets;
    }

    double allocPerPacket()
    {
        return (double)allocatedBytes / packets;
    }

    String result(final String scenario)
    {
        return String.format("RESULT %s mpps=%.2f ns_per_pkt=%.2f alloc_bytes_per_pkt=%.4f", scenario, mpps(),
            nsPerPacket(), allocPerPacket()).replace(",", ".");
    }
}
