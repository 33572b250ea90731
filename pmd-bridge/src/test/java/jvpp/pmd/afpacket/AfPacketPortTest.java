package jvpp.pmd.afpacket;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** AfPacketPort on a real veth pair whose far end sits in a test namespace. Root only. */
@RequiresRoot("AF_PACKET and network namespaces")
class AfPacketPortTest
{
    private HostNet net;
    private BufferArena arena;
    private BufferPool pool;
    private BufferCache cache;
    private AfPacketPort port;
    private String ns;
    private String near;
    private String far;
    private String subnet;
    private final int[] bufs = new int[256];

    @BeforeEach
    void setUp()
    {
        net = new HostNet();
        ns = net.namespace("ns");
        near = net.name("a");
        far = net.name("b");
        net.veth(near, far, ns);
        subnet = net.subnet();
        HostNet.runIn(ns, "ip", "addr", "add", subnet + "2/24", "dev", far);
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

    private int receiveEtherType(final int type, final long timeoutMs)
    {
        return PortPolling.receiveEtherType(port, pool, cache, bufs, type, timeoutMs);
    }

    @Test
    void shouldReceiveArpRequestsWhenTheNamespacePingsThroughTheVeth()
    {
        port = AfPacketPort.open(near, 1, 0x02fe_0000_0001L);
        net.start("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", subnet + "9");
        final int len = receiveEtherType(0x0806, 5000);
        assertEquals(42, len, "an ARP request from " + far);
        cache.flush();
        assertEquals(0, pool.used());
        final StringBuilder sb = new StringBuilder();
        port.describe(sb, true);
        assertTrue(sb.toString().contains("TPACKET_V2 rings 4096 x 2048 B"), sb.toString());
        assertTrue(sb.toString().contains("kernel: "), sb.toString());
    }

    @Test
    void shouldDeliverFramesToThePeerWhenTransmittingABurst()
    {
        port = AfPacketPort.open(near, 1, 0x02fe_0000_0001L, 256, 2048);
        final long before = HostNet.stat(ns, far, "rx_packets");
        final int n = 32;
        assertEquals(n, cache.alloc(bufs, 0, n));
        for (int i = 0; i < n; i++)
        {
            final int s = pool.start[bufs[i]];
            for (int b = 0; b < 6; b++)
            {
                pool.memory().putByte(s + b, (byte)0xff);
            }
            pool.memory().putLong(s + 6, 0x0100_00fe_02L); // 02:fe:00:00:00:01 (low 6 bytes used)
            pool.memory().putShort(s + 12, Short.reverseBytes((short)0x88b5)); // local experimental
            pool.length[bufs[i]] = 60;
        }
        assertEquals(n, port.txBurst(0, cache, bufs, 0, n));
        cache.flush();
        assertEquals(0, pool.used(), "the port freed what it took");
        long after = before;
        final long deadline = System.currentTimeMillis() + 3000;
        while (after - before < n && System.currentTimeMillis() < deadline)
        {
            after = HostNet.stat(ns, far, "rx_packets");
        }
        assertEquals(n, after - before);
    }

    @Test
    void shouldSpreadOverFanoutSocketsWhenOpenedWithSeveralQueues()
    {
        port = AfPacketPort.open(near, 2, 0x02fe_0000_0001L, 128, 2048);
        assertEquals(2, port.rxQueues());
        assertEquals(2, port.txQueues());
        net.start("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", subnet + "9");
        assertEquals(42, receiveEtherType(0x0806, 5000));
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldRefuseAnInterfaceThatDoesNotExist()
    {
        assertThrows(IllegalArgumentException.class, () -> AfPacketPort.open(net.name("zz"), 1, 1L));
        assertThrows(IllegalArgumentException.class, () -> AfPacketPort.open(near, 1, 1L, 100, 2048));
    }
}
