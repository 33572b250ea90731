package jvpp.pmd.dpdk;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.Interface;
import jvpp.core.testing.Commands;
import jvpp.core.testing.TestJvpp;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.testing.CaptureNode;
import jvpp.pmd.testing.RequiresDpdk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DPDK ports against virtual devices (no NIC, no hugepages). The EAL initialises once per process and the
 * mbuf pool is bound to one arena, so the whole class shares one jvpp instance and one EAL; each test creates
 * and deletes its own devices. Skipped when the shim was not built (no libdpdk-dev).
 */
@RequiresDpdk
class DpdkPortTest
{
    private static Jvpp vpp;
    private static DpdkPorts dpdk;
    private static BufferPool pool;
    private static List<CaptureNode.Packet> captured;
    private BufferCache cache;
    private Interface ifc;

    @BeforeAll
    static void initEal()
    {
        vpp = TestJvpp.create(16384);
        pool = vpp.pool();
        captured = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
        dpdk = DpdkPorts.init(vpp, List.of("--no-pci", "--no-huge", "-m", "256", "--no-shconf",
            "--file-prefix=jvpp-test-" + ProcessHandle.current().pid(), "-l", "0", "--no-telemetry",
            "--log-level=lib.eal:error", "--vdev=net_ring0"));
    }

    @AfterAll
    static void closeJvpp()
    {
        if (vpp != null)
        {
            vpp.close();
        }
    }

    @BeforeEach
    void setUp()
    {
        cache = pool.newCache("test");
    }

    @AfterEach
    void tearDown()
    {
        if (ifc != null)
        {
            dpdk.delete(ifc);
        }
        cache.close();
        vpp.mainDispatcher().buffers().flush();
        assertEquals(0, dpdk.ownedBuffers(), "a deleted port gives its buffers back");
        assertEquals(0, pool.used(), "every buffer is back on the free list");
    }

    private DpdkPort create(final String devargs, final String name)
    {
        ifc = dpdk.create(devargs, name);
        return dpdk.port(ifc);
    }

    /** n frames of distinct lengths and contents, allocated from the test cache. */
    private int[] craft(final int n, final int seed)
    {
        final int[] b = new int[n];
        assertEquals(n, cache.alloc(b, 0, n));
        for (int i = 0; i < n; i++)
        {
            final int len = 60 + (i * 7 + seed) % 1400;
            pool.length[b[i]] = len;
            for (int k = 0; k < len; k++)
            {
                pool.memory().putByte(pool.start[b[i]] + k, (byte)(k * 31 + i + seed));
            }
        }
        return b;
    }

    private byte[] bytes(final int bi)
    {
        final byte[] out = new byte[pool.length[bi]];
        pool.memory().getBytes(pool.start[bi], out);
        return out;
    }

    @Test
    void shouldReceiveWhatWasSentWhenLoopedThroughNetRing()
    {
        final DpdkPort port = create("net_ring0", "dpdk-ring0");
        assertEquals("net_ring", port.dpdkDriver());
        final int before = pool.used();
        final int[] sent = craft(64, 3);
        final byte[][] expected = new byte[64][];
        for (int i = 0; i < 64; i++)
        {
            expected[i] = bytes(sent[i]);
        }
        assertEquals(64, port.txBurst(0, cache, sent, 0, 64));
        final int[] got = new int[256];
        final int n = port.rxBurst(0, cache, got, 0, 256);
        assertEquals(64, n);
        for (int i = 0; i < n; i++)
        {
            assertTrue(Arrays.equals(expected[i], bytes(got[i])), "packet " + i + " comes back byte for byte");
        }
        if (dpdk.zeroCopy())
        {
            // The ring hands back the very mbufs that were sent: the buffers themselves, no copy.
            assertTrue(Arrays.equals(Arrays.copyOf(sent, 64), Arrays.copyOf(got, 64)), "zero-copy: same buffers back");
        }
        cache.free(got, 0, n);
        assertEquals(0, port.rxBurst(0, cache, got, 0, 256), "the ring is empty");
        // pool.used() also counts the port's rx stash (jvpp buffers set aside to replace received mbufs).
        assertEquals(before + port.heldBuffers(), pool.used(), "no buffer leaked");
        assertEquals(dpdk.ownedBuffers(), pool.used(), "what is in use is DPDK's");
        final long[] stats = port.stats();
        assertEquals(64, stats[1], "opackets");
        assertEquals(64, stats[0], "ipackets");
    }

