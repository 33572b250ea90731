package jvpp.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import jvpp.core.thread.CpuTopology;
import jvpp.nodes.ip4.fib.Ip4Fib;
import org.agrona.collections.Int2IntHashMap;

/**
 * {@code fib-load-1m}: load 1 M {@link RouteMix} prefixes into an {@link Ip4Fib} (per-length tables plus the
 * mtrie), timed, and the heap it holds after a full GC. Anchor, in the same run: the same prefixes put into
 * plain per-length {@code Int2IntHashMap}s only (the control-plane tables without the trie). Then 10 M
 * lookups of random covered destinations, one by one and in 256-address batches.
 */
final class FibLoadScenario
{
    private static final int ROUTES = 1_000_000;
    private static final int DESTINATIONS = 1 << 20;
    /** 10 M lookups, rounded up to whole frames. */
    private static final long LOOKUPS = 256L * 39_063;
    private static final int FRAME = 256;
    private static final int NO_ROUTE = 1 << 20;

    private FibLoadScenario()
    {
    }

    static void run(final BenchOptions o)
    {
        if (o.cpu >= 0)
        {
            CpuTopology.pinCurrentThread(o.cpu);
        }
        final long g0 = System.nanoTime();
        final RouteMix mix = RouteMix.generate(ROUTES, RouteMix.DEFAULT_SEED);
        final int[] destinations = mix.destinations(DESTINATIONS);
        System.out.printf(Locale.ROOT, "INFO generated %d prefixes and %d destinations in %.2f s (seed %#x)%n", mix.size(),
            destinations.length, (System.nanoTime() - g0) / 1e9, RouteMix.DEFAULT_SEED);

        final double anchorSeconds = loadTablesOnly(mix);

        final long heap0 = heapUsedAfterGc();
        final long t0 = System.nanoTime();
        final Ip4Fib fib = new Ip4Fib(NO_ROUTE);
        for (int i = 0; i < mix.size(); i++)
        {
            fib.set(mix.prefix(i), mix.length(i), i % 1024);
        }
        final double seconds = (System.nanoTime() - t0) / 1e9;
        final long heap1 = heapUsedAfterGc();
        final double heapMb = (heap1 - heap0) / (1024.0 * 1024.0);

        System.out.println(String.format(Locale.ROOT, "RESULT fib-load-1m seconds=%.3f heap_mb=%.1f plies=%d",
            seconds, heapMb, fib.mtrie().plies()));
        System.out.println(String.format(Locale.ROOT,
            "RESULT fib-load-1m-anchor seconds=%.3f (per-length Int2IntHashMaps only, no mtrie)", anchorSeconds));
        System.out.println(String.format(Locale.ROOT, "RATIO fib-load-1m/fib-load-1m-anchor seconds=%.2f",
            seconds / anchorSeconds));
        System.out.println(String.format(Locale.ROOT, "INFO mtrie arrays %.1f MB (pool capacity %d plies), fib size %d",
            fib.mtrie().memoryBytes() / (1024.0 * 1024.0), fib.mtrie().capacity(), fib.size()));

        final int[] frame = new int[FRAME];
        final int[] out = new int[FRAME];
        lookups(fib, destinations, frame, out, LOOKUPS / 5, false);
        lookups(fib, destinations, frame, out, LOOKUPS / 5, true);
        final long s0 = System.nanoTime();
        final long singleSum = lookups(fib, destinations, frame, out, LOOKUPS, false);
        final long s1 = System.nanoTime();
        final long batchSum = lookups(fib, destinations, frame, out, LOOKUPS, true);
        final long s2 = System.nanoTime();
        if (singleSum != batchSum)
        {
            throw new IllegalStateException("single and batch lookups disagree: " + singleSum + " vs " + batchSum);
        }
        System.out.println(String.format(Locale.ROOT, "RESULT fib-lookup-1m single_ns=%.2f batch_ns=%.2f",
            (double)(s1 - s0) / LOOKUPS, (double)(s2 - s1) / LOOKUPS));
    }

    /**
     * {@code count} lookups of the destinations in order (wrapping), 256 at a time copied into a frame as a
     * node would see them; returns a checksum of the results.
     */
    private static long lookups(
        final Ip4Fib fib, final int[] destinations, final int[] frame, final int[] out, final long count,
        final boolean batch)
    {
        long sum = 0;
        int next = 0;
        for (long done = 0; done < count; done += FRAME)
        {
            System.arraycopy(destinations, next, frame, 0, FRAME);
            next = (next + FRAME) & (destinations.length - 1);
            if (batch)
            {
                fib.lookupBatch(frame, out, FRAME);
            }
            else
            {
                for (int i = 0; i < FRAME; i++)
                {
                    out[i] = fib.lookup(frame[i]);
                }
            }
            for (int i = 0; i < FRAME; i++)
            {
                sum += out[i];
            }
        }
        return sum;
    }

    private static double loadTablesOnly(final RouteMix mix)
    {
        final long t0 = System.nanoTime();
        final Int2IntHashMap[] tables = new Int2IntHashMap[33];
        for (int l = 0; l <= 32; l++)
        {
            tables[l] = new Int2IntHashMap(8, 0.65f, -1);
        }
        for (int i = 0; i < mix.size(); i++)
        {
            tables[mix.length(i)].put(mix.prefix(i), i % 1024);
        }
        final double seconds = (System.nanoTime() - t0) / 1e9;
        if (tables[24].size() == 0)
        {
            throw new IllegalStateException("no /24s");
        }
        return seconds;
    }

    private static long heapUsedAfterGc()
    {
        for (int i = 0; i < 4; i++)
        {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
