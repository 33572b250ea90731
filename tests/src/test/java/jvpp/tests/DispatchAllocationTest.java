package jvpp.tests;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Icmp4Flyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.testing.TestJvpp;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the hot-path rule: the dispatch loop allocates nothing per packet in steady state. Counts the
 * bytes this thread allocates (ThreadMXBean) across two million packets after a warm-up.
 */
class DispatchAllocationTest
{
    private static final long PACKETS = 2_000_000;
    private Jvpp vpp;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(8192);
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean())
            .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Warm up, then run until {@code PACKETS} more have left pg-input; returns bytes allocated meanwhile. */
    private long allocatedWhileRunning()
    {
        final Dispatcher d = vpp.mainDispatcher();
        final var pg = d.node("pg-input");
        while (pg.vectors() < 500_000)
        {
            d.doWork();
        }
        final long target = pg.vectors() + PACKETS;
        final long before = allocatedBytes();
        while (pg.vectors() < target)
        {
            d.doWork();
        }
        final long after = allocatedBytes();
        // The probe allocates a little itself (~800 bytes here): measure it and take it out.
        final long probe = allocatedBytes() - after;
        return Math.max(0, after - before - probe);
    }

    /**
     * A single 16-byte allocation per packet would show as 32 MB here; what remains after taking out
     * the probe is once-per-run noise (a TLAB retire, a JIT deoptimisation), well under a byte per 1000 packets.
     */
    private static void assertNoPerPacketAllocation(final long bytes)
    {
        System.out.printf("allocated %d bytes over %d packets: %.6f bytes/packet%n", bytes, PACKETS, (double)bytes / PACKETS);
        assertTrue(bytes <= 1024, "bytes allocated over " + PACKETS + " packets: " + bytes);
    }

    @Test
    void shouldAllocateNothingPerPacketFromPacketGeneratorToNullInterface()
    {
        ok(vpp, "create null interface");
        ok(vpp, "set interface state null0 up");
        ok(vpp, "packet-generator new { name s0 limit 0 size 64-64 tx-interface null0 node interface-output data { "
            + "IP4: 1.2.3 -> 4.5.6 UDP: 10.0.0.1 - 10.0.0.200 -> 10.0.1.1 UDP: 1234 -> 2345 incrementing 22 } }");
        ok(vpp, "packet-generator enable-stream s0");
        final long bytes = allocatedWhileRunning();
        assertNoPerPacketAllocation(bytes);
        ok(vpp, "packet-generator disable-stream");
        TestJvpp.drain(vpp);
        assertEquals(0, vpp.pool().used(), "every buffer back after drain");
        assertTrue(ok(vpp, "show interface null0").contains("tx packets"));
    }

    /** loop0 (198.18.0.1/24) routes 203.0.113.0/24 to a neighbour on null0; pg sends {@code size}-byte frames. */
    private void routeFromLoopbackToNull(final int size)
    {
        ok(vpp, "create loopback interface");
        ok(vpp, "set interface ip address loop0 198.18.0.1/24");
        ok(vpp, "set interface state loop0 up");
        ok(vpp, "create null interface");
        ok(vpp, "set interface ip address null0 198.19.0.1/24");
        ok(vpp, "set ip neighbor null0 198.19.0.2 02:fe:00:00:00:99 static");
        ok(vpp, "set interface state null0 up");
        ok(vpp, "ip route add 203.0.113.0/24 via 198.19.0.2");
        ok(vpp, "ip route add 16.0.0.0/4 via 198.19.0.2 null0");
        ok(vpp, "packet-generator new { name s0 limit 0 size " + size + "-" + size + " interface loop0 node ethernet-input "
            + "data { IP4: 1.2.3 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> 203.0.113.1 - 203.0.113.200 UDP: 1234 -> 2345 "
            + "incrementing " + (size - 42) + " } }");
    }

    @Test
    void shouldAllocateNothingPerPacketThroughTheIp4ForwardingPath()
    {
        routeFromLoopbackToNull(64);
        ok(vpp, "packet-generator enable-stream s0");
        final long bytes = allocatedWhileRunning();
        assertNoPerPacketAllocation(bytes);
        ok(vpp, "packet-generator disable-stream");
        TestJvpp.drain(vpp);
        assertEquals(0, vpp.pool().used());
        assertTrue(ok(vpp, "show interface null0").contains("tx packets"));
        assertTrue(vpp.mainDispatcher().node("ip4-rewrite").vectors() > PACKETS, "the packets were routed");
    }

    /** ip4-frag: each 1400-byte frame leaves null0 (IPv4 MTU 576) as three fragments in buffers from the cache. */
    @Test
    void shouldAllocateNothingPerPacketWhenFragmenting()
    {
        routeFromLoopbackToNull(1400);
        ok(vpp, "set interface mtu ip4 576 null0");
        ok(vpp, "packet-generator enable-stream s0");
        final long bytes = allocatedWhileRunning();
        assertNoPerPacketAllocation(bytes);
        ok(vpp, "packet-generator disable-stream");
        TestJvpp.drain(vpp);
        assertEquals(0, vpp.pool().used());
        final long fragmented = vpp.mainDispatcher().errorCount(vpp.graph().errorIndex("ip4-frag", "ip4 packets fragmented"));
        final long sent = vpp.mainDispatcher().errorCount(vpp.graph().errorIndex("ip4-frag", "ip4 fragments sent"));
        assertTrue(fragmented > PACKETS, "the packets were fragmented: " + fragmented);
        assertEquals(3 * fragmented, sent, "three fragments each");
    }

    @Test
    void shouldAllocateNothingPerPacketThroughEthernetInputAndErrorDrop()
    {
        ok(vpp, "create loopback interface");
        ok(vpp, "packet-generator new { name s0 limit 0 size 60-124 interface loop0 node ethernet-input data { "
            + "IP4: 1.2.3 -> 4.5.6 UDP: 10.0.0.1 -> 10.0.1.1 - 10.0.1.9 UDP: 1234 -> 2345 incrementing 22 } }");
        ok(vpp, "packet-generator enable-stream s0");
        final long bytes = allocatedWhileRunning();
        assertNoPerPacketAllocation(bytes);
        ok(vpp, "packet-generator disable-stream");
        TestJvpp.drain(vpp);
        assertEquals(0, vpp.pool().used());
    }

    /**
     * ip4-local-full-reassembly: 1400-byte ICMP echo replies to loop0's own 198.18.0.1 in three fragments each (own IP
     * id per datagram), written into buffers and injected into ethernet-input on this thread (pg makes no fragments);
     * ip4-local takes each reassembled reply. Two million fragments after a warm-up, the feeder's loop included.
     */
    @Test
    void shouldAllocateNothingPerFragmentReassembled()
    {
        ok(vpp, "create loopback interface");
        ok(vpp, "set interface ip address loop0 198.18.0.1/24");
        ok(vpp, "set interface state loop0 up");
        final Dispatcher d = vpp.mainDispatcher();
        final UnsafeBuffer[] frames = echoReplyFragments(
            vpp.interfaces().get("loop0").mac(), new int[] {552, 552, 276});
        final int ethernetInput = vpp.graph().indexOrThrow("ethernet-input");
        final int rxIf = vpp.interfaces().get("loop0").swIfIndex();
        final int reassembled = vpp.graph().errorIndex("ip4-local-full-reassembly", "successful reassemblies");
        final int[] id = {0};
        final Runnable feed = () -> {
            for (int n = 0; n < 64; n++)
            {
                id[0] = (id[0] + 1) & 0xffff;
                for (final UnsafeBuffer f : frames)
                {
                    final int bi = d.buffers().alloc();
                    final int at = vpp.pool().start[bi];
                    vpp.pool().memory().putBytes(at, f, 0, f.capacity());
                    Ip4Flyweight.id(vpp.pool().memory(), at + 14, id[0]);
                    Ip4Flyweight.fillChecksum(vpp.pool().memory(), at + 14, 20);
                    vpp.pool().length[bi] = f.capacity();
                    vpp.pool().rxIf[bi] = rxIf;
                    d.inject(ethernetInput, bi);
                }
            }
            TestJvpp.drain(vpp);
        };
        while (d.errorCount(reassembled) < 200_000)
        {
            feed.run();
        }
        final long target = d.errorCount(reassembled) + PACKETS / 3;
        final long before = allocatedBytes();
        while (d.errorCount(reassembled) < target)
        {
            feed.run();
        }
        final long after = allocatedBytes();
        assertNoPerPacketAllocation(Math.max(0, after - before - (allocatedBytes() - after)));
        assertEquals(0, vpp.pool().used(), "every fragment reassembled and every datagram freed");
        assertEquals(d.errorCount(reassembled), d.errorCount(vpp.graph().errorIndex("ip4-local", "echo replies received")));
    }

    /** Ethernet frames for {@code mac}: a 1400-byte echo reply 198.18.0.2 → 198.18.0.1 cut into {@code pieces}. */
    private static UnsafeBuffer[] echoReplyFragments(final long mac, final int[] pieces)
    {
        final int total = 20;
        int payload = 0;
        for (final int p : pieces)
        {
            payload += p;
        }
        final UnsafeBuffer ip = new UnsafeBuffer(new byte[total + payload]);
        for (int i = 28; i < total + payload; i++)
        {
            ip.putByte(i, (byte)(i * 7 + 3));
        }
        Icmp4Flyweight.writeHeader(ip, 20, Icmp4Flyweight.TYPE_ECHO_REPLY, 0, 0x0007_0001);
        Icmp4Flyweight.fillChecksum(ip, 20, payload);
        new Ip4Flyweight().wrap(ip, 0).writeHeader(total + payload, 64, Ip4.PROTO_ICMP,
            Ip4.parse("198.18.0.2"), Ip4.parse("198.18.0.1"));
        final UnsafeBuffer[] out = new UnsafeBuffer[pieces.length];
        int offset = 0;
        for (int k = 0; k < pieces.length; k++)
        {
            final UnsafeBuffer f = new UnsafeBuffer(new byte[34 + pieces[k]]);
            new EthernetFlyweight().wrap(f, 0).dst(mac).src(0x0200_0000_0001L).type(EthernetFlyweight.TYPE_IP4);
            f.putBytes(14, ip, 0, 20);
            f.putBytes(34, ip, 20 + offset, pieces[k]);
            Ip4Flyweight.totalLength(f, 14, 20 + pieces[k]);
            Ip4Flyweight.flagsFragment(f, 14,
                (k < pieces.length - 1 ? Ip4Flyweight.FLAG_MF : 0) | offset >>> 3);
            offset += pieces[k];
            out[k] = f;
        }
        return out;
    }

    /**
     * The idle path of interrupt and adaptive mode allocates nothing either: a main thread with nothing to poll
     * loops, sleeps in its epoll waiter and is woken by another thread's eventfd writes, 20 000 times.
     */
    @Test
    void shouldAllocateNothingWhileAThreadSleepsAndIsWoken() throws Exception
    {
        final Dispatcher d = vpp.mainDispatcher();
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final Thread waker = new Thread(() -> {
            while (!done.get())
            {
                d.waiter().wakeIfSleeping();
                Thread.onSpinWait();
            }
        });
        waker.start();
        try
        {
            long bytes = 0;
            for (int round = 0; round < 3; round++)
            {
                final long before = allocatedBytes();
                for (int i = 0; i < 20_000; i++)
                {
                    d.doWork();
                    assertTrue(d.mayWait(), "nothing polls here");
                    d.sleep(jvpp.core.thread.Waiter.SLEEP_MAX_NANOS, () -> false);
                }
                final long after = allocatedBytes();
                bytes = Math.max(0, after - before - (allocatedBytes() - after));   // the probe's own bytes out
            }
            System.out.printf("allocated %d bytes over 20000 sleeps%n", bytes);
            assertTrue(bytes <= 1024, "bytes allocated over 20000 sleeps: " + bytes);
            assertTrue(d.waiter().wakeups() > 0, "woken by the other thread");
        }
        finally
        {
            done.set(true);
            waker.join();
        }
    }

    /**
     * The tap path allocates nothing either, on full polls and on empty ones: two taps routed by jvpp on this thread,
     * their host ends in two namespaces, a flood ping from one to the other (each packet: tap-input, the ip4 path and
     * tap-output, both ways), and between packets the empty polls that once took and gave back a 33-buffer stash each.
     * Afterwards the used buffers are exactly the rx stashes ({@code tap rx stashes}), and deleting the taps gives them back.
     */
    @Test
    @jvpp.core.testing.RequiresRoot("/dev/net/tun and network namespaces")
    void shouldAllocateNothingPerPacketThroughTwoTapsNorOnEmptyPolls()
    {
        try (jvpp.core.testing.HostNet net = new jvpp.core.testing.HostNet())
        {
            final jvpp.pmd.tap.TapPorts taps = vpp.service(jvpp.pmd.tap.TapPorts.class);
            final String[] ns = {net.namespace("da"), net.namespace("db")};
            final String[] subnet = {net.subnet(), net.subnet()};
            final jvpp.core.iface.Interface[] ifc = new jvpp.core.iface.Interface[2];
            for (int i = 0; i < 2; i++)
            {
                final String host = net.name("dt" + i);
                ifc[i] = taps.create("tap" + i, host, 1, 0x02fe_0000_0a01L + (i << 8));
                jvpp.core.testing.HostNet.run("ip", "link", "set", host, "netns", ns[i]);
                jvpp.core.testing.HostNet.runIn(ns[i], "ip", "addr", "add", subnet[i] + "1/24", "dev", host);
                jvpp.core.testing.HostNet.runIn(ns[i], "ip", "link", "set", host, "up");
                jvpp.core.testing.HostNet.runIn(ns[i], "ip", "route", "add", "default", "via", subnet[i] + "254");
                ok(vpp, "set interface ip address tap" + i + " " + subnet[i] + "254/24");
                ok(vpp, "set interface state tap" + i + " up");
                ok(vpp, "set interface rx-mode tap" + i + " polling");
                // Static: ARP learning is ip4-neighbor's, a process, and this test runs only the dispatcher.
                final String mac = jvpp.core.testing.HostNet.runIn(ns[i], "cat", "/sys/class/net/" + host + "/address").trim();
                ok(vpp, "set ip neighbor tap" + i + " " + subnet[i] + "1 " + mac + " static");
            }
            net.start("ip", "netns", "exec", ns[0], "ping", "-f", "-l", "8", "-q", "-w", "120", subnet[1] + "1");
            final Dispatcher d = vpp.mainDispatcher();
            d.doWork();     // takes the graph's new nodes in
            final var tapInput = d.node("tap-input");
            assertTrue(tapInput != null && tapInput.polling(), "tap-input polls on main");
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
            while (tapInput.vectors() < 100_000 && System.nanoTime() < deadline)
            {
                d.doWork();
            }
            // Three rounds, the last one counts: the first ones may still see the JIT settle (a deoptimisation).
            final long packets = 100_000;
            long bytes = 0;
            long received = 0;
            long polls = 0;
            for (int round = 0; round < 3; round++)
            {
                final long target = tapInput.vectors() + packets;
                final long calls = tapInput.calls();
                final long before = allocatedBytes();
                while (tapInput.vectors() < target && System.nanoTime() < deadline)
                {
                    d.doWork();
                }
                final long after = allocatedBytes();
                bytes = Math.max(0, after - before - (allocatedBytes() - after));
                received = tapInput.vectors() - target + packets;
                polls = tapInput.calls() - calls;
                System.out.printf("allocated %d bytes over %d tap packets and %d polls%n", bytes, received, polls);
            }
            assertTrue(received >= packets, "the flood ping came through: " + received + " packets\n"
                + vpp.execute("show runtime").output());
            assertTrue(polls > received / 8, "polls between the packets, empty ones among them: " + polls);
            assertTrue(bytes <= 1024, "bytes allocated over " + received + " tap packets: " + bytes);

            net.close();      // the flood stops
            TestJvpp.drain(vpp);
            d.buffers().flush();
            final long held = vpp.pool().holders().stream().filter(h -> h.name().equals("tap rx stashes"))
                .mapToLong(h -> h.count().getAsLong()).sum();
            assertEquals(held, vpp.pool().used(), "only the rx stashes hold buffers");
            taps.delete(ifc[0]);
            taps.delete(ifc[1]);
            d.buffers().flush();
            assertEquals(0, vpp.pool().used(), "every buffer back once the taps are gone");
        }
    }
}