    /**
     * net_ring says any length (max_rx_pktlen all ones, max_mtu 65535), but rx takes one buffer per frame: the port's
     * max MTU is what a buffer holds, and the interface's MTU (9000 by default) comes down to it.
     */
    @Test
    void shouldAdvertiseNoMoreMtuThanOneBufferReceives()
    {
        final DpdkPort port = create("net_ring0", "dpdk-ring0");
        final int oneBuffer = pool.arena().dataSize() - 14;
        assertEquals(oneBuffer, port.maxMtu());
        assertEquals(oneBuffer, ifc.maxMtu());
        assertEquals(oneBuffer, ifc.l3Mtu(), "an MTU it cannot receive is not advertised");
    }

    @Test
    void shouldLeaveRefusedBuffersWithTheCallerAndLeakNothingWhenTheRingIsFull()
    {
        final DpdkPort port = create("net_ring0", "dpdk-ring0");
        final int[] bufs = new int[256];
        int refused = 0;
        int taken = 0;
        for (int round = 0; round < 6; round++)
        {
            final int[] b = craft(256, round);
            final int sent = port.txBurst(0, cache, b, 0, 256);
            taken += sent;
            refused += 256 - sent;
            cache.free(b, sent, 256 - sent);
        }
        assertTrue(refused > 0, "net_ring's ring (1024) refuses part of 1536 packets");
        int received = 0;
        int n;
        while ((n = port.rxBurst(0, cache, bufs, 0, 256)) > 0)
        {
            received += n;
            cache.free(bufs, 0, n);
        }
        assertEquals(taken, received);
        cache.flush();
        assertEquals(dpdk.ownedBuffers(), pool.used(), "only DPDK's reserve and stash are in use");
    }

    @Test
    void shouldHandPacketsToEthernetInputThroughDpdkInputWhenAdminUp()
    {
        final DpdkPort port = create("net_ring0", "dpdk-ring0");
        captured.clear();
        final int[] b = craft(10, 7);
        assertEquals(10, port.txBurst(0, cache, b, 0, 10));
        TestJvpp.drain(vpp);
        assertEquals(0, captured.size(), "an admin-down interface is not polled");
        ok(vpp, "set interface state dpdk-ring0 up");
        TestJvpp.drain(vpp);
        assertEquals(10, captured.size());
        assertTrue(captured.stream().allMatch(p -> p.rxIf() == ifc.swIfIndex()));
        assertTrue(ok(vpp, "show hardware-interfaces").contains("DPDK port"));
        assertTrue(ok(vpp, "show runtime").contains(DpdkPorts.DPDK_INPUT));
    }

