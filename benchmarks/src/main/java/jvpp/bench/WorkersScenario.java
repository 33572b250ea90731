package jvpp.bench;

import java.lang.management.ManagementFactory;

import jvpp.core.Jvpp;
import jvpp.core.log.Log;

/**
 * {@code ip4-forward-workers}: the ip4-forward path (pg → ethernet-input → ip4-input → ip4-lookup → ip4-rewrite →
 * interface-output → null0) on 1 and on 2 worker threads, one packet-generator stream per worker, main idle.
 * Each count runs in its own JVM; the scenario prints both and the scaling ratio.
 */
final class WorkersScenario
{
    private WorkersScenario()
    {
    }

    static Measure measure1(final BenchOptions o) throws InterruptedException
    {
        return measure(o, 1);
    }

    static Measure measure2(final BenchOptions o) throws InterruptedException
    {
        return measure(o, 2);
    }

    private static Measure measure(final BenchOptions o, final int workers) throws InterruptedException
    {
        Log.console(false);
        final int cpus = Runtime.getRuntime().availableProcessors();
        final int[] cores = new int[workers];
        for (int w = 0; w < workers; w++)
        {
            // One worker: core 1 (main stays on 0). Two: cores 0 and 1, main idle.
            cores[w] = workers == 1 ? 1 % cpus : w % cpus;
        }
        try (Jvpp vpp = Jvpp.create(new Jvpp.Context().buffers(32768).workers(cores)))
        {
            vpp.enterMainThread();
            BenchCli.exec(vpp, BenchCli.LOOP_ROUTED_TO_NULL);
            BenchCli.exec(vpp, "ip route add 203.0.113.0/24 via 198.19.0.2");
            for (int w = 0; w < workers; w++)
            {
                BenchCli.exec(vpp, "packet-generator new { name s" + w + " limit 0 size 64-64 interface loop0 worker " + w
                    + " node ethernet-input data { IP4: 1.2.3 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> 203.0.113.1 - "
                    + "203.0.113.254 UDP: 1234 -> 2345 incrementing 22 } }");
            }
            vpp.startWorkers();
            BenchCli.exec(vpp, "packet-generator enable-stream");
            final long warmNanos = Math.max(2_000_000_000L, o.warmup * 20);
            Thread.sleep(warmNanos / 1_000_000);
            final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long[] ids = vpp.workerThreads().stream().mapToLong(Thread::getId).toArray();
            final long[] b0 = mx.getThreadAllocatedBytes(ids);
            final long p0 = generated(vpp);
            final long t0 = System.nanoTime();
            Thread.sleep(5_000);
            final long t1 = System.nanoTime();
            final long packets = generated(vpp) - p0;
            final long[] b1 = mx.getThreadAllocatedBytes(ids);
            long bytes = 0;
            for (int i = 0; i < ids.length; i++)
            {
                bytes += b1[i] - b0[i];
            }
            System.out.printf("INFO %d worker(s) on cores %s, %d packets in %.2f s%n", workers,
                java.util.Arrays.toString(cores), packets, (t1 - t0) / 1e9);
            return Measure.of(packets, t1 - t0, bytes);
        }
    }

    /** Packets the generator made on every thread. */
    static long generated(final Jvpp vpp)
    {
        long sum = 0;
        for (final var d : vpp.dispatchers())
        {
            sum += d.node("pg-input").vectors();
        }
        return sum;
    }
}
