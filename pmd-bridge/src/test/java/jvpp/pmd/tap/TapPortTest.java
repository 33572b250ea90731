package jvpp.pmd.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.pmd.testing.PortPolling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TapPort against the kernel: the tap is created in the root namespace by the port and then moved into a test
 * namespace, where it gets its address, so the test touches nothing of the host's own. Root only.
 */
@RequiresRoot("/dev/net/tun and network namespaces")
class TapPortTest
{
    private HostNet net;
    private BufferArena arena;
    private BufferPool pool;
    private BufferCache cache;
    private TapPort port;
    private String ns;
    private String tap;
    private String subnet;
    private final int[] bufs = new int[256];

    @BeforeEach
    void setUp()
    {
        net = new HostNet();
        ns = net.namespace("ns");
        tap = net.name("t");
        subnet = net.subnet();
        arena = BufferArena.allocate(1024, 2048, false);
        pool = new BufferPool("test", 0, 0, arena);
        cache = pool.newCache("test");
    }

    @AfterEach
    void tearDown()
    {
        if (port != null)
        {
            port.close();
        }
        if (cache != null)
        {
            cache.close();
            arena.close();
        }
        if (net != null)
        {
            net.close();
        }
    }

    private void openIntoNamespace(final int queues)
    {
        openIntoNamespace(queues, TapPort.DEFAULT_OFFLOADS);
    }

    private void openIntoNamespace(final int queues, final int offloads)
    {
        port = TapPort.open(tap, queues, 0x02fe_0000_0002L, offloads, 2048);
        HostNet.run("ip", "link", "set", tap, "netns", ns);
        HostNet.runIn(ns, "ip", "addr", "add", subnet + "1/24", "dev", tap);
        HostNet.runIn(ns, "ip", "link", "set", tap, "up");
    }

    /**
     * After the test's frames are freed: the pool's used buffers are exactly the rx stash (a full one: enough for the
     * largest frame), and closing the port gives it back.
     */
    private void assertOnlyTheStashHeld(final String why)
    {
        cache.flush();
        assertEquals((port.maxFrame() + 2047) / 2048, port.heldBuffers(), "one full stash");
        assertEquals(port.heldBuffers(), pool.used(), why);
        port.close();
        assertEquals(0, port.heldBuffers());
        assertEquals(0, pool.used(), "closing gives the stash back");
    }

    private int receiveEtherType(final int type, final long timeoutMs)
    {
        return PortPolling.receiveEtherType(port, pool, cache, bufs, type, timeoutMs);
    }

    @Test
    void shouldReceiveArpRequestsWhenTheHostPingsThroughTheTap()
    {
        openIntoNamespace(1);
        net.start("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", subnet + "9");
        assertEquals(42, receiveEtherType(0x0806, 5000));
        assertOnlyTheStashHeld("an empty read keeps its stash and nothing else");
        assertFalse(port.deviceGone());
    }

    @Test
    void shouldHandFramesToTheHostWhenTransmitting()
    {
        openIntoNamespace(1);
        final long before = HostNet.stat(ns, tap, "rx_packets");
        final int n = 16;
        assertEquals(n, cache.alloc(bufs, 0, n));
        for (int i = 0; i < n; i++)
        {
            final int s = pool.start[bufs[i]];
            for (int b = 0; b < 6; b++)
            {
                pool.memory().putByte(s + b, (byte)0xff);
                pool.memory().putByte(s + 6 + b, (byte)(b == 0 ? 2 : b));
            }
            pool.memory().putShort(s + 12, Short.reverseBytes((short)0x88b5));
            pool.length[bufs[i]] = 60;
        }
        assertEquals(n, port.txBurst(0, cache, bufs, 0, n));
        cache.flush();
        assertEquals(0, pool.used(), "no rx yet: no stash either");
        assertEquals(n, HostNet.stat(ns, tap, "rx_packets") - before);
    }

    @Test
    void shouldOpenOneQueuePerFdWhenMultiQueue()
    {
        openIntoNamespace(2);
        assertEquals(2, port.rxQueues());
        net.start("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", subnet + "9");
        assertEquals(42, receiveEtherType(0x0806, 5000));
    }

    @Test
    void shouldReportTheDeviceGoneWhenTheHostDeletesIt()
    {
        openIntoNamespace(1);
        HostNet.runIn(ns, "ip", "link", "del", tap);
        assertEquals(0, port.rxBurst(0, cache, bufs, 0, 8));
        assertTrue(port.deviceGone());
        assertFalse(port.linkUp());
        assertOnlyTheStashHeld("a gone device holds its stash only, until it is closed");
    }

