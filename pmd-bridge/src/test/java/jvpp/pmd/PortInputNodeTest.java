package jvpp.pmd;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.testing.TestJvpp;
import jvpp.pmd.testing.CaptureNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared input node against a fake port; no root needed. */
class PortInputNodeTest
{
    private Jvpp vpp;
    private FakePort port;
    private Interface ifc;
    private final PortInputNode.RxQueues queues = new PortInputNode.RxQueues();

    /** Receives {@code pending} 60-byte ARP-typed frames, at most {@code max} per burst. */
    static final class FakePort implements Port
    {
        int pending;
        /** Every n-th frame reports a length larger than a buffer (0: none), as a TAP read that spilled does. */
        int oversizeEvery;
        int received;
        volatile boolean link = true;

        @Override
        public String driverName()
        {
            return "fake";
        }

        @Override
        public int rxQueues()
        {
            return 2;
        }

        @Override
        public int txQueues()
        {
            return 0;
        }

        @Override
        public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
        {
            final int n = cache.alloc(bufs, offset, Math.min(max, pending));
            final BufferPool pool = cache.pool();
            for (int i = offset; i < offset + n; i++)
            {
                received++;
                pool.length[bufs[i]] = oversizeEvery > 0 && received % oversizeEvery == 0
                    ? pool.arena().dataSize() + 100 : 60;
                pool.memory().putShort(pool.start[bufs[i]] + 12, Short.reverseBytes((short)0x0806));
            }
            pending -= n;
            return n;
        }

        @Override
        public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n)
        {
            return 0;
        }

        @Override
        public boolean linkUp()
        {
            return link;
        }

        @Override
        public long mac()
        {
            return 0x02fe_0000_0009L;
        }

        @Override
        public void close()
        {
        }
    }

    @BeforeEach
    void setUp()
    {
        vpp = TestJvpp.create(2048);
        port = new FakePort();
        ifc = vpp.service(Ports.class).create("fake0", port);
    }

    @AfterEach
    void tearDown()
    {
        vpp.close();
    }

    private void addInputNode(final boolean sink)
    {
        PortInputNode.ensureRegistered(vpp.graph(), PortInputNode.TAP_INPUT, queues);
        queues.add(ifc, port);
        vpp.syncThreads();
    }

    @Test
    void shouldHandFramesToEthernetInputWithTheirInterfaceAndCountThemWhenAdminUp()
    {
        final List<CaptureNode.Packet> got = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        port.pending = 600;
        TestJvpp.drain(vpp);
        assertEquals(0, got.size(), "an admin-down interface is not polled");
        ok(vpp, "set interface state fake0 up");
        TestJvpp.drain(vpp);
        assertEquals(600, got.size());
        assertTrue(got.stream().allMatch(p -> p.rxIf() == ifc.swIfIndex() && p.etherType() == 0x0806));
        final InterfaceCounters c = vpp.mainDispatcher().interfaceCounters();
        assertEquals(600, c.get(ifc.swIfIndex(), InterfaceCounters.RX_PACKETS));
        assertEquals(600 * 60, c.get(ifc.swIfIndex(), InterfaceCounters.RX_BYTES));
        vpp.mainDispatcher().buffers().flush();
        assertEquals(0, vpp.pool().used());
        assertTrue(ok(vpp, "show runtime").contains("tap-input"));
    }

    @Test
    void shouldDropFramesLargerThanABufferUnderTheirReasonAndPassTheOthersInOrder()
    {
        final List<CaptureNode.Packet> got = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        ok(vpp, "set interface state fake0 up");
        port.oversizeEvery = 3;
        port.pending = 300;
        TestJvpp.drain(vpp);
        assertEquals(200, got.size());
        assertEquals(100, vpp.mainDispatcher().errorCount(
            vpp.graph().errorIndex(PortInputNode.TAP_INPUT, "frame larger than a buffer")));
        assertEquals(300, vpp.mainDispatcher().interfaceCounters().get(ifc.swIfIndex(), InterfaceCounters.RX_PACKETS),
            "received, then dropped");
        vpp.mainDispatcher().buffers().flush();
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldMarkPacketsForTracingWhenTraceIsAdded()
    {
        final List<CaptureNode.Packet> got = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        ok(vpp, "set interface state fake0 up");
        ok(vpp, "trace add tap-input 3");
        port.pending = 10;
        TestJvpp.drain(vpp);
        assertEquals(10, got.size());
        assertEquals(3, got.stream().filter(p -> p.trace() != 0).count());
        assertTrue(ok(vpp, "show trace").contains("tap-input"));
    }

    @Test
    void shouldCarryThePortsLinkStateIntoTheInterfaceWhenItChanges()
    {
        CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        port.link = false;
        TestJvpp.drain(vpp);
        vpp.mainDispatcher().doWork();
        assertFalse(ifc.linkUp());
        assertEquals("device gone", ifc.linkDownReason());
        port.link = true;
        vpp.mainDispatcher().doWork();
        assertTrue(ifc.linkUp());
    }

    @Test
    void shouldStopPollingAnInterfaceWhenItsQueuesAreRemoved()
    {
        final List<CaptureNode.Packet> got = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        ok(vpp, "set interface state fake0 up");
        queues.remove(ifc);
        port.pending = 5;
        TestJvpp.drain(vpp);
        assertEquals(0, got.size());
        assertEquals(0, queues.size());
    }

    @Test
    void shouldAllocateNothingWhenPollingInSteadyState()
    {
        CaptureNode.registerSink(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(true);
        ok(vpp, "set interface state fake0 up");
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2000; i++)
        {
            port.pending = 512;
            vpp.mainDispatcher().doWork();
        }
        final long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++)
        {
            port.pending = 512;
            vpp.mainDispatcher().doWork();
        }
        final long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 20000 polls");
    }
}
