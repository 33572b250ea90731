package jvpp.nodes.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.TcpFlyweight;
import jvpp.core.net.UdpFlyweight;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gso: crafted GSO super-frames (TCP over IPv4 and IPv6, USO over both, UFO), chained in 1000-byte pieces so that
 * segments straddle buffers, handed to interface-output for an interface without GSO; every segment checked byte for
 * byte (headers, payload, IP length, id and checksum, TCP sequence, flags, UDP length, the L4 checksum summed here
 * independently of the node), the drops under their reasons, every buffer back.
 */
class GsoTest
{
    private static final long SRC_MAC = 0x0200_0000_0201L;
    private static final long DST_MAC = 0x0200_0000_0202L;
    private static final int PIECE = 1000;
    private static final int SEQUENCE = 0xfffff000; // wraps within a frame
    private static final int ID = 0x1234;
    private static final int MSS = 1448;
    private static final String MALFORMED = "GSO frame malformed (gso size, lengths, headers beyond the first buffer)";

    private Jvpp vpp;
    private BufferPool pool;
    private Interface out;
    private boolean record = true;
    private final List<Sent> sent = new ArrayList<>();

    /** A segment as it left: its bytes (a partial checksum completed first), buffers, flags, csum start/offset. */
    private record Sent(byte[] bytes, int buffers, int flags, int csumStart, int csumOffset)
    {
    }

