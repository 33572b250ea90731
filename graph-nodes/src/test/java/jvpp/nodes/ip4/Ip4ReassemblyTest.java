package jvpp.nodes.ip4;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static jvpp.nodes.ip4.Ip4RouterTest.HOST1_MAC;
import static jvpp.nodes.ip4.Ip4RouterTest.IF1_MAC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Dispatcher;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ip4-local-full-reassembly with crafted fragments of ICMP echo requests from 10.0.1.2 to the router's 10.0.1.1 on
 * if1 (IPv4 MTU 1500): fragments in order, out of order, duplicated, overlapping, too many, too large, malformed,
 * never completed (a hand-stepped clock), beyond the table; the reply to each whole datagram is checked byte for
 * byte (reassembled here from ip4-frag's fragments), every drop under its reason, and every buffer comes back.
 */
class Ip4ReassemblyTest
{
    private static final String HOST = "10.0.1.2";
    private static final String ROUTER = "10.0.1.1";
    private static final long MS = 1_000_000L;

    private Jvpp vpp;
    private CaptureInterface if1;
    private Ip4ReassemblyConfig config;
    private long now = 1_000_000_000L;
    private int walks;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        if1 = CaptureInterface.create(vpp, "if1", IF1_MAC);
        ok(vpp, "set interface ip address if1 10.0.1.1/24");
        ok(vpp, "set ip neighbor if1 10.0.1.2 02:00:00:00:01:02 static");
        ok(vpp, "set ip neighbor if1 10.0.1.3 02:00:00:00:01:03 static");
        ok(vpp, "set interface mtu ip4 1500 if1");
        config = vpp.service(Ip4ReassemblyConfig.class);
        config.clock(() -> now);
    }

    @AfterEach
    void close()
    {
        TestJvpp.drain(vpp);
        vpp.close();
    }

    private long error(final String node, final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(node, reason));
    }

    private long reass(final String reason)
    {
        return error(Ip4FullReassNode.NAME, reason);
    }

    private int waiting()
    {
        return Ip4FullReassNode.of(vpp.mainDispatcher()).heldBuffers();
    }

    /** An ICMP echo request (id 7, sequence {@code seq}) with {@code data} bytes of data: the datagram's payload. */
    private static byte[] echo(final int seq, final int data)
    {
        final byte[] p = Frames.echoRequest(7, seq, data);
        for (int i = 0; i < data; i++)
        {
            p[8 + i] = (byte)(i * 13 + seq);
        }
        final UnsafeBuffer b = new UnsafeBuffer(p);
        b.putShort(2, (short)0);
        b.putShort(2, (short)Ip4.checksum(b, 0, p.length), ByteOrder.BIG_ENDIAN);
        return p;
    }

    /** A frame from {@code src} to the router: bytes [from, from + length) of {@code payload}, IP id {@code id}. */
    private static byte[] fragment(final String src, final int id, final byte[] payload, final int from,
        final int length, final boolean more)
    {
        final byte[] f = Frames.ip4(IF1_MAC, HOST1_MAC, src, ROUTER, 64, 1, (more ? 0x2000 : 0) | from >>> 3,
            new byte[0], Arrays.copyOfRange(payload, from, from + length));
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(18, (short)id, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)0);
        b.putShort(24, (short)Ip4.checksum(b, 14, 20), ByteOrder.BIG_ENDIAN);
        return f;
    }

    private void send(final int id, final byte[] payload, final int from, final int length, final boolean more)
    {
        if1.receive(fragment(HOST, id, payload, from, length, more));
        TestJvpp.drain(vpp);
    }

    /** Send {@code payload} as fragments of {@code piece} bytes in the order {@code order} (fragment numbers). */
    private void sendInPieces(final int id, final byte[] payload, final int piece, final int... order)
    {
        final int count = (payload.length + piece - 1) / piece;
        for (final int k : order)
        {
            final int from = k * piece;
            send(id, payload, from, Math.min(piece, payload.length - from), k < count - 1);
        }
    }

    /** What if1 sent, one IPv4 datagram put back together from ip4-frag's fragments (header of the first). */
    private byte[] replyDatagram()
    {
        final List<byte[]> out = new ArrayList<>(if1.take());
        assertTrue(!out.isEmpty(), "a reply");
        out.sort(Comparator.comparingInt(f -> (word(f, 20) & 0x1fff)));
        final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < out.size(); i++)
        {
            final byte[] f = out.get(i);
            assertEquals(0, Ip4.checksum(new UnsafeBuffer(f), 14, 20), "header checksum of reply fragment " + i);
            assertEquals(data.size(), (word(f, 20) & 0x1fff) * 8, "reply fragment " + i + " follows on");
            assertEquals(i < out.size() - 1, (word(f, 20) & 0x2000) != 0, "MF on every reply fragment but the last");
            assertEquals(word(f, 16), f.length - 14, "total length of reply fragment " + i);
            data.write(f, 34, f.length - 34);
        }
        assertTrue(out.get(0).length <= 1514, "the reply left at the MTU");
        final byte[] header = Arrays.copyOfRange(out.get(0), 14, 34);
        final byte[] payload = data.toByteArray();
        final byte[] whole = new byte[20 + payload.length];
        System.arraycopy(header, 0, whole, 0, 20);
        System.arraycopy(payload, 0, whole, 20, payload.length);
        return whole;
    }

    private static int word(final byte[] f, final int at)
    {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }

    /** The reply to {@code request} (an echo request payload): the echo reply bytes a host expects back. */
    private void assertEchoReply(final byte[] request)
    {
        final byte[] ip = replyDatagram();
        assertEquals(Ip4.parse(ROUTER), new UnsafeBuffer(ip).getInt(12, ByteOrder.BIG_ENDIAN), "from the router");
        assertEquals(Ip4.parse(HOST), new UnsafeBuffer(ip).getInt(16, ByteOrder.BIG_ENDIAN), "to the host");
        assertEquals(1, ip[9], "ICMP");
        final byte[] icmp = Arrays.copyOfRange(ip, 20, ip.length);
        assertEquals(request.length, icmp.length, "the whole message comes back");
        assertEquals(0, icmp[0], "echo reply");
        assertEquals(0, Ip4.checksum(new UnsafeBuffer(icmp), 0, icmp.length), "ICMP checksum over the whole reply");
        final byte[] expected = request.clone();
        expected[0] = 0;
        expected[2] = icmp[2];
        expected[3] = icmp[3];
        assertArrayEquals(expected, icmp, "identifier, sequence and every data byte as sent");
    }

    /** Run the processes as if their timers were due (the expire walk among them), then the graph. */
    private void expireWalk()
    {
        walks++;
        vpp.processes().poll(System.nanoTime() + walks * 10_000 * MS);
        TestJvpp.drain(vpp);
    }

    private void assertAllBuffersBack()
    {
        TestJvpp.drain(vpp);
        assertEquals(0, waiting(), "no fragment waits");
        assertEquals(0, vpp.pool().used(), "every buffer back");
    }

    @Test
    void shouldAnswerAnEchoRequestSentInThreeFragmentsInOrder()
    {
        final byte[] request = echo(1, 2992);
        sendInPieces(0x100, request, 1000, 0, 1, 2);
        assertEchoReply(request);
        assertEquals(3, reass("fragments received"));
        assertEquals(1, reass("successful reassemblies"));
        assertEquals(3, reass("fragments reassembled"));
        assertEquals(1, error(Ip4LocalNode.NAME, "echo replies sent"));
        assertEquals(3, error(Ip4FragNode.NAME, "ip4 fragments sent"), "3020 bytes leave in three at MTU 1500");
        assertAllBuffersBack();
    }

    @Test
    void shouldAnswerWhateverOrderTheFragmentsComeIn()
    {
        final byte[] request = echo(2, 2992);
        sendInPieces(0x101, request, 1000, 2, 0, 1);
        assertEchoReply(request);
        sendInPieces(0x102, request, 1000, 1, 2, 0);
        assertEchoReply(request);
        assertEquals(2, reass("successful reassemblies"));
        assertAllBuffersBack();
    }

    @Test
    void shouldDropADuplicateAndStillAnswer()
    {
        final byte[] request = echo(3, 2992);
        sendInPieces(0x103, request, 1000, 0, 0, 2, 2, 1);
        assertEquals(2, reass("duplicate fragments"));
        assertEchoReply(request);
        assertAllBuffersBack();
    }

    @Test
    void shouldDropTheWholeDatagramOnAnOverlap()
    {
        final byte[] request = echo(4, 3000);
        send(0x104, request, 0, 1000, true);
        send(0x104, request, 992, 1000, true);
        assertEquals(2, reass("overlapping fragments (datagram dropped)"), "the held fragment and the overlapping one");
        assertEquals(0, waiting());
        // An overlap that covers a held fragment entirely, from before it.
        send(0x105, request, 1000, 1000, true);
        send(0x105, request, 0, 2008, true);
        assertEquals(4, reass("overlapping fragments (datagram dropped)"));
        assertTrue(if1.take().isEmpty(), "no reply");
        assertAllBuffersBack();
    }

    @Test
    void shouldDropADatagramOfMoreFragmentsThanTheLimitAndAnswerOnceTheLimitAllows()
    {
        final byte[] request = echo(5, 3192);
        sendInPieces(0x106, request, 800, 0, 1, 2, 3);
        assertEquals(4, reass("fragment chain too long (drop)"), "max-reassembly-length 3 by default, as VPP's");
        assertTrue(if1.take().isEmpty());
        ok(vpp, "set ip reassembly max-reassembly-length 4");
        sendInPieces(0x107, request, 800, 3, 2, 1, 0);
        assertEchoReply(request);
        assertAllBuffersBack();
    }

    @Test
    void shouldAnswerADatagramOf65535BytesAndDropOneThatWouldBeLarger()
    {
        ok(vpp, "set ip reassembly max-reassembly-length 64");
        final byte[] request = echo(6, 65_535 - 20 - 8);
        final int[] order = new int[(request.length + 1479) / 1480];
        for (int k = 0; k < order.length; k++)
        {
            order[k] = order.length - 1 - k;
        }
        sendInPieces(0x108, request, 1480, order);
        assertEchoReply(request);
        assertEquals(1, reass("successful reassemblies"));
        assertAllBuffersBack();
        // One more byte than fits, as a last fragment after the first: both dropped.
        final byte[] big = echo(7, 65_520);
        send(0x109, big, 0, 1480, true);
        send(0x109, big, 65_512, 16, false);
        assertEquals(2, reass("reassembly over 65535 bytes (datagram dropped)"));
        assertAllBuffersBack();
    }

    @Test
    void shouldDropMalformedFragments()
    {
        final byte[] request = echo(8, 3000);
        send(0x10a, request, 0, 1001, true);
        assertEquals(1, reass("malformed fragments"), "MF with data not a multiple of 8");
        send(0x10b, request, 0, 1000, true);
        send(0x10b, request, 2000, 1008, false);
        send(0x10b, request, 1000, 1000, false);
        assertEquals(4, reass("malformed fragments"), "a second last fragment, before the end: the datagram too");
        send(0x10c, request, 2000, 1008, false);
        send(0x10c, request, 1000, 2008, true);
        assertEquals(6, reass("malformed fragments"), "a fragment with MF ending at the end");
        assertTrue(if1.take().isEmpty());
        assertAllBuffersBack();
    }

    @Test
    void shouldDropADatagramThatNeverCompletesOnceItTimesOut()
    {
        final byte[] request = echo(9, 2992);
        sendInPieces(0x10d, request, 1000, 0, 2);
        assertEquals(2, waiting(), "two fragments wait");
        assertEquals(2, vpp.pool().used(), "in use, and named by show buffers");
        assertTrue(ok(vpp, "show buffers").contains("held by ip4-local-full-reassembly (fragments waiting): 2"),
            ok(vpp, "show buffers"));
        final String details = ok(vpp, "show ip4-full-reassembly details");
        assertTrue(details.contains("src: 10.0.1.2, dst: 10.0.1.1, frag_id: 269, proto: 1"), details);
        assertTrue(details.contains("range: [2000, 2999]"), details);
        assertTrue(details.contains("Current full IP4 reassemblies count: 1"), details);
        // Not yet: the expire walk leaves it alone.
        now += 200 * MS;
        expireWalk();
        assertEquals(2, waiting());
        now += 1 * MS;
        expireWalk();
        assertEquals(2, reass("fragments dropped due to reassembly timeout"));
        assertAllBuffersBack();
        assertTrue(ok(vpp, "show ip4-full-reassembly").contains("Current full IP4 reassemblies count: 0"));
    }

    @Test
    void shouldStartAfreshWhenAFragmentComesAfterTheTimeout()
    {
        final byte[] request = echo(10, 2992);
        sendInPieces(0x10e, request, 1000, 0, 1);
        now += 300 * MS;
        sendInPieces(0x10e, request, 1000, 2);
        assertEquals(2, reass("fragments dropped due to reassembly timeout"), "the old two, found late");
        sendInPieces(0x10e, request, 1000, 1, 0);
        assertEchoReply(request);
        assertAllBuffersBack();
    }

    @Test
    void shouldDropWhatFindsTheTableOrItsSourceFull()
    {
        ok(vpp, "set ip reassembly max-reassemblies 3 max-reassemblies-per-source 2");
        final byte[] request = echo(11, 3000);
        send(0x110, request, 0, 1000, true);
        send(0x111, request, 0, 1000, true);
        send(0x112, request, 0, 1000, true);
        assertEquals(1, reass("drops due to reassemblies per source limit"));
        if1.receive(fragment("10.0.1.3", 0x113, request, 0, 1000, true));
        if1.receive(fragment("10.0.1.3", 0x114, request, 0, 1000, true));
        TestJvpp.drain(vpp);
        assertEquals(1, reass("drops due to concurrent reassemblies limit"));
        // What is in the table still completes.
        send(0x110, request, 1000, 1000, true);
        send(0x110, request, 2000, 1008, false);
        assertEchoReply(request);
        now += 201 * MS;
        expireWalk();
        assertEquals(2, reass("fragments dropped due to reassembly timeout"));
        assertAllBuffersBack();
    }

    @Test
    void shouldGrowTheTableKeepingWhatWaits()
    {
        ok(vpp, "set ip reassembly max-reassemblies 2");
        final byte[] request = echo(12, 2992);
        send(0x120, request, 0, 1000, true);
        send(0x121, request, 2000, 1000, false);
        ok(vpp, "set ip reassembly max-reassemblies 4096");
        for (int id = 0x122; id < 0x122 + 100; id++)
        {
            send(id, request, 1000, 1000, true);
        }
        assertEquals(0, reass("drops due to concurrent reassemblies limit"));
        sendInPieces(0x120, request, 1000, 2, 1);
        assertEchoReply(request);
        sendInPieces(0x121, request, 1000, 0, 1);
        assertEchoReply(request);
        now += 201 * MS;
        expireWalk();
        assertEquals(100, reass("fragments dropped due to reassembly timeout"));
        assertAllBuffersBack();
    }

    @Test
    void shouldJoinAFragmentThatIsItselfABufferChain()
    {
        final byte[] request = echo(13, 5000);
        // The middle fragment carries 3000 bytes: more than a 2048-byte buffer, received as a chain of two.
        send(0x130, request, 0, 1000, true);
        final byte[] middle = fragment(HOST, 0x130, request, 1000, 3000, true);
        final BufferPool pool = vpp.pool();
        final var cache = vpp.mainDispatcher().buffers();
        final int head = cache.alloc();
        final int second = cache.alloc();
        pool.memory().putBytes(pool.start[head], middle, 0, 2000);
        pool.length[head] = 2000;
        pool.memory().putBytes(pool.start[second], middle, 2000, middle.length - 2000);
        pool.length[second] = middle.length - 2000;
        pool.append(head, head, second);
        pool.rxIf[head] = if1.swIfIndex();
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow("ethernet-input"), head);
        TestJvpp.drain(vpp);
        assertEquals(3, waiting(), "the chain's two buffers and the first fragment");
        send(0x130, request, 4000, 1008, false);
        assertEchoReply(request);
        assertAllBuffersBack();
    }

    @Test
    void shouldRefuseLimitsOutOfRange()
    {
        assertTrue(fails(vpp, "set ip reassembly").contains("expected timeout, max-reassemblies"));
        fails(vpp, "set ip reassembly max-reassembly-length 0");
        fails(vpp, "set ip reassembly timeout 0");
        fails(vpp, "set ip reassembly max-reassemblies 70000");
        ok(vpp, "set ip reassembly timeout 500 expire-walk-interval 20");
        final String show = ok(vpp, "show ip4-full-reassembly");
        assertTrue(show.contains("Maximum configured full IP4 reassembly timeout: 500ms"), show);
        assertTrue(show.contains("Maximum configured full IP4 reassembly expire walk interval: 20ms"), show);
        assertTrue(show.contains("Maximum configured amount of fragments per full IP4 reassembly: 3"), show);
        assertTrue(show.contains("Maximum configured concurrent full IP4 reassemblies per worker-thread: 1024"), show);
    }

    @Test
    void shouldAllocateNothingPerDatagramReassembled()
    {
        config.clock(System::nanoTime);
        // Echo replies: ip4-local takes them (nobody pings) and nothing leaves, so only reassembly is measured.
        final byte[] request = echo(14, 2500);
        request[0] = 0;
        request[2] = 0;
        request[3] = 0;
        new UnsafeBuffer(request).putShort(2, (short)Ip4.checksum(new UnsafeBuffer(request), 0, request.length),
            ByteOrder.BIG_ENDIAN);
        final byte[][] frames = new byte[3][];
        for (int k = 0; k < 3; k++)
        {
            frames[k] = fragment(HOST, 0x140, request, k * 1000, Math.min(1000, request.length - k * 1000), k < 2);
        }
        final Dispatcher d = vpp.mainDispatcher();
        final BufferPool pool = vpp.pool();
        final int ethernetInput = vpp.graph().indexOrThrow("ethernet-input");
        final var threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 4; run++)
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int k = 0; k < 2000; k++)
            {
                for (int i = 0; i < 30; i++)
                {
                    final byte[] f = frames[i % 3];
                    final int bi = d.buffers().alloc();
                    pool.memory().putBytes(pool.start[bi], f);
                    pool.length[bi] = f.length;
                    pool.rxIf[bi] = if1.swIfIndex();
                    d.inject(ethernetInput, bi);
                }
                while (d.doWork() > 0)
                {
                    // drain
                }
            }
            least = Math.min(least, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertTrue(least <= 1024, "bytes allocated reassembling 20 000 datagrams: " + least);
        assertEquals(4 * 20_000, reass("successful reassemblies"));
        assertEquals(4 * 20_000, error(Ip4LocalNode.NAME, "echo replies received"), "every checksum verified");
        assertAllBuffersBack();
    }
}
