package jvpp.pmd.tap;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.iface.Interface;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.TestJvpp;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.testing.CaptureNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tap-input and tap-output through a booted instance; the tap's host end lives in a test namespace. */
@RequiresRoot("/dev/net/tun and network namespaces")
class TapPortsTest
{
    private Jvpp vpp;
    private HostNet net;

    @BeforeEach
    void setUp()
    {
        vpp = TestJvpp.create(2048);
        net = new HostNet();
    }

    @AfterEach
    void tearDown()
    {
        if (vpp != null)
        {
            vpp.close();
        }
        if (net != null)
        {
            net.close();
        }
    }

    @Test
    void shouldReceiveOnTapInputAndSendThroughTapOutputWhenTheHostTalksToTheTap()
    {
        final List<CaptureNode.Packet> captured = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        final TapPorts taps = vpp.service(TapPorts.class);
        final String host = net.name("t");
        final String ns = net.namespace("ns");
        final Interface ifc = taps.create("tap0", host, 1, 0x02fe_0000_0042L);
        assertEquals("tap-output", ifc.txNode());
        assertThrows(IllegalArgumentException.class, () -> taps.create("tap0", net.name("u"), 1, 1L));
        HostNet.run("ip", "link", "set", host, "netns", ns);
        final String subnet = net.subnet();
        HostNet.runIn(ns, "ip", "addr", "add", subnet + "1/24", "dev", host);
        HostNet.runIn(ns, "ip", "link", "set", host, "up");
        ok(vpp, "set interface state tap0 up");

        net.start("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", subnet + "9");
        final long deadline = System.currentTimeMillis() + 5000;
        while (captured.stream().noneMatch(p -> p.etherType() == 0x0806) && System.currentTimeMillis() < deadline)
        {
            vpp.mainDispatcher().doWork();
        }
        assertTrue(captured.stream().anyMatch(p -> p.etherType() == 0x0806 && p.rxIf() == ifc.swIfIndex()), "ARP in");

        final long before = HostNet.stat(ns, host, "rx_packets");
        final int bi = vpp.mainDispatcher().buffers().alloc();
        final var mem = vpp.pool().memory();
        final int s = vpp.pool().start[bi];
        mem.setMemory(s, 6, (byte)0xff);
        mem.putLong(s + 6, Long.reverseBytes(0x02fe_0000_0042L << 16));
        mem.putShort(s + 12, Short.reverseBytes((short)0x88b5));
        vpp.pool().length[bi] = 60;
        vpp.pool().txIf[bi] = ifc.swIfIndex();
        vpp.mainDispatcher().inject(vpp.graph().index(TapOutputNode.NAME), bi);
        TestJvpp.drain(vpp);
        assertEquals(1, HostNet.stat(ns, host, "rx_packets") - before, "frame out");
        TestJvpp.drain(vpp);
        vpp.mainDispatcher().buffers().flush();
        final long held = vpp.pool().holders().stream().filter(h -> h.name().equals("tap rx stashes"))
            .mapToLong(h -> h.count().getAsLong()).sum();
        assertTrue(held > 0, "the rx queue keeps its stash between polls");
        assertEquals(held, vpp.pool().used(), "and the pool's holder counts it: nothing else is used");

        taps.delete(ifc);
        assertNull(vpp.interfaces().get("tap0"));
        assertNull(taps.port(ifc));
        TestJvpp.drain(vpp);
        vpp.mainDispatcher().buffers().flush();
        assertEquals(0, vpp.pool().used());
    }

    /**
     * With workers, a tap gets a queue per thread (main and each worker: thread t transmits on queue t of its own) even
     * when one rx queue was asked for, and every queue is polled (the kernel hands frames to all of them), by a worker.
     */
    @Test
    void shouldGiveEachThreadATapQueueOfItsOwnWhenThereAreWorkers()
    {
        vpp.close();
        vpp = Jvpp.create(new Jvpp.Context().buffers(2048).hugepages(false).workers(new int[] {-1, -1}));
        CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        final TapPorts taps = vpp.service(TapPorts.class);
        assertEquals(3, taps.queuesFor(1), "main and two workers");
        assertEquals(4, taps.queuesFor(4), "more when asked for");
        final Interface ifc = taps.create("tap0", net.name("w"), 1, 0x02fe_0000_0043L);
        assertEquals(3, taps.port(ifc).rxQueues());
        assertEquals(3, taps.port(ifc).txQueues());
        final String placement = ok(vpp, "show interface rx-placement");
        assertTrue(placement.contains("Thread 1 (jvpp_wk_0)") && placement.contains("Thread 2 (jvpp_wk_1)")
            && placement.contains("tap0 queue 2") && !placement.contains("Thread 0"), placement);
        taps.delete(ifc);
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldKeepTheAskedQueuesWithoutWorkers()
    {
        final TapPorts taps = vpp.service(TapPorts.class);
        assertEquals(1, taps.queuesFor(1));
        assertEquals(2, taps.queuesFor(2));
    }
}
