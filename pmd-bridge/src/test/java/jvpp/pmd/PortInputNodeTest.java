package jvpp.pmd;

import static jvpp.core.testing.TestJvpp.fails;
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
import jvpp.core.iface.RxMode;
import jvpp.core.sys.LibC;
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
        /** Each queue's descriptor (an eventfd the test writes to say "frames came"); none: polling only. */
        int[] fds = {-1, -1};

        @Override
        public int rxFd(final int queue)
        {
            return fds[queue];
        }

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
        for (final int fd : port.fds)
        {
            if (fd >= 0)
            {
                LibC.close(fd);
            }
        }
    }

    /** Give the fake port's queues descriptors, as a tap's or a host-interface's have. */
    private void withDescriptors()
    {
        port.fds = new int[] {LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC),
            LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC)};
    }

    /** What the kernel does when frames arrive: the queue's descriptor turns readable (a new edge). */
    private void signal(final int queue)
    {
        try (com.sun.jna.Memory one = new com.sun.jna.Memory(8))
        {
            one.setLong(0, 1);
            LibC.write(port.fds[queue], com.sun.jna.Pointer.nativeValue(one), 8);
        }
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

    @Test
    void shouldShowEachQueuesModeAndChangeItWithSetInterfaceRxMode()
    {
        withDescriptors();
        CaptureNode.registerSink(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        assertTrue(ok(vpp, "show interface rx-placement").contains("    fake0 queue 0 (polling)\n    fake0 queue 1 (polling)\n"),
            "a table without a default polls");
        ok(vpp, "set interface rx-mode fake0 interrupt");
        assertEquals(RxMode.INTERRUPT, queues.mode(ifc, 0));
        assertEquals(RxMode.INTERRUPT, queues.mode(ifc, 1));
        ok(vpp, "set interface rx-mode fake0 queue 1 adaptive");
        assertEquals("Thread 0 (jvpp_main):\n  node tap-input:\n    fake0 queue 0 (interrupt)\n    fake0 queue 1 (adaptive)\n",
            ok(vpp, "show interface rx-placement"));
        ok(vpp, "set interface rx-mode polling queue 0 fake0");
        assertEquals(RxMode.POLLING, queues.mode(ifc, 0), "VPP's words come in any order");
    }

    @Test
    void shouldRefuseBadRxModeCommandsWithVppsTextsAndChangeNothing()
    {
        CaptureNode.registerSink(vpp, PortInputNode.ETHERNET_INPUT);
        port.fds = new int[] {LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC), -1};
        addInputNode(false);
        ok(vpp, "create null interface");
        assertEquals("set interface rx-mode: please specify valid interface name\n", fails(vpp, "set interface rx-mode interrupt"));
        assertEquals("set interface rx-mode: please specify valid rx-mode\n", fails(vpp, "set interface rx-mode fake0"));
        assertEquals("set interface rx-mode: parse error: 'bogus interrupt'\n", fails(vpp, "set interface rx-mode bogus interrupt"));
        assertEquals("set interface rx-mode: unknown queue 7 on interface fake0\n",
            fails(vpp, "set interface rx-mode fake0 queue 7 interrupt"));
        assertEquals("set interface rx-mode: unsupported: fake0 queue 1 has no descriptor to wait on and is always polled\n",
            fails(vpp, "set interface rx-mode fake0 adaptive"));
        assertEquals(RxMode.POLLING, queues.mode(ifc, 0), "queue 0 could wait, but the command failed as a whole");
        ok(vpp, "set interface rx-mode fake0 queue 0 adaptive");
        assertEquals("set interface rx-mode: unsupported: null0 has no rx queues\n", fails(vpp, "set interface rx-mode null0 interrupt"));
        assertEquals(RxMode.ADAPTIVE, queues.mode(ifc, 0), "failed commands changed nothing");
        assertEquals(RxMode.POLLING, queues.mode(ifc, 1));
        ok(vpp, "set interface rx-mode fake0 polling");
        assertEquals(RxMode.POLLING, queues.mode(ifc, 0));
    }

    @Test
    void shouldReadAnInterruptModeQueueOnlyWhenItsDescriptorSaysSoAndLetTheThreadSleep()
    {
        withDescriptors();
        final List<CaptureNode.Packet> got = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        ok(vpp, "set interface state fake0 up");
        ok(vpp, "set interface rx-mode fake0 interrupt");
        TestJvpp.drain(vpp);
        vpp.mainDispatcher().doWork();
        assertTrue(vpp.mainDispatcher().mayWait(), "both queues read to empty: nothing to poll");
        port.pending = 10;
        vpp.mainDispatcher().doWork();
        vpp.mainDispatcher().doWork();
        assertEquals(0, got.size(), "frames the descriptor did not announce are not read");
        signal(0);
        vpp.mainDispatcher().doWork();
        assertEquals(10, got.size(), "read once its descriptor turned readable");
        vpp.mainDispatcher().doWork();
        assertTrue(vpp.mainDispatcher().mayWait());
        port.pending = 3;
        signal(1);
        assertEquals(1, vpp.mainDispatcher().sleep(1_000_000_000L, () -> false), "woken by queue 1's descriptor");
        vpp.mainDispatcher().doWork();
        assertEquals(13, got.size());
        ok(vpp, "set interface rx-mode fake0 polling");
        vpp.mainDispatcher().doWork();
        assertFalse(vpp.mainDispatcher().mayWait(), "a polling queue keeps its thread awake");
    }

    @Test
    void shouldPollAnAdaptiveQueueWhileReadsBringManyFramesAndWaitOtherwise()
    {
        withDescriptors();
        final List<CaptureNode.Packet> got = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(false);
        ok(vpp, "set interface state fake0 up");
        ok(vpp, "set interface rx-mode fake0 adaptive");
        port.pending = RxMode.ADAPTIVE_POLL_FRAMES - 1;
        vpp.mainDispatcher().doWork();
        assertEquals(9, got.size(), "read at once: registering marks a queue ready");
        vpp.mainDispatcher().doWork();
        assertTrue(vpp.mainDispatcher().mayWait(), "a read of few frames leaves it waiting");
        port.pending = 30;
        signal(0);
        vpp.mainDispatcher().doWork();
        assertEquals(39, got.size());
        assertFalse(vpp.mainDispatcher().mayWait(), "a read of many frames makes it poll");
        port.pending = 3;
        vpp.mainDispatcher().doWork();
        assertEquals(42, got.size(), "polled: unannounced frames are read too");
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (!vpp.mainDispatcher().mayWait() && System.nanoTime() < deadline)
        {
            vpp.mainDispatcher().doWork();
        }
        assertTrue(vpp.mainDispatcher().mayWait(), "waits once quiet for " + RxMode.ADAPTIVE_IDLE_NANOS + " ns");
        port.pending = 4;
        vpp.mainDispatcher().doWork();
        assertEquals(42, got.size(), "waiting: unannounced frames stay");
        signal(0);
        vpp.mainDispatcher().doWork();
        assertEquals(46, got.size());
        assertTrue(vpp.mainDispatcher().mayWait());
    }

    @Test
    void shouldAllocateNothingInInterruptAndAdaptiveMode()
    {
        withDescriptors();
        CaptureNode.registerSink(vpp, PortInputNode.ETHERNET_INPUT);
        addInputNode(true);
        ok(vpp, "set interface state fake0 up");
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (com.sun.jna.Memory one = new com.sun.jna.Memory(8))
        {
            one.setLong(0, 1);
            for (final String mode : List.of("interrupt", "adaptive"))
            {
                ok(vpp, "set interface rx-mode fake0 " + mode);
                long allocated = 0;
                // The first rounds warm the JIT up (tens of KB, then a few hundred bytes); the last is steady state.
                for (int round = 0; round < 5; round++)
                {
                    final long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 10_000; i++)
                    {
                        port.pending = i % 2 == 0 ? 512 : 0;
                        LibC.write(port.fds[i & 1], com.sun.jna.Pointer.nativeValue(one), 8);
                        vpp.mainDispatcher().doWork();
                        if (vpp.mainDispatcher().mayWait())
                        {
                            vpp.mainDispatcher().sleep(0, () -> false);
                        }
                    }
                    allocated = mx.getCurrentThreadAllocatedBytes() - before;
                }
                assertTrue(allocated < 1024, mode + ": allocated " + allocated + " bytes over 10000 polls");
            }
        }
    }
}
