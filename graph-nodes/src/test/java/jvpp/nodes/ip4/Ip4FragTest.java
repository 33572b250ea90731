package jvpp.nodes.ip4;

import static jvpp.core.testing.TestJvpp.ok;
import static jvpp.nodes.ip4.Ip4RouterTest.HOST1_MAC;
import static jvpp.nodes.ip4.Ip4RouterTest.HOST2_MAC;
import static jvpp.nodes.ip4.Ip4RouterTest.IF1_MAC;
import static jvpp.nodes.ip4.Ip4RouterTest.IF2_MAC;
import static jvpp.nodes.testing.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ip4-frag with crafted frames in and golden bytes out: 10.0.1.2 on if1 sends to 10.0.2.2 on if2, whose IPv4 MTU
 * is 100 (a fragment carries at most 80 bytes of data behind a 20-byte header). Each expected fragment is built
 * here field by field, and the fields that make it a fragment (total length, flags and offset) are also
 * checked against literal values.
 */
class Ip4FragTest
{
    private static final int ID = 0x1234;
    private Jvpp vpp;
    private CaptureInterface if1;
    private CaptureInterface if2;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        if1 = CaptureInterface.create(vpp, "if1", IF1_MAC);
        if2 = CaptureInterface.create(vpp, "if2", IF2_MAC);
        ok(vpp, "set interface ip address if1 10.0.1.1/24");
        ok(vpp, "set interface ip address if2 10.0.2.1/24");
        ok(vpp, "set ip neighbor if1 10.0.1.2 02:00:00:00:01:02 static");
        ok(vpp, "set ip neighbor if2 10.0.2.2 02:00:00:00:02:02 static");
        ok(vpp, "set interface mtu ip4 100 if2");
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private long error(final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(Ip4FragNode.NAME, reason));
    }

    private static byte[] data(final int bytes)
    {
        final byte[] d = new byte[bytes];
        for (int i = 0; i < bytes; i++)
        {
            d[i] = (byte)(i * 7 + 3);
        }
        return d;
    }

    /** Ethernet + IPv4 (10.0.1.2 → 10.0.2.2, UDP, id 0x1234) with {@code options} and {@code data[from..+length)}. */
    private static byte[] frame(final long dstMac, final long srcMac, final int ttl, final int flagsFragment,
        final byte[] options, final byte[] data, final int from, final int length)
    {
        return Frames.ip4(dstMac, srcMac, "10.0.1.2", "10.0.2.2", ttl, 17, flagsFragment, options,
            Arrays.copyOfRange(data, from, from + length));
    }

    private static byte[] received(final int flagsFragment, final byte[] options, final byte[] data)
    {
        return frame(IF1_MAC, HOST1_MAC, 64, flagsFragment, options, data, 0, data.length);
    }

    private static byte[] fragment(final int flagsFragment, final byte[] options, final byte[] data, final int from,
        final int length)
    {
        return frame(HOST2_MAC, IF2_MAC, 63, flagsFragment, options, data, from, length);
    }

    private static int word(final byte[] f, final int at)
    {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }

    private void assertFragments(final List<byte[]> expected, final List<byte[]> out)
    {
        assertEquals(expected.size(), out.size(), "fragments");
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(hex(expected.get(i)), hex(out.get(i)), "fragment " + i);
            final int hl = (out.get(i)[14] & 0xf) * 4;
            assertEquals(0, Ip4.checksum(new UnsafeBuffer(out.get(i)), 14, hl), "header checksum of fragment " + i);
        }
        assertEquals(0, vpp.pool().used(), "every buffer back");
    }

    @Test
    void shouldFragmentANonDfPacketWithOffsetsInEightByteUnitsAndMfOnAllButTheLast()
    {
        final byte[] none = new byte[0];
        final byte[] d = data(250);
        if1.receive(received(0, none, d));
        TestJvpp.drain(vpp);
        final List<byte[]> out = if2.take();
        assertFragments(List.of(fragment(0x2000, none, d, 0, 80), fragment(0x2000 | 10, none, d, 80, 80),
            fragment(0x2000 | 20, none, d, 160, 80), fragment(30, none, d, 240, 10)), out);
        final int[] lengths = {100, 100, 100, 30};
        final int[] flags = {0x2000, 0x200a, 0x2014, 0x001e};
        for (int i = 0; i < 4; i++)
        {
            assertEquals(lengths[i], word(out.get(i), 16), "total length of fragment " + i);
            assertEquals(flags[i], word(out.get(i), 20), "flags and offset of fragment " + i);
            assertEquals(ID, word(out.get(i), 18), "every fragment keeps the id");
        }
        assertEquals(1, error("ip4 packets fragmented"));
        assertEquals(4, error("ip4 fragments sent"));
        assertEquals(1, vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(Ip4RewriteNode.NAME,
            "ip4 MTU exceeded (to ip4-frag)")));
    }

    @Test
    void shouldSendAPacketOfExactlyTheMtuWhole()
    {
        final byte[] d = data(80);
        if1.receive(received(0, new byte[0], d));
        TestJvpp.drain(vpp);
        assertFragments(List.of(fragment(0, new byte[0], d, 0, 80)), if2.take());
        assertEquals(0, error("ip4 packets fragmented"));
    }

    @Test
    void shouldKeepEveryOptionInTheFirstFragmentAndOnlyTheCopiedOnesInTheOthers()
    {
        // NOP; record route (7, not copied) with room for one address; a copied option 0x94 (router alert), 4 bytes.
        final byte[] options = {1, 7, 7, 4, 0, 0, 0, 0, (byte)0x94, 4, 0, 0};
        final byte[] copied = {(byte)0x94, 4, 0, 0};
        final byte[] d = data(200);
        if1.receive(received(0, options, d));
        TestJvpp.drain(vpp);
        // First: 32-byte header, (100 - 32) & ~7 = 64 bytes; then 24-byte headers with (100 - 24) & ~7 = 72.
        final List<byte[]> out = if2.take();
        assertFragments(List.of(fragment(0x2000, options, d, 0, 64), fragment(0x2000 | 8, copied, d, 64, 72),
            fragment(17, copied, d, 136, 64)), out);
        assertEquals(0x48, out.get(0)[14] & 0xff, "first: IHL 8");
        assertEquals(0x46, out.get(1)[14] & 0xff, "later: IHL 6");
    }

    @Test
    void shouldPadTheCopiedOptionsWithEnd()
    {
        // A copied 3-byte option (0x83, loose source route, one byte short of an address: only its length matters
        // here) then a not-copied timestamp option (0x44) of 5 bytes: 8 bytes, IHL 7.
        final byte[] options = {(byte)0x83, 3, 4, 0x44, 5, 5, 0, 0};
        final byte[] d = data(120);
        if1.receive(received(0, options, d));
        TestJvpp.drain(vpp);
        assertFragments(List.of(fragment(0x2000, options, d, 0, 72), fragment(9, new byte[] {(byte)0x83, 3, 4, 0}, d, 72,
            48)), if2.take());
    }

    @Test
    void shouldKeepTheTtlOfWhatJvppOriginatesItself()
    {
        // As ping and the ICMP errors do: an IPv4 packet of our own handed to ip4-lookup, flagged as ours.
        final byte[] d = data(100);
        final byte[] ip = Arrays.copyOfRange(received(0, new byte[0], d), 14, 14 + 20 + d.length);
        final int bi = vpp.mainDispatcher().buffers().alloc();
        vpp.pool().memory().putBytes(vpp.pool().start[bi], ip);
        vpp.pool().length[bi] = ip.length;
        vpp.pool().flags[bi] = BufferPool.FLAG_LOCALLY_ORIGINATED;
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow(Ip4LookupNode.NAME), bi);
        TestJvpp.drain(vpp);
        final byte[] first = frame(HOST2_MAC, IF2_MAC, 64, 0x2000, new byte[0], d, 0, 80);
        final byte[] second = frame(HOST2_MAC, IF2_MAC, 64, 10, new byte[0], d, 80, 20);
        assertFragments(List.of(first, second), if2.take());
    }

    @Test
    void shouldTagEachFragmentLeavingThroughAVlanSubInterface()
    {
        ok(vpp, "create sub-interfaces if2 100");
        ok(vpp, "set interface state if2.100 up");
        ok(vpp, "set interface ip address if2.100 10.0.3.1/24");
        ok(vpp, "set ip neighbor if2.100 10.0.3.2 02:00:00:00:02:02 static");
        ok(vpp, "set interface mtu ip4 100 if2.100");
        final byte[] d = data(250);
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.3.2", 64, 17, 0, new byte[0], d));
        TestJvpp.drain(vpp);
        final List<byte[]> out = if2.take();
        assertEquals(4, out.size());
        final int[] flags = {0x2000, 0x200a, 0x2014, 0x001e};
        for (int i = 0; i < 4; i++)
        {
            final byte[] f = out.get(i);
            assertEquals(0x8100, word(f, 12), "tagged");
            assertEquals(100, word(f, 14) & 0xfff, "VLAN 100");
            assertEquals(flags[i], word(f, 18 + 6), "flags and offset of fragment " + i);
            assertEquals(0, Ip4.checksum(new UnsafeBuffer(f), 18, 20), "header checksum of fragment " + i);
        }
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldFragmentAFragmentKeepingItsOffsetAndItsMoreFragmentsFlag()
    {
        final byte[] none = new byte[0];
        final byte[] d = data(150);
        if1.receive(received(0x2000 | 100, none, d));
        if1.receive(received(200, none, d));
        TestJvpp.drain(vpp);
        final List<byte[]> expected = new ArrayList<>();
        expected.add(fragment(0x2000 | 100, none, d, 0, 80));
        expected.add(fragment(0x2000 | 110, none, d, 80, 70));
        expected.add(fragment(0x2000 | 200, none, d, 0, 80));
        expected.add(fragment(210, none, d, 80, 70));
        assertFragments(expected, if2.take());
    }

    @Test
    void shouldDropEachPacketItCannotFragmentUnderItsOwnReason()
    {
        // A 60-byte header leaves no 8 bytes under an MTU of 64.
        ok(vpp, "set interface mtu ip4 64 if2");
        final byte[] nops = new byte[40];
        Arrays.fill(nops, (byte)1);
        if1.receive(received(0, nops, data(100)));
        // An option whose length runs past the header.
        if1.receive(received(0, new byte[] {(byte)0x94, 9, 0, 0}, data(100)));
        // The last piece of this fragment would start past offset 0x1fff.
        if1.receive(received(0x1ffe, new byte[0], data(100)));
        TestJvpp.drain(vpp);
        assertTrue(if2.take().isEmpty());
        assertEquals(1, error("ip4 MTU too small for the header and 8 bytes"));
        assertEquals(1, error("ip4 options malformed (cannot fragment)"));
        assertEquals(1, error("ip4 fragment would end beyond 64 KB"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldDropThePacketWholeWhenTheBufferCacheRunsDry()
    {
        if1.receive(received(0, new byte[0], data(250)));
        // Take every buffer left, so that ip4-frag finds none for the three later fragments.
        final BufferCache cache = vpp.mainDispatcher().buffers();
        final int[] taken = new int[vpp.pool().total()];
        int n = 0;
        for (int bi = cache.alloc(); bi >= 0; bi = cache.alloc())
        {
            taken[n++] = bi;
        }
        TestJvpp.drain(vpp);
        assertTrue(if2.take().isEmpty(), "no part of the packet is sent");
        assertEquals(1, error("no buffer for an ip4 fragment"));
        cache.free(taken, 0, n);
        assertEquals(0, vpp.pool().used());
        if1.receive(received(0, new byte[0], data(250)));
        TestJvpp.drain(vpp);
        assertEquals(4, if2.take().size(), "with buffers again, it fragments");
    }

    /** Receive {@code frame} on if1 as a chain whose buffers hold {@code pieces[i]} bytes each (the last the rest). */
    private void receiveChained(final byte[] frame, final int flags, final int... pieces)
    {
        final BufferCache cache = vpp.mainDispatcher().buffers();
        final BufferPool pool = vpp.pool();
        final int head = cache.alloc();
        int tail = head;
        int off = 0;
        for (int i = 0; off < frame.length; i++)
        {
            final int bi = i == 0 ? head : cache.alloc();
            final int len = i < pieces.length ? Math.min(pieces[i], frame.length - off) : frame.length - off;
            pool.memory().putBytes(pool.start[bi], frame, off, len);
            pool.length[bi] = len;
            if (i > 0)
            {
                pool.append(head, tail, bi);
                tail = bi;
            }
            off += len;
        }
        pool.rxIf[head] = if1.swIfIndex();
        pool.flags[head] |= flags;
        pool.gsoSize[head] = 200;
        pool.gsoType[head] = BufferPool.GSO_UDP;
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow("ethernet-input"), head);
    }

    @Test
    void shouldFragmentAChainedPacketAsIfItWereOneBuffer()
    {
        final byte[] none = new byte[0];
        final byte[] d = data(250);
        // The head holds the headers and 6 bytes of data, the next buffers cut the data across fragment boundaries.
        receiveChained(received(0, none, d), 0, 40, 97, 33);
        TestJvpp.drain(vpp);
        assertFragments(List.of(fragment(0x2000, none, d, 0, 80), fragment(0x2000 | 10, none, d, 80, 80),
            fragment(0x2000 | 20, none, d, 160, 80), fragment(30, none, d, 240, 10)), if2.take());
        assertEquals(1, error("ip4 packets fragmented"));
        assertEquals(4, error("ip4 fragments sent"));
    }

    @Test
    void shouldDropAGsoFrameOverTheMtuWithoutDfUnderItsOwnReason()
    {
        receiveChained(received(0, new byte[0], data(250)), BufferPool.FLAG_GSO, 100);
        TestJvpp.drain(vpp);
        assertTrue(if2.take().isEmpty(), "a super-frame is not cut into IP fragments");
        assertEquals(1, error("GSO frame over the MTU without DF"));
        assertEquals(0, vpp.pool().used(), "its whole chain back");
    }

    @Test
    void shouldAnswerDfWithFragmentationNeededCarryingTheMtu()
    {
        if1.receive(received(0x4000, new byte[0], data(250)));
        TestJvpp.drain(vpp);
        assertTrue(if2.take().isEmpty());
        final byte[] icmp = if1.take().get(0);
        assertEquals(3, icmp[34], "destination unreachable");
        assertEquals(4, icmp[35], "fragmentation needed");
        assertEquals(100, word(icmp, 40), "next-hop MTU (RFC 1191)");
        assertEquals(0, Ip4.checksum(new UnsafeBuffer(icmp), 34, icmp.length - 34), "ICMP checksum verifies");
        assertEquals(1, vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(Ip4RewriteNode.NAME,
            "ip4 MTU exceeded and DF set")));
        assertEquals(0, error("ip4 packets fragmented"));
    }
}