    @Test
    void shouldAllocateNothingPerBurstWhenLooping()
    {
        final DpdkPort port = create("net_ring0", "dpdk-ring0");
        final int[] b = craft(32, 1);
        final int[] got = new int[256];
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long tid = Thread.currentThread().getId();
        long allocated = 0;
        for (int round = 0; round < 2; round++)
        {
            final long a0 = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20_000; i++)
            {
                final int sent = port.txBurst(0, cache, b, 0, 32);
                final int n = port.rxBurst(0, cache, got, 0, 256);
                System.arraycopy(got, 0, b, 0, n);
                assertEquals(32, sent + 0 * n);
            }
            allocated = mx.getThreadAllocatedBytes(tid) - a0;
        }
        cache.free(b, 0, 32);
        assertTrue(allocated < 1024, "steady-state rx/tx allocated " + allocated + " bytes");
    }

    @Test
    void shouldLoopThroughNetRingInTheCopyingModeWhenZeroCopyIsOff() throws Exception
    {
        final String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Commands.Result r = Commands.run(60, javaBin, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), CopyModeMain.class.getName());
        assertFalse(r.timedOut(), r.output());
        assertEquals(0, r.status(), r.output());
        assertTrue(r.stdout().contains("OK"), r.output());
    }

    @Test
    void shouldGiveAClearErrorWhenTheDeviceCannotBeProbed()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> dpdk.create("net_bogus0", "bogus0"));
        assertTrue(ex.getMessage().contains("cannot probe DPDK device `net_bogus0'"), ex.getMessage());
        assertEquals(null, vpp.interfaces().get("bogus0"));
    }

    @Test
    void shouldRefuseADeviceInUseWhenCreatedTwice()
    {
        create("net_ring0", "dpdk-ring0");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> dpdk.create("net_ring0", "dpdk-ring0b"));
        assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
    }

    @Test
    void shouldForwardBetweenNullDevicesWhenMeasured()
    {
        final DpdkPort port = create("net_null0", "dpdk-null0");
        final int[] bufs = new int[256];
        final int bursts = 200_000;
        long packets = 0;
        final long t0 = System.nanoTime();
        for (int i = 0; i < bursts; i++)
        {
            final int n = port.rxBurst(0, cache, bufs, 0, 32);
            final int sent = port.txBurst(0, cache, bufs, 0, n);
            cache.free(bufs, sent, n - sent);
            packets += sent;
        }
        final long ns = System.nanoTime() - t0;
        System.out.printf("dpdk net_null rx+tx: %d packets in bursts of 32, %.1f Mpps, %.0f ns per rx+tx burst pair (%s)%n",
            packets, packets * 1e3 / ns, (double)ns / bursts, dpdk.modeReason());
        assertEquals(32L * bursts, packets);
    }

    @Test
    void shouldCostLittlePerBurstWhenPollingAnEmptyRing()
    {
        final DpdkPort port = create("net_ring0", "dpdk-ring0");
        final int[] bufs = new int[256];
        for (int i = 0; i < 100_000; i++)
        {
            port.rxBurst(0, cache, bufs, 0, 256);
        }
        final int calls = 1_000_000;
        final long t0 = System.nanoTime();
        int got = 0;
        for (int i = 0; i < calls; i++)
        {
            got += port.rxBurst(0, cache, bufs, 0, 256);
        }
        final long ns = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        for (int i = 0; i < calls; i++)
        {
            got += DpdkLib.jvpp_pool_avail() == Integer.MIN_VALUE ? 1 : 0;
        }
        final long bare = System.nanoTime() - t1;
        t1 = System.nanoTime();
        for (int i = 0; i < calls; i++)
        {
            // max 0: returns before rte_eth_rx_burst, so this is JNA's cost for the burst call's six arguments
            got += DpdkLib.jvpp_rx_burst(port.portId(), 0, 0L, 0, 0L, 0);
        }
        final long sixArgs = System.nanoTime() - t1;
        try (com.sun.jna.Memory ctx = new com.sun.jna.Memory(32))
        {
            ctx.clear();
            final long addr = com.sun.jna.Pointer.nativeValue(ctx);
            t1 = System.nanoTime();
            for (int i = 0; i < calls; i++)
            {
                got += DpdkLib.jvpp_rx_ctx(addr);
            }
        }
        final long oneArg = System.nanoTime() - t1;
        System.out.printf("dpdk empty rx_burst (net_ring, Port.rxBurst incl. JNA): %.1f ns per call over %d calls; "
            + "JNA direct call alone: %.1f ns without arguments, %.1f ns with one (the context), %.1f ns with six%n",
            (double)ns / calls, calls, (double)bare / calls, (double)oneArg / calls, (double)sixArgs / calls);
        assertEquals(0, got);
    }
}
