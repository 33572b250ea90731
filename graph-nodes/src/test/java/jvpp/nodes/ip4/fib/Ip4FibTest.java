package jvpp.nodes.ip4.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

class Ip4FibTest
{
    private static final long SEED = 0x5eed_f1bL;
    private static final int ROUTES = 100_000;
    private static final int LOOKUPS = 1_000_000;
    private static final int DEFAULT = 999_999;

    private final SplittableRandom random = new SplittableRandom(SEED);
    private int[] prefixes;
    private int[] lengths;

    /** ~60 % /24, ~38 % /8–/23 (most at /16–/23), ~2 % /25–/32; first octet anywhere. */
    private int randomLength()
    {
        final int r = random.nextInt(1000);
        if (r < 600)
        {
            return 24;
        }
        if (r < 980)
        {
            final int s = random.nextInt(100);
            return s < 10 ? 8 + random.nextInt(8) : 16 + random.nextInt(8);
        }
        return 25 + random.nextInt(8);
    }

    private void generate(final int count)
    {
        final LongHashSet seen = new LongHashSet();
        prefixes = new int[count];
        lengths = new int[count];
        int n = 0;
        while (n < count)
        {
            final int length = randomLength();
            final int prefix = random.nextInt() & ReferenceLpm.mask(length);
            if (seen.add(((prefix & 0xffff_ffffL) << 6) | length))
            {
                prefixes[n] = prefix;
                lengths[n] = length;
                n++;
            }
        }
    }

    /** Half uniformly random, half inside a random prefix of {@code live} so that long prefixes get hit. */
    private int[] destinations(final int count, final boolean[] live)
    {
        final int[] a = new int[count];
        for (int i = 0; i < count; i++)
        {
            if ((i & 1) == 0)
            {
                a[i] = random.nextInt();
            }
            else
            {
                int k = random.nextInt(prefixes.length);
                while (!live[k])
                {
                    k = random.nextInt(prefixes.length);
                }
                a[i] = prefixes[k] | (random.nextInt() & ~ReferenceLpm.mask(lengths[k]));
            }
        }
        return a;
    }

    private void check(final Ip4Fib fib, final ReferenceLpm ref, final boolean[] live, final String phase)
    {
        final int[] a = destinations(LOOKUPS, live);
        final int[] out = new int[256];
        for (int base = 0; base < a.length; base += 256)
        {
            final int n = Math.min(256, a.length - base);
            final int[] batch = java.util.Arrays.copyOfRange(a, base, base + n);
            fib.lookupBatch(batch, out, n);
            for (int i = 0; i < n; i++)
            {
                final int address = batch[i];
                final int expected = ref.lookup(address);
                final int single = fib.lookup(address);
                if (single != expected || out[i] != expected)
                {
                    throw new AssertionError(phase + ": " + jvpp.core.net.Ip4.format(address) + " expected " + expected
                        + " single " + single + " batch " + out[i] + " (seed " + SEED + ")");
                }
            }
        }
        for (int i = 0; i < 20_000; i++)
        {
            final int address = a[i];
            final int length = ref.matchLength(address);
            assertEquals(length, fib.longestMatchLength(address), phase);
            final long m = fib.longestMatch(address);
            assertEquals(length, m < 0 ? -1 : Ip4Fib.matchLength(m));
            if (m >= 0)
            {
                assertEquals(address & ReferenceLpm.mask(length), Ip4Fib.matchPrefix(m));
            }
        }
    }

    @Test
    void shouldMatchReferenceLpmWhenLoadedRemovedAndReloadedWithRandomPrefixes()
    {
        System.out.println("Ip4FibTest seed=" + SEED);
        generate(ROUTES);
        final Ip4Fib fib = new Ip4Fib(DEFAULT);
        final ReferenceLpm ref = new ReferenceLpm(DEFAULT);
        final boolean[] live = new boolean[ROUTES];
        fib.set(0, 0, 1234);
        ref.put(0, 0, 1234);
        for (int i = 0; i < ROUTES; i++)
        {
            fib.set(prefixes[i], lengths[i], i % 1024);
            ref.put(prefixes[i], lengths[i], i % 1024);
            live[i] = true;
        }
        assertEquals(ROUTES + 1, fib.size());
        check(fib, ref, live, "loaded");

        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ROUTES; i++)
        {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(SEED));
        for (int j = 0; j < ROUTES / 2; j++)
        {
            final int i = order.get(j);
            assertTrue(fib.remove(prefixes[i], lengths[i]));
            assertFalse(fib.remove(prefixes[i], lengths[i]));
            ref.remove(prefixes[i], lengths[i]);
            live[i] = false;
        }
        assertEquals(ROUTES / 2 + 1, fib.size());
        check(fib, ref, live, "half removed");

