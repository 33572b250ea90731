package jvpp.nodes.ip4.fib;

import static jvpp.core.net.Ip4.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ip4MtrieTest
{
    private static final int NONE = 77;

    private final Ip4Mtrie mtrie = new Ip4Mtrie(NONE);

    private int lookup(final String address)
    {
        final int a = parse(address);
        final int[] out = new int[1];
        mtrie.lookupBatch(new int[] {a}, out, 1);
        assertEquals(mtrie.lookup(a), out[0], "batch vs single for " + address);
        return out[0];
    }

    @Test
    void shouldReturnDefaultValueWhenEmpty()
    {
        assertEquals(NONE, lookup("0.0.0.0"));
        assertEquals(NONE, lookup("255.255.255.255"));
        assertEquals(0, mtrie.plies());
    }

    @Test
    void shouldMatchEverythingWhenDefaultRouteAddedAndRestoreDefaultValueWhenRemoved()
    {
        mtrie.add(parse("1.2.3.4"), 0, 5);
        assertEquals(5, lookup("0.0.0.0"));
        assertEquals(5, lookup("255.255.255.255"));
        mtrie.add(parse("10.0.0.0"), 8, 6);
        mtrie.remove(0, 0, NONE, 0);
        assertEquals(NONE, lookup("0.0.0.0"));
        assertEquals(6, lookup("10.255.255.255"));
        assertEquals(NONE, lookup("255.255.255.255"));
    }

    @Test
    void shouldMatchOnlyThatAddressWhenSlash32Added()
    {
        mtrie.add(parse("255.255.255.255"), 32, 1);
        mtrie.add(parse("0.0.0.0"), 32, 2);
        assertEquals(1, lookup("255.255.255.255"));
        assertEquals(NONE, lookup("255.255.255.254"));
        assertEquals(2, lookup("0.0.0.0"));
        assertEquals(NONE, lookup("0.0.0.1"));
        assertEquals(4, mtrie.plies());
        mtrie.remove(parse("255.255.255.255"), 32, NONE, 0);
        mtrie.remove(parse("0.0.0.0"), 32, NONE, 0);
        assertEquals(NONE, lookup("255.255.255.255"));
        assertEquals(NONE, lookup("0.0.0.0"));
        assertEquals(0, mtrie.plies());
    }

    @Test
    void shouldStayInRootWhenSlash16AndSplitWhenSlash17()
    {
        mtrie.add(parse("10.1.0.0"), 16, 1);
        assertEquals(0, mtrie.plies());
        assertEquals(1, lookup("10.1.255.255"));
        assertEquals(NONE, lookup("10.2.0.0"));
        assertEquals(NONE, lookup("10.0.255.255"));
        mtrie.add(parse("10.1.128.0"), 17, 2);
        assertEquals(1, mtrie.plies());
        assertEquals(1, lookup("10.1.127.255"));
        assertEquals(2, lookup("10.1.128.0"));
        mtrie.add(parse("10.0.0.0"), 15, 3);
        assertEquals(3, lookup("10.0.0.0"));
        assertEquals(1, lookup("10.1.0.0"));
        assertEquals(2, lookup("10.1.255.255"));
        mtrie.remove(parse("10.1.128.0"), 17, 1, 16);
        assertEquals(0, mtrie.plies());
        assertEquals(1, lookup("10.1.255.255"));
        mtrie.remove(parse("10.1.0.0"), 16, 3, 15);
        assertEquals(3, lookup("10.1.255.255"));
    }

    @Test
    void shouldSplitSecondPlyOnlyAboveSlash24()
    {
        mtrie.add(parse("192.168.1.0"), 24, 1);
        assertEquals(1, mtrie.plies());
        assertEquals(1, lookup("192.168.1.255"));
        assertEquals(NONE, lookup("192.168.2.0"));
        assertEquals(NONE, lookup("192.168.0.255"));
        mtrie.add(parse("192.168.1.0"), 25, 2);
        assertEquals(2, mtrie.plies());
        assertEquals(2, lookup("192.168.1.127"));
        assertEquals(1, lookup("192.168.1.128"));
        mtrie.add(parse("192.168.0.0"), 23, 3);
        assertEquals(3, lookup("192.168.0.1"));
        assertEquals(2, lookup("192.168.1.1"));
        assertEquals(1, lookup("192.168.1.200"));
    }

    @Test
    void shouldKeepLongerPrefixWhenShorterAddedInEitherOrder()
    {
        final Ip4Mtrie first = new Ip4Mtrie(NONE);
        final Ip4Mtrie second = new Ip4Mtrie(NONE);
        final int[][] routes = {{parse("10.0.0.0"), 8, 1}, {parse("10.1.0.0"), 16, 2}, {parse("10.1.2.0"), 24, 3},
            {parse("10.1.2.64"), 26, 4}, {parse("10.1.2.66"), 32, 5}, {parse("10.1.0.0"), 20, 6}};
        for (int i = 0; i < routes.length; i++)
        {
            first.add(routes[i][0], routes[i][1], routes[i][2]);
            final int[] r = routes[routes.length - 1 - i];
            second.add(r[0], r[1], r[2]);
        }
        final String[] probes = {"10.0.0.1", "10.1.0.1", "10.1.16.0", "10.1.2.1", "10.1.2.64", "10.1.2.66", "10.1.2.128",
            "10.1.15.255", "10.2.0.0", "11.0.0.0"};
        final int[] expected = {1, 6, 2, 3, 4, 5, 3, 6, 1, NONE};
        for (int i = 0; i < probes.length; i++)
        {
            assertEquals(expected[i], first.lookup(parse(probes[i])), "forward " + probes[i]);
            assertEquals(expected[i], second.lookup(parse(probes[i])), "reverse " + probes[i]);
        }
        assertEquals(first.plies(), second.plies());
    }

    @Test
    void shouldUpdateValueWhenSamePrefixAddedAgain()
    {
        mtrie.add(parse("10.0.0.0"), 8, 1);
        mtrie.add(parse("10.1.2.0"), 24, 2);
        mtrie.add(parse("10.0.0.0"), 8, 3);
        assertEquals(3, lookup("10.200.0.0"));
        assertEquals(3, lookup("10.1.3.0"));
        assertEquals(2, lookup("10.1.2.0"));
    }

    @Test
    void shouldRestoreCoveringValueWhenMoreSpecificRemoved()
    {
        mtrie.add(parse("10.0.0.0"), 8, 1);
        mtrie.add(parse("10.1.0.0"), 18, 2);
        mtrie.add(parse("10.1.1.0"), 30, 3);
        mtrie.remove(parse("10.1.0.0"), 18, 1, 8);
        assertEquals(1, lookup("10.1.0.0"));
        assertEquals(3, lookup("10.1.1.2"));
        assertEquals(1, lookup("10.1.1.4"));
        mtrie.remove(parse("10.1.1.0"), 30, 1, 8);
        assertEquals(1, lookup("10.1.1.2"));
        assertEquals(0, mtrie.plies());
    }

    @Test
    void shouldChangeNothingWhenRemovingPrefixNeverAdded()
    {
        mtrie.add(parse("10.0.0.0"), 8, 1);
        mtrie.add(parse("10.1.2.0"), 24, 2);
        mtrie.add(parse("10.1.2.128"), 25, 3);
        final int plies = mtrie.plies();
        mtrie.remove(parse("10.1.2.0"), 25, 1, 8);
        mtrie.remove(parse("10.1.0.0"), 16, 1, 8);
        mtrie.remove(parse("10.1.3.0"), 24, 1, 8);
        mtrie.remove(parse("10.1.2.8"), 30, 2, 24);
        mtrie.remove(parse("11.0.0.0"), 26, NONE, 0);
        mtrie.remove(parse("12.0.0.0"), 8, NONE, 0);
        assertEquals(plies, mtrie.plies());
        assertEquals(1, lookup("10.1.0.0"));
        assertEquals(2, lookup("10.1.2.0"));
        assertEquals(3, lookup("10.1.2.255"));
        assertEquals(NONE, lookup("12.0.0.0"));
    }

    @Test
    void shouldFreeAndReusePliesWhenEverythingRemoved()
    {
        final int[][] routes = new int[2000][];
        for (int i = 0; i < routes.length; i++)
        {
            routes[i] = new int[] {(i * 7919) << 12, 20 + i % 13, i};
        }
        for (final int[] r : routes)
        {
            mtrie.add(r[0], r[1], r[2]);
        }
        final int plies = mtrie.plies();
        final int capacity = mtrie.capacity();
        assertTrue(plies > 100, "plies " + plies);
        for (final int[] r : routes)
        {
            mtrie.remove(r[0], r[1], NONE, 0);
        }
        assertEquals(0, mtrie.plies());
        assertEquals(NONE, mtrie.lookup(routes[5][0]));
        mtrie.reclaim();
        for (final int[] r : routes)
        {
            mtrie.add(r[0], r[1], r[2]);
        }
        assertEquals(plies, mtrie.plies());
        assertEquals(capacity, mtrie.capacity());
        assertEquals(routes[5][2], mtrie.lookup(routes[5][0]));
    }

    @Test
    void shouldAllocateNothingWhenLookingUp()
    {
        for (int i = 0; i < 4096; i++)
        {
            mtrie.add(i * 0x00101000, 20 + i % 13, i);
        }
        final int[] addresses = new int[256];
        final int[] out = new int[256];
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] = i * 0x00101000 + i;
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().getId();
        long sum = 0;
        long before = 0;
        for (int round = 0; round < 2; round++)
        {
            before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 20_000; i++)
            {
                mtrie.lookupBatch(addresses, out, addresses.length);
                sum += out[i & 255] + mtrie.lookup(addresses[i & 255] ^ i);
            }
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(sum != 0);
        assertEquals(0, allocated, "bytes allocated by 20 000 batches and lookups");
    }

    @Test
    void shouldRejectBadLengthsAndNegativeValues()
    {
        assertThrows(IllegalArgumentException.class, () -> mtrie.add(0, 33, 1));
        assertThrows(IllegalArgumentException.class, () -> mtrie.add(0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> mtrie.add(0, 8, -1));
        assertThrows(IllegalArgumentException.class, () -> mtrie.remove(0, 8, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> new Ip4Mtrie(-1));
    }
}