    @Test
    void shouldRemoveTheHostDeviceWhenClosed()
    {
        port = TapPort.open(tap, 1, 1L);
        assertTrue(HostNet.run("ip", "link", "show", tap).contains(tap));
        port.close();
        port = null;
        assertThrows(AssertionError.class, () -> HostNet.run("ip", "link", "show", tap), "the tap is gone");
    }

    @Test
    void shouldLeaveNothingBehindWhenTheNameIsTaken()
    {
        port = TapPort.open(tap, 1, 1L);
        assertThrows(IllegalStateException.class, () -> TapPort.open(tap, 1, 1L), "second attach of a single-queue tap");
        assertThrows(IllegalArgumentException.class, () -> TapPort.open("this-name-is-too-long", 1, 1L));
    }

    @Test
    void shouldReceiveAJumboFrameAsAChainWhenTheHostPingsAtMtu9000()
    {
        openIntoNamespace(1);
        HostNet.runIn(ns, "ip", "link", "set", tap, "mtu", "9000");
        HostNet.runIn(ns, "ip", "neigh", "replace", subnet + "9", "lladdr", "02:fe:00:00:00:02", "dev", tap);
        net.start("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.3", "-W", "1", "-s", "8000", subnet + "9");
        assertEquals(14 + 20 + 8 + 8000, receiveEtherType(0x0800, 5000), "the whole frame, in a chain of buffers");
        assertOnlyTheStashHeld("the chains are back, the stash stays with the queue until the port closes");
    }

    @Test
    void shouldHandAChainToTheHostWhole()
    {
        openIntoNamespace(1);
        HostNet.runIn(ns, "ip", "link", "set", tap, "mtu", "9000");
        final long packets = HostNet.stat(ns, tap, "rx_packets");
        final long bytes = HostNet.stat(ns, tap, "rx_bytes");
        final int head = cache.alloc();
        final int s = pool.start[head];
        for (int b = 0; b < 6; b++)
        {
            pool.memory().putByte(s + b, (byte)0xff);
            pool.memory().putByte(s + 6 + b, (byte)(b == 0 ? 2 : b));
        }
        pool.memory().putShort(s + 12, Short.reverseBytes((short)0x88b5));
        pool.length[head] = 2048;
        int tail = head;
        for (int left = 8042 - 2048; left > 0; left -= 2048)
        {
            final int bi = cache.alloc();
            pool.length[bi] = Math.min(left, 2048);
            pool.append(head, tail, bi);
            tail = bi;
        }
        bufs[0] = head;
        assertEquals(1, port.txBurst(0, cache, bufs, 0, 1));
        cache.flush();
        assertEquals(0, pool.used(), "the chain was freed whole once written");
        assertEquals(1, HostNet.stat(ns, tap, "rx_packets") - packets);
        assertEquals(8042, HostNet.stat(ns, tap, "rx_bytes") - bytes);
    }

    @Test
    void shouldMarkAFrameLongerThanTheChainAndKeepEveryBufferAccounted()
    {
        openIntoNamespace(1, TapPort.OFFLOAD_CSUM);
        assertEquals(TapPort.MAX_JUMBO_FRAME, port.maxFrame());
        HostNet.runIn(ns, "ip", "link", "set", tap, "mtu", "16000");
        HostNet.runIn(ns, "ip", "neigh", "replace", subnet + "9", "lladdr", "02:fe:00:00:00:02", "dev", tap);
        net.start("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.3", "-W", "1", "-s", "12000", subnet + "9");
        final long deadline = System.currentTimeMillis() + 5000;
        int marked = -1;
        while (marked < 0 && System.currentTimeMillis() < deadline)
        {
            final int n = port.rxBurst(0, cache, bufs, 0, bufs.length);
            for (int i = 0; i < n; i++)
            {
                if (pool.totalLength(bufs[i]) > 9000)
                {
                    marked = pool.error[bufs[i]];
                    assertEquals(5, pool.chainCount(bufs[i]), "the whole stash, the rest spilled");
                }
            }
            cache.free(bufs, 0, n);
        }
        assertEquals(1 + jvpp.pmd.PortInputNode.ERROR_CHAIN_TOO_LONG, marked);
        assertOnlyTheStashHeld("the marked chain is back");
    }
}