        fib.reclaim();
        for (int j = 0; j < ROUTES / 2; j++)
        {
            final int i = order.get(j);
            fib.set(prefixes[i], lengths[i], 2048 + i % 1024);
            ref.put(prefixes[i], lengths[i], 2048 + i % 1024);
            live[i] = true;
        }
        check(fib, ref, live, "re-added");

        final int capacity = fib.mtrie().capacity();
        for (int i = 0; i < ROUTES; i++)
        {
            assertTrue(fib.remove(prefixes[i], lengths[i]));
        }
        assertEquals(0, fib.mtrie().plies());
        assertEquals(1234, fib.lookup(0x0a000001));
        fib.reclaim();
        for (int i = 0; i < ROUTES; i++)
        {
            fib.set(prefixes[i], lengths[i], i % 1024);
        }
        assertEquals(capacity, fib.mtrie().capacity(), "freed plies are reused");
    }

    @Test
    void shouldListPrefixesInAscendingOrderWhenAskedForEach()
    {
        final Ip4Fib fib = new Ip4Fib(0);
        fib.set(0xc0a80100, 24, 3);
        fib.set(0x0a000000, 8, 1);
        fib.set(0xc0a80000, 16, 2);
        fib.set(0, 0, 4);
        fib.set(0x0a000000, 16, 5);
        final StringBuilder sb = new StringBuilder();
        fib.forEach((p, l, v) -> sb.append(jvpp.core.net.Ip4.format(p)).append('/').append(l).append('=').append(v).append(' '));
        assertEquals("0.0.0.0/0=4 10.0.0.0/8=1 10.0.0.0/16=5 192.168.0.0/16=2 192.168.1.0/24=3 ", sb.toString());
        assertEquals(5, fib.size());
    }

    @Test
    void shouldReturnExactValueOrMissingWhenGettingPrefix()
    {
        final Ip4Fib fib = new Ip4Fib(0);
        fib.set(0x0a0000ff, 24, 7);
        assertEquals(7, fib.get(0x0a000000, 24));
        assertEquals(7, fib.get(0x0a000001, 24));
        assertEquals(Ip4Fib.MISSING, fib.get(0x0a000000, 23));
        assertEquals(-1, fib.longestMatch(0x0b000000));
        assertFalse(fib.remove(0x0a000000, 25));
        assertEquals(7, fib.lookup(0x0a000080));
    }

    @Test
    void shouldRestoreCoverFoundInTablesWhenRemovingNestedPrefixes()
    {
        final Ip4Fib fib = new Ip4Fib(9);
        fib.set(0x0a000000, 8, 1);
        fib.set(0x0a010000, 16, 2);
        fib.set(0x0a010100, 24, 3);
        fib.set(0x0a010180, 25, 4);
        fib.set(0x0a010181, 32, 5);
        assertEquals(5, fib.lookup(0x0a010181));
        assertTrue(fib.remove(0x0a010100, 24));
        assertEquals(5, fib.lookup(0x0a010181));
        assertEquals(4, fib.lookup(0x0a010182));
        assertEquals(2, fib.lookup(0x0a010101));
        assertTrue(fib.remove(0x0a010180, 25));
        assertEquals(2, fib.lookup(0x0a010182));
        assertTrue(fib.remove(0x0a010000, 16));
        assertEquals(1, fib.lookup(0x0a010182));
        assertEquals(5, fib.lookup(0x0a010181));
        assertTrue(fib.remove(0x0a010181, 32));
        assertEquals(1, fib.lookup(0x0a010181));
        assertEquals(0, fib.mtrie().plies());
        assertTrue(fib.remove(0x0a000000, 8));
        assertEquals(9, fib.lookup(0x0a010181));
        assertEquals(0, fib.size());
    }
}
