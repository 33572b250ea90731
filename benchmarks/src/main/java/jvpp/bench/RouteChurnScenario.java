package jvpp.bench;

import java.util.Locale;

import jvpp.core.Jvpp;
import jvpp.core.log.Log;

/**
 * {@code route-churn-workers}: how many route changes a second main makes while two workers forward
 * packet-generator traffic on the ip4 path (each change waits for both workers at the barrier). Routes go in
 * and out 256 at a time ({@code ip route add|del count 256}, one barrier hold each, as bulk programming does);
 * the prefix the traffic uses stays. Anchor, in the same run: the same churn on an instance without workers,
 * where the barrier waits for nobody. All in one JVM (a warm-up churn first, so both are measured with the
 * route code compiled); main thread only.
 */
final class RouteChurnScenario
{
    private static final long WARMUP_NANOS = 1_000_000_000L;
    private static final long MEASURE_NANOS = 3_000_000_000L;
    private static final int BATCH = 256;

    private RouteChurnScenario()
    {
    }

    static void run(final BenchOptions o)
    {
        Log.console(false);
        try (Jvpp warm = boot(false))
        {
            churn(warm, WARMUP_NANOS);
        }
        final double anchor;
        try (Jvpp alone = boot(false))
        {
            anchor = churn(alone, MEASURE_NANOS);
        }
        final double measured;
        final long holds;
        final double forwardedMpps;
        try (Jvpp vpp = boot(true))
        {
            BenchCli.exec(vpp, "packet-generator enable-stream");
            final long p0 = WorkersScenario.generated(vpp);
            final long t0 = System.nanoTime();
            measured = churn(vpp, MEASURE_NANOS);
            forwardedMpps = (WorkersScenario.generated(vpp) - p0) * 1e3 / (System.nanoTime() - t0);
            holds = vpp.barrier().holds();
            BenchCli.exec(vpp, "packet-generator disable-stream");
        }
        System.out.println(String.format(Locale.ROOT,
            "RESULT route-churn-workers changes_per_s=%.0f barrier_holds=%d forwarded_mpps=%.2f", measured, holds,
            forwardedMpps));
        System.out.println(String.format(Locale.ROOT,
            "RESULT route-churn-anchor changes_per_s=%.0f (the same churn without workers: the barrier waits for nobody)",
            anchor));
        System.out.println(String.format(Locale.ROOT, "RATIO route-churn-workers/route-churn-anchor changes_per_s=%.2f",
            measured / anchor));
        // Each hold waits for both workers to reach the top of their loop: with more busy threads than cores that
        // is a scheduler tick, so the figure says as much about the machine's load as about jvpp.
        System.out.println("INFO load average " + loadAverage() + " on " + Runtime.getRuntime().availableProcessors()
            + " cpus");
    }

    private static String loadAverage()
    {
        try
        {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        }
        catch (final java.io.IOException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
    }

    /** loop0 routed to null0 and, with workers, one endless 64-byte stream per worker towards 203.0.113.0/24. */
    private static Jvpp boot(final boolean workers)
    {
        final Jvpp.Context config = new Jvpp.Context().hugepages(false);
        if (workers)
        {
            config.workers(new int[] {-1, -1}).workerIdle("yield");
        }
        final Jvpp vpp = Jvpp.create(config);
        vpp.enterMainThread();
        BenchCli.exec(vpp, BenchCli.LOOP_ROUTED_TO_NULL);
        BenchCli.exec(vpp, "ip route add 203.0.113.0/24 via 198.19.0.2");
        if (workers)
        {
            for (int w = 0; w < 2; w++)
            {
                BenchCli.exec(vpp, "packet-generator new { name s" + w + " limit 0 rate 2m size 64-64 interface loop0 "
                    + "worker " + w + " node ethernet-input data { IP4: 1.2.3 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> "
                    + "203.0.113.1 - 203.0.113.99 UDP: 1234 -> 2345 incrementing 22 } }");
            }
            vpp.startWorkers();
        }
        return vpp;
    }

    /** Add and delete {@link #BATCH} routes at a time for {@code nanos}; returns route changes per second. */
    private static double churn(final Jvpp vpp, final long nanos)
    {
        final long t0 = System.nanoTime();
        final long end = t0 + nanos;
        long changes = 0;
        while (System.nanoTime() < end)
        {
            final long b = (changes / (2 * BATCH)) & 127;
            BenchCli.exec(vpp, "ip route add count " + BATCH + " 10." + b + ".0.0/24 via 198.19.0.2 null0",
                "ip route del count " + BATCH + " 10." + b + ".0.0/24");
            changes += 2 * BATCH;
        }
        return changes * 1e9 / (System.nanoTime() - t0);
    }
}
