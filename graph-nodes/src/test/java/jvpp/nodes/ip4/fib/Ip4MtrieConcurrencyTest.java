package jvpp.nodes.ip4.fib;

import static jvpp.core.net.Ip4.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import jvpp.core.net.Ip4;
import org.junit.jupiter.api.Test;

/**
 * One thread (the test's, playing main) adds, re-adds and removes prefixes, which creates, grows, collapses,
 * frees and reuses plies, while a reader thread looks up addresses whose set of valid answers is known. A
 * reader must never see a value that was never valid for its address.
 */
class Ip4MtrieConcurrencyTest
{
    private static final int NONE = 77;
    private static final long RUN_NANOS = 1_000_000_000L;

    private final Ip4Mtrie mtrie = new Ip4Mtrie(NONE);
    private volatile boolean stop;
    private volatile long readerRounds;

    @Test
    void shouldNeverSeeInvalidValueWhenLookingUpWhileMainMutates() throws InterruptedException
    {
        // Stable routes: never touched again.
        mtrie.add(parse("10.1.0.0"), 16, 7);
        mtrie.add(parse("10.2.0.0"), 16, 8);
        mtrie.add(parse("10.2.5.0"), 24, 9);
        mtrie.add(parse("30.0.0.0"), 16, 50);

        final String[] probes = {"10.1.0.0", "10.1.255.255", "10.2.5.1", "10.2.7.1", "10.2.6.1", "10.2.6.200",
            "20.0.0.1", "20.0.0.255", "30.0.1.5", "30.0.1.100", "30.0.1.200", "30.0.2.0", "30.1.0.0", "0.0.0.0",
            "255.255.255.255"};
        final int[][] allowed = {{7}, {7}, {9}, {8}, {8, 300}, {8}, {100, 101}, {100, 101}, {50, 200, 201}, {50, 200},
            {50}, {50}, {NONE, 60}, {NONE}, {NONE}};
        final int[] addresses = new int[256];
        final int[][] valid = new int[256][];
        for (int i = 0; i < 256; i++)
        {
            addresses[i] = parse(probes[i % probes.length]);
            valid[i] = allowed[i % probes.length];
        }
        mtrie.add(parse("20.0.0.0"), 24, 100);

        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread reader = new Thread(() -> read(addresses, valid, failure), "reader");
        reader.start();

        final SplittableRandom random = new SplittableRandom(42);
        final int[] churn = new int[64];
        final long deadline = System.nanoTime() + RUN_NANOS;
        int iterations = 0;
        int maxCapacity = 0;
        while (System.nanoTime() < deadline && failure.get() == null)
        {
            final boolean odd = (iterations & 1) != 0;
            mtrie.add(parse("20.0.0.0"), 24, odd ? 101 : 100);
            mtrie.add(parse("10.2.6.0"), 28, 300);
            mtrie.add(parse("30.0.1.0"), 25, 200);
            mtrie.add(parse("30.0.1.0"), 28, 201);
            mtrie.add(parse("30.0.0.0"), 12, 60);
            for (int i = 0; i < churn.length; i++)
            {
                churn[i] = (40 << 24) | (random.nextInt(1 << 20) << 4);
                mtrie.add(churn[i], 28, 1000 + i);
            }
            for (int i = 0; i < churn.length; i++)
            {
                mtrie.remove(churn[i], 28, NONE, 0);
            }
            if (odd)
            {
                mtrie.remove(parse("30.0.1.0"), 28, 200, 25);
                mtrie.remove(parse("30.0.1.0"), 25, 50, 16);
            }
            else
            {
                mtrie.remove(parse("30.0.1.0"), 25, 50, 16);
                mtrie.remove(parse("30.0.1.0"), 28, 50, 16);
            }
            mtrie.remove(parse("10.2.6.0"), 28, 8, 16);
            mtrie.remove(parse("30.0.0.0"), 12, NONE, 0);
            if ((iterations & 15) == 15)
            {
                // A worker barrier's effect: every lookup that may have seen the freed plies has finished.
                final long seen = readerRounds;
                while (readerRounds < seen + 2 && reader.isAlive())
                {
                    Thread.onSpinWait();
                }
                mtrie.reclaim();
            }
            maxCapacity = Math.max(maxCapacity, mtrie.capacity());
            iterations++;
        }
        stop = true;
        reader.join();
        System.out.println("Ip4MtrieConcurrencyTest: " + iterations + " mutation rounds, " + readerRounds
            + " reader rounds, pool capacity up to " + maxCapacity + " plies");
        assertNull(failure.get());
        assertTrue(iterations > 10 && readerRounds > 10, "both threads ran");
        assertEquals(2, mtrie.plies(), "only the plies of 10.2/16 and 20.0/16 are left");
    }

    private void read(final int[] addresses, final int[][] valid, final AtomicReference<String> failure)
    {
        final int[] out = new int[addresses.length];
        long rounds = 0;
        while (!stop)
        {
            mtrie.lookupBatch(addresses, out, addresses.length);
            for (int i = 0; i < addresses.length; i++)
            {
                if (!contains(valid[i], out[i]) || !contains(valid[i], mtrie.lookup(addresses[i])))
                {
                    failure.compareAndSet(null, Ip4.format(addresses[i]) + " -> " + out[i] + " / "
                        + mtrie.lookup(addresses[i]) + " in round " + rounds);
                    return;
                }
            }
            readerRounds = ++rounds;
        }
    }

    private static boolean contains(final int[] values, final int value)
    {
        for (final int v : values)
        {
            if (v == value)
            {
                return true;
            }
        }
        return false;
    }
}