    /** The tx node: records each packet, completing a partial checksum as a NIC would, and frees it. */
    private final class Tx extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                final int bi = frame.bufs[i];
                if (record)
                {
                    final int f = bFlags[bi];
                    final int start = pool.csumStart[bi] - bStart[bi];
                    final int offset = pool.csumOffset[bi];
                    if ((f & BufferPool.FLAG_CSUM_PARTIAL) != 0)
                    {
                        pool.completeChecksum(bi);
                    }
                    final byte[] b = new byte[totalLength(bi)];
                    int at = 0;
                    for (int c = bi; c >= 0; c = pool.next(c))
                    {
                        mem.getBytes(bStart[c], b, at, bLength[c]);
                        at += bLength[c];
                    }
                    sent.add(new Sent(b, pool.chainCount(bi), f, start, offset));
                }
                buffers.free(bi);
            }
            return frame.n;
        }
    }

    private void boot(final int buffers)
    {
        vpp = TestJvpp.create(buffers);
        pool = vpp.pool();
        vpp.graph().register(NodeRegistration.internal("out-tx", List.of(), List.of(), Tx::new));
        out = vpp.interfaces().create("out", () -> "sink", SRC_MAC, "out-tx");
        vpp.interfaces().setAdminState(out, true);
        vpp.syncThreads();
    }

    @AfterEach
    void close()
    {
        TestJvpp.drain(vpp);
        assertEquals(0, vpp.pool().used(), "every buffer of every chain and segment back");
        vpp.close();
    }

    private long error(final String node, final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(node, reason));
    }

    /** Ethernet + IPv4 (DF, id 0x1234) + TCP (20 bytes + {@code options}, {@code flags}) + payload. */
    private static byte[] frame(final int payload, final int flags, final int options)
    {
        final byte[] seg = tcp(payload, flags, options);
        final byte[] f = Frames.ip4(DST_MAC, SRC_MAC, "10.0.1.2", "10.0.2.2", 63, Ip4.PROTO_TCP,
            Ip4Flyweight.FLAG_DF, new byte[0], seg);
        // the pseudo-header's sum, as a CHECKSUM_PARTIAL super-frame from the kernel carries it
        final UnsafeBuffer b = new UnsafeBuffer(f);
        TcpFlyweight.checksum(b, 34, Ip4.pseudoHeaderSum(b, 14, seg.length));
        return f;
    }

    /** A TCP header (20 bytes + {@code options} NOPs, {@code flags}) and {@code payload} bytes of a pattern. */
    private static byte[] tcp(final int payload, final int flags, final int options)
    {
        final byte[] seg = new byte[20 + options + payload];
        final UnsafeBuffer t = new UnsafeBuffer(seg);
        t.putShort(0, (short)40000, ByteOrder.BIG_ENDIAN);
        t.putShort(2, (short)5201, ByteOrder.BIG_ENDIAN);
        t.putInt(4, SEQUENCE, ByteOrder.BIG_ENDIAN);
        t.putInt(8, 0x01020304, ByteOrder.BIG_ENDIAN);
        t.putByte(12, (byte)((20 + options) << 2));
        t.putByte(13, (byte)flags);
        t.putShort(14, (short)512, ByteOrder.BIG_ENDIAN);
        for (int i = 20; i < 20 + options; i++)
        {
            seg[i] = 1; // NOPs
        }
        pattern(seg, 20 + options);
        return seg;
    }

    /** A UDP header (length set, checksum 0x5555: the node must not trust it) and {@code payload} bytes. */
    private static byte[] udp(final int payload)
    {
        final byte[] d = new byte[8 + payload];
        final UnsafeBuffer u = new UnsafeBuffer(d);
        u.putShort(0, (short)40001, ByteOrder.BIG_ENDIAN);
        u.putShort(2, (short)5201, ByteOrder.BIG_ENDIAN);
        u.putShort(4, (short)d.length, ByteOrder.BIG_ENDIAN);
        u.putShort(6, (short)0x5555, ByteOrder.BIG_ENDIAN);
        pattern(d, 8);
        return d;
    }

    private static void pattern(final byte[] b, final int from)
    {
        for (int i = from; i < b.length; i++)
        {
            b[i] = (byte)(i * 7 + 3);
        }
    }

    /** Ethernet + IPv4 (id 0x1234, no DF) + a UDP datagram of {@code payload} bytes. */
    private static byte[] udp4(final int payload)
    {
        return Frames.ip4(DST_MAC, SRC_MAC, "10.0.1.2", "10.0.2.2", 63, Ip4.PROTO_UDP, 0, new byte[0], udp(payload));
    }

    /** Hand {@code frame} to interface-output for {@code out} as a GSO chain of 1000-byte buffers. */
    private void send(final byte[] frame, final int gsoType, final int gsoSize)
    {
        send(frame, gsoType, gsoSize, PIECE, 34);
    }

    /**
     * Hand {@code frame} to interface-output for {@code out} as a GSO chain of {@code piece}-byte buffers, checksum
     * partial from {@code l4} (where the L4 header starts).
     */
    private void send(final byte[] frame, final int gsoType, final int gsoSize, final int piece, final int l4)
    {
        final var cache = vpp.mainDispatcher().buffers();
        final int head = cache.alloc();
        int tail = head;
        for (int off = 0; off < frame.length; off += piece)
        {
            final int bi = off == 0 ? head : cache.alloc();
            final int len = Math.min(piece, frame.length - off);
            pool.memory().putBytes(pool.start[bi], frame, off, len);
            pool.length[bi] = len;
            if (off > 0)
            {
                pool.append(head, tail, bi);
                tail = bi;
            }
        }
        pool.txIf[head] = out.swIfIndex();
        pool.flags[head] |= BufferPool.FLAG_GSO | BufferPool.FLAG_CSUM_PARTIAL;
        pool.gsoSize[head] = gsoSize;
        pool.gsoType[head] = gsoType;
        pool.csumStart[head] = pool.start[head] + l4;
        pool.csumOffset[head] = (gsoType & 0x7f) == BufferPool.GSO_TCP4 || (gsoType & 0x7f) == BufferPool.GSO_TCP6
            ? TcpFlyweight.CHECKSUM_OFFSET : UdpFlyweight.CHECKSUM_OFFSET;
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow(InterfaceOutputNode.NAME), head);
    }

    /** Check the TCP/IPv4 segments sent against {@code frame} cut at {@code mss}; returns their payload sizes. */
    private int[] checkSegments(final byte[] frame, final int tcpLength, final int mss)
    {
        return checkSegments(frame, 14, tcpLength, mss);
    }

    /** The same for a frame whose IPv4 header starts at {@code ip} (after VLAN tags). */
    private int[] checkSegments(final byte[] frame, final int ip, final int tcpLength, final int mss)
    {
        return check(frame, ip, false, false, tcpLength, mss);
    }

    /**
     * Check the segments sent against {@code frame} (IPv4 or {@code v6}, TCP or {@code udp}, its IP header at
     * {@code ip}, its L4 header {@code l4Length} bytes) cut at {@code mss}: lengths, IPv4 id and header checksum,
     * TCP sequence and flags, UDP length, the L4 checksum (summed here, not by the node's code), every other byte the
     * frame's own. Returns the payload sizes.
     */
    private int[] check(final byte[] frame, final int ip, final boolean v6, final boolean udp, final int l4Length,
        final int mss)
    {
        final int l4 = ip + (v6 ? 40 : 20);
        final int headers = l4 + l4Length;
        final int payload = frame.length - headers;
        final int flags = udp ? 0 : frame[l4 + 13] & 0xff;
        final int dataSize = pool.arena().dataSize();
        final int[] sizes = new int[sent.size()];
        assertEquals(Math.max(1, (payload + mss - 1) / mss), sent.size());
        int offset = 0;
        for (int k = 0; k < sent.size(); k++)
        {
            final Sent s = sent.get(k);
            final int data = Math.min(mss, payload - offset);
            sizes[k] = data;
            final byte[] b = s.bytes();
            final UnsafeBuffer u = new UnsafeBuffer(b);
            assertEquals((b.length + dataSize - 1) / dataSize, s.buffers(), "a segment is as few buffers as it fits");
            assertEquals(0, s.flags() & BufferPool.FLAG_GSO);
            assertEquals(headers + data, b.length);
            if (v6)
            {
                assertEquals(l4Length + data, u.getShort(ip + 4, ByteOrder.BIG_ENDIAN) & 0xffff, "payload length");
            }
            else
            {
                assertEquals(20 + l4Length + data, Ip4Flyweight.totalLength(u, ip));
                assertEquals((ID + k) & 0xffff, Ip4Flyweight.id(u, ip));
                assertEquals(0xffff, sum16(b, ip, 20), "IP header checksum of segment " + k);
            }
            if (udp)
            {
                assertEquals(8 + data, u.getShort(l4 + 4, ByteOrder.BIG_ENDIAN) & 0xffff, "UDP length");
            }
            else
            {
                assertEquals(SEQUENCE + offset, TcpFlyweight.sequence(u, l4));
                int want = k == sent.size() - 1 ? flags : flags & ~(TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_PSH);
                want = k == 0 ? want : want & ~TcpFlyweight.FLAG_CWR;
                assertEquals(want, TcpFlyweight.flags(u, l4), "flags of segment " + k);
            }
            assertEquals(0xffff, fold(sum16(b, l4, b.length - l4) + pseudo(b, ip, v6, b.length - l4)),
                "L4 checksum over pseudo-header and segment " + k);
            // everything else is the frame's own: MACs, tags, addresses, ports, ack, window, options, the payload slice
            final byte[] expect = Arrays.copyOf(Arrays.copyOfRange(frame, 0, headers), headers + data);
            System.arraycopy(frame, headers + offset, expect, headers, data);
            final int[][] fields = v6 ? new int[][] {{ip + 4, 2}} : new int[][] {{ip + 2, 2}, {ip + 4, 2}, {ip + 10, 2}};
            for (final int[] field : fields)
            {
                System.arraycopy(b, field[0], expect, field[0], field[1]);
            }
            for (final int[] field : udp ? new int[][] {{l4 + 4, 4}} : new int[][] {{l4 + 4, 4}, {l4 + 13, 1}, {l4 + 16, 2}})
            {
                System.arraycopy(b, field[0], expect, field[0], field[1]);
            }
            assertArrayEquals(expect, b, "segment " + k);
            offset += data;
        }
        return sizes;
    }

    /** The ones-complement sum of {@code length} bytes of {@code b} at {@code at}, 16-bit words, folded. */
    private static int sum16(final byte[] b, final int at, final int length)
    {
        long sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            sum += (b[at + i] & 0xff) << 8 | (i + 1 < length ? b[at + i + 1] & 0xff : 0);
        }
        return fold(sum);
    }

    private static int fold(final long value)
    {
        long sum = value;
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int)sum;
    }

    /** The pseudo-header's sum (RFC 768 / RFC 8200 8.1) of the packet at {@code ip} in {@code b}. */
    private static long pseudo(final byte[] b, final int ip, final boolean v6, final int l4Length)
    {
        return v6 ? sum16(b, ip + 8, 32) + l4Length + (b[ip + 6] & 0xff)
            : sum16(b, ip + 12, 8) + l4Length + (b[ip + 9] & 0xff);
    }

    @Test
    void shouldCutASuperFrameIntoSegmentsOfGsoSizeWithTheLastShort()
    {
        boot(4096);
        final int all = TcpFlyweight.FLAG_CWR | TcpFlyweight.FLAG_ECE | TcpFlyweight.FLAG_ACK
            | TcpFlyweight.FLAG_PSH | TcpFlyweight.FLAG_FIN;
        final byte[] frame = frame(10_000, all, 0);
        send(frame, BufferPool.GSO_TCP4 | BufferPool.GSO_ECN, MSS);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {1448, 1448, 1448, 1448, 1448, 1448, 1312}, checkSegments(frame, 20, MSS));
        assertEquals(0, sent.get(0).flags() & BufferPool.FLAG_CSUM_PARTIAL, "checksums complete: no TX_CSUM");
        assertEquals(1, error(GsoNode.NAME, "GSO frames segmented"));
        assertEquals(7, error(GsoNode.NAME, "GSO segments sent"));
        assertEquals(1, error(InterfaceOutputNode.NAME, "GSO frames to software segmentation"));
        assertEquals(7, vpp.mainDispatcher().interfaceCounters().get(out.swIfIndex(), InterfaceCounters.TX_PACKETS),
            "tx counts the segments, not the super-frame");
    }

    @Test
    void shouldKeepTcpOptionsAndCutAnExactMultipleAndAFrameOfOneSegment()
    {
        boot(4096);
        final byte[] exact = frame(3 * 1000, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 12);
        send(exact, BufferPool.GSO_TCP4, 1000);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {1000, 1000, 1000}, checkSegments(exact, 32, 1000));
        sent.clear();
        final byte[] small = frame(500, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_FIN, 0);
        send(small, BufferPool.GSO_TCP4, MSS);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {500}, checkSegments(small, 20, MSS));
    }

    @Test
    void shouldLookThroughVlanTagsToTheHeaders()
    {
        boot(4096);
        final byte[] frame = Frames.tag(Frames.dot1q(frame(4000, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 0),
            100), 0x88a8, 7);
        send(frame, BufferPool.GSO_TCP4, MSS);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {1448, 1448, 1104}, checkSegments(frame, 22, 20, MSS), "QinQ: both tags kept");
    }

    @Test
    void shouldLeaveTheTcpChecksumPartialForAnEgressWithChecksumOffload()
    {
        boot(4096);
        out.txOffloads(Interface.TX_CSUM);
        final byte[] frame = frame(5000, TcpFlyweight.FLAG_ACK, 0);
        send(frame, BufferPool.GSO_TCP4, MSS);
        TestJvpp.drain(vpp);
        checkSegments(frame, 20, MSS); // the tx node completed each as a NIC would: the sums verify
        for (final Sent s : sent)
        {
            assertEquals(BufferPool.FLAG_CSUM_PARTIAL, s.flags() & BufferPool.FLAG_CSUM_PARTIAL);
            assertEquals(34, s.csumStart());
            assertEquals(TcpFlyweight.CHECKSUM_OFFSET, s.csumOffset());
        }
        assertEquals(0, error(InterfaceOutputNode.NAME, "checksums completed in software"));
    }

    @Test
    void shouldDropTheWholeFrameWhenTheCacheRunsDry()
    {
        boot(256);
        send(frame(60_000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_TCP4, 200); // 300 segments, 256 buffers
        TestJvpp.drain(vpp);
        assertEquals(0, sent.size(), "nothing half sent");
        assertEquals(1, error(GsoNode.NAME, "no buffer for a GSO segment"));
        send(frame(60_000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_TCP4, MSS);
        TestJvpp.drain(vpp);
        assertEquals(42, sent.size(), "the buffers the dry attempt took are back");
    }

    @Test
    void shouldDropWhatItCannotSegmentUnderItsOwnReason()
    {
        boot(4096);
        send(frame(5000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_TCP4, 4000);
        send(frame(5000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_UDP, MSS);
        send(frame(5000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_TCP6, MSS);
        send(frame(5000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_TCP4, 0);
        final byte[] udp = frame(5000, 0, 0);
        udp[23] = Ip4.PROTO_UDP;
        send(udp, BufferPool.GSO_TCP4, MSS);
        TestJvpp.drain(vpp);
        assertEquals(0, sent.size());
        assertEquals(1, error(GsoNode.NAME, "GSO segment larger than a buffer"));
        assertEquals(3, error(GsoNode.NAME, "GSO type does not match the headers"), "UFO, TCP6 on TCP/IPv4; TCP4 on UDP");
        assertEquals(1, error(GsoNode.NAME, MALFORMED));
    }

    @Test
    void shouldCutATcpOverIpv6SuperFrame()
    {
        boot(4096);
        final int all = TcpFlyweight.FLAG_CWR | TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH | TcpFlyweight.FLAG_FIN;
        final byte[] frame = Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_TCP, tcp(10_000, all, 12));
        send(frame, BufferPool.GSO_TCP6 | BufferPool.GSO_ECN, 1428, PIECE, 54);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {1428, 1428, 1428, 1428, 1428, 1428, 1428, 4}, check(frame, 14, true, false, 32, 1428));
        assertEquals(8, error(GsoNode.NAME, "GSO segments sent"));
    }

    @Test
    void shouldCutUdpOverIpv4AndIpv6IntoDatagrams()
    {
        boot(4096);
        final byte[] v4 = udp4(5000);
        send(v4, BufferPool.GSO_UDP_L4, 1400);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {1400, 1400, 1400, 800}, check(v4, 14, false, true, 8, 1400), "USO over IPv4");
        sent.clear();
        final byte[] v6 = Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_UDP, udp(64_000 - 8));
        send(v6, BufferPool.GSO_UDP_L4, 1400, PIECE, 54);
        TestJvpp.drain(vpp);
        final int[] sizes = check(v6, 14, true, true, 8, 1400);
        assertEquals(46, sizes.length, "64 KB written with UDP_SEGMENT 1400");
        assertEquals(992, sizes[45]);
        sent.clear();
        final byte[] small = udp4(300);
        send(small, BufferPool.GSO_UDP_L4, 1400);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {300}, check(small, 14, false, true, 8, 1400), "a gso size beyond the payload: one");
    }

    @Test
    void shouldLeaveUdpChecksumsPartialForAnEgressWithChecksumOffload()
    {
        boot(4096);
        out.txOffloads(Interface.TX_CSUM);
        final byte[] v6 = Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_UDP, udp(3000));
        send(v6, BufferPool.GSO_UDP_L4, 1400, PIECE, 54);
        TestJvpp.drain(vpp);
        check(v6, 14, true, true, 8, 1400);
        for (final Sent s : sent)
        {
            assertEquals(BufferPool.FLAG_CSUM_PARTIAL, s.flags() & BufferPool.FLAG_CSUM_PARTIAL);
            assertEquals(54, s.csumStart());
            assertEquals(UdpFlyweight.CHECKSUM_OFFSET, s.csumOffset());
        }
    }

    @Test
    void shouldSendUfoAsIpFragmentsOfOneDatagramWithItsChecksumComplete()
    {
        boot(4096);
        final byte[] frame = udp4(5000);
        frame[14 + 6] = 0x40; // DF: UFO clears it, as the kernel's does
        frame[24] = 0;
        frame[25] = 0;
        new UnsafeBuffer(frame).putShort(24, (short)Ip4.checksum(new UnsafeBuffer(frame), 14, 20), ByteOrder.BIG_ENDIAN);
        send(frame, BufferPool.GSO_UDP, 1484); // 1484 rounds down to 1480, a multiple of 8
        TestJvpp.drain(vpp);
        assertEquals(4, sent.size(), "5008 bytes of IP payload in 1480-byte fragments");
        final byte[] datagram = new byte[5008];
        int offset = 0;
        for (int k = 0; k < sent.size(); k++)
        {
            final byte[] b = sent.get(k).bytes();
            final UnsafeBuffer u = new UnsafeBuffer(b);
            final int data = b.length - 34;
            assertEquals(k < 3 ? 1480 : 568, data);
            assertEquals(20 + data, Ip4Flyweight.totalLength(u, 14));
            assertEquals(ID, Ip4Flyweight.id(u, 14), "one datagram: one id");
            assertEquals((offset >> 3) | (k < 3 ? Ip4Flyweight.FLAG_MF : 0), Ip4Flyweight.flagsFragment(u, 14));
            assertEquals(0xffff, sum16(b, 14, 20), "IP header checksum of fragment " + k);
            assertArrayEquals(Arrays.copyOfRange(frame, 0, 14), Arrays.copyOfRange(b, 0, 14));
            System.arraycopy(b, 34, datagram, offset, data);
            offset += data;
        }
        assertEquals(0xffff, fold(sum16(datagram, 0, datagram.length) + sum16(frame, 26, 8) + 17 + datagram.length),
            "the UDP checksum covers the whole datagram");
        final byte[] expect = Arrays.copyOfRange(frame, 34, frame.length);
        expect[6] = datagram[6];
        expect[7] = datagram[7];
        assertArrayEquals(expect, datagram, "the datagram, reassembled, is the frame's");
    }

    @Test
    void shouldChainSegmentsLargerThanABufferForAnEgressThatTakesChains()
    {
        boot(4096);
        out.txOffloads(Interface.TX_CHAINS);
        final byte[] frame = frame(20_000, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 12);
        send(frame, BufferPool.GSO_TCP4, 8948); // MTU 9000's MSS
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {8948, 8948, 2104}, checkSegments(frame, 32, 8948));
        assertEquals(5, sent.get(0).buffers(), "9014 bytes in 2048-byte buffers");
        final byte[] v6 = Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_UDP, udp(20_000));
        sent.clear();
        send(v6, BufferPool.GSO_UDP_L4, 8952, PIECE, 54);
        TestJvpp.drain(vpp);
        assertArrayEquals(new int[] {8952, 8952, 2096}, check(v6, 14, true, true, 8, 8952));
    }

    @Test
    void shouldDropBadFramesOfEveryTypeUnderTheirOwnReasons()
    {
        boot(4096);
        send(Frames.ip6(DST_MAC, SRC_MAC, 0, tcp(3000, TcpFlyweight.FLAG_ACK, 0)), BufferPool.GSO_TCP6, MSS, PIECE, 54);
        send(Frames.ip6(DST_MAC, SRC_MAC, 44, udp(3000)), BufferPool.GSO_UDP_L4, MSS, PIECE, 54);
        assertEquals(0, sent.size());
        send(Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_UDP, udp(3000)), BufferPool.GSO_UDP, 1480, PIECE, 54);
        send(udp4(3000), 2, MSS);
        final byte[] arp = frame(3000, TcpFlyweight.FLAG_ACK, 0);
        arp[12] = 0x08;
        arp[13] = 0x06;
        send(arp, BufferPool.GSO_TCP4, MSS);
        send(frame(3000, TcpFlyweight.FLAG_ACK, 0), BufferPool.GSO_TCP4, MSS, 40, 34); // TCP header cut by the chain
        send(Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_TCP, tcp(3000, 0, 0)), BufferPool.GSO_TCP6, MSS, 60, 54);
        send(udp4(3000), BufferPool.GSO_UDP, 7); // UFO fragments of less than 8 bytes
        final byte[] badLength = udp4(3000);
        badLength[14 + 20 + 5]++;
        send(badLength, BufferPool.GSO_UDP, 1480);
        final byte[] fragment = udp4(3000);
        fragment[14 + 6] = 0x20; // MF: a fragment already
        send(fragment, BufferPool.GSO_UDP_L4, 1400);
        send(Frames.ip6(DST_MAC, SRC_MAC, Ip4.PROTO_TCP, tcp(3000, 0, 0)), BufferPool.GSO_TCP4, MSS, PIECE, 54);
        TestJvpp.drain(vpp);
        assertEquals(0, sent.size());
        assertEquals(2, error(GsoNode.NAME, "GSO frame with IPv6 extension headers"));
        assertEquals(2, error(GsoNode.NAME, "GSO type not segmented (unknown, UFO over IPv6)"));
        assertEquals(1, error(GsoNode.NAME, "GSO frame not IPv4 or IPv6"));
        assertEquals(5, error(GsoNode.NAME, MALFORMED));
        assertEquals(1, error(GsoNode.NAME, "GSO type does not match the headers"), "TCP4 on TCP over IPv6");
    }

    @Test
    void shouldAllocateNothingPerFrameSegmenting()
    {
        boot(8192);
        record = false;
        final byte[] frame = frame(20_000, TcpFlyweight.FLAG_ACK, 0);
        final Dispatcher d = vpp.mainDispatcher();
        final var threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 4; run++)
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int k = 0; k < 500; k++)
            {
                for (int i = 0; i < 16; i++)
                {
                    send(frame, BufferPool.GSO_TCP4, MSS);
                }
                while (d.doWork() > 0)
                {
                    // drain
                }
            }
            least = Math.min(least, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertTrue(least <= 1024, "bytes allocated cutting 8000 super-frames into 14 segments each: " + least);
        assertEquals(4 * 8000 * 14, error(GsoNode.NAME, "GSO segments sent"));
    }
}
