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
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gso-ip4: crafted TCP GSO super-frames, chained in 1000-byte pieces so that segments straddle buffers, handed to
 * interface-output for an interface without GSO; every segment checked byte for byte (headers, payload, IP length,
 * id and checksum, TCP sequence, flags and checksum), the drops under their reasons, every buffer back.
 */
class GsoIp4Test
{
    private static final long SRC_MAC = 0x0200_0000_0201L;
    private static final long DST_MAC = 0x0200_0000_0202L;
    private static final int PIECE = 1000;
    private static final int SEQUENCE = 0xfffff000; // wraps within a frame
    private static final int ID = 0x1234;
    private static final int MSS = 1448;

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
                    final byte[] b = new byte[bLength[bi]];
                    mem.getBytes(bStart[bi], b);
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
        for (int i = 20 + options; i < seg.length; i++)
        {
            seg[i] = (byte)(i * 7 + 3);
        }
        final byte[] f = Frames.ip4(DST_MAC, SRC_MAC, "10.0.1.2", "10.0.2.2", 63, Ip4.PROTO_TCP,
            Ip4Flyweight.FLAG_DF, new byte[0], seg);
        // the pseudo-header's sum, as a CHECKSUM_PARTIAL super-frame from the kernel carries it
        final UnsafeBuffer b = new UnsafeBuffer(f);
        TcpFlyweight.checksum(b, 34, Ip4.pseudoHeaderSum(b, 14, seg.length));
        return f;
    }

    /** Hand {@code frame} to interface-output for {@code out} as a GSO chain of 1000-byte buffers. */
    private void send(final byte[] frame, final int gsoType, final int gsoSize)
    {
        final var cache = vpp.mainDispatcher().buffers();
        final int head = cache.alloc();
        int tail = head;
        for (int off = 0; off < frame.length; off += PIECE)
        {
            final int bi = off == 0 ? head : cache.alloc();
            final int len = Math.min(PIECE, frame.length - off);
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
        pool.csumStart[head] = pool.start[head] + 34;
        pool.csumOffset[head] = TcpFlyweight.CHECKSUM_OFFSET;
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow(InterfaceOutputNode.NAME), head);
    }

    /** Check the segments sent against {@code frame} cut at {@code mss}; returns their payload sizes. */
    private int[] checkSegments(final byte[] frame, final int tcpLength, final int mss)
    {
        return checkSegments(frame, 14, tcpLength, mss);
    }

    /** The same for a frame whose IPv4 header starts at {@code ip} (after VLAN tags). */
    private int[] checkSegments(final byte[] frame, final int ip, final int tcpLength, final int mss)
    {
        final int tcp = ip + 20;
        final int headers = tcp + tcpLength;
        final int payload = frame.length - headers;
        final int flags = frame[tcp + 13] & 0xff;
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
            assertEquals(1, s.buffers(), "a segment is one buffer");
            assertEquals(0, s.flags() & (BufferPool.FLAG_GSO | BufferPool.FLAG_NEXT_PRESENT));
            assertEquals(headers + data, b.length);
            assertEquals(20 + tcpLength + data, Ip4Flyweight.totalLength(u, ip));
            assertEquals((ID + k) & 0xffff, Ip4Flyweight.id(u, ip));
            assertTrue(Ip4Flyweight.checksumValid(u, ip, 20), "IP header checksum of segment " + k);
            assertEquals(SEQUENCE + offset, TcpFlyweight.sequence(u, tcp));
            int want = k == sent.size() - 1 ? flags : flags & ~(TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_PSH);
            want = k == 0 ? want : want & ~TcpFlyweight.FLAG_CWR;
            assertEquals(want, TcpFlyweight.flags(u, tcp), "flags of segment " + k);
            long sum = Ip4.onesSum(u, tcp, b.length - tcp) + Ip4.pseudoHeaderSum(u, ip, b.length - tcp);
            sum = (sum & 0xffff) + (sum >>> 16);
            assertEquals(0xffff, sum, "TCP checksum over pseudo-header and segment " + k);
            // everything else is the frame's own: MACs, tags, addresses, ports, ack, window, options, the payload slice
            final byte[] expect = Arrays.copyOf(Arrays.copyOfRange(frame, 0, headers), headers + data);
            System.arraycopy(frame, headers + offset, expect, headers, data);
            for (final int[] field : new int[][] {{ip + 2, 2}, {ip + 4, 2}, {ip + 10, 2}, {tcp + 4, 4},
                {tcp + 13, 1}, {tcp + 16, 2}})
            {
                System.arraycopy(b, field[0], expect, field[0], field[1]);
            }
            assertArrayEquals(expect, b, "segment " + k);
            offset += data;
        }
        return sizes;
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
        assertEquals(1, error(GsoIp4Node.NAME, "GSO frames segmented"));
        assertEquals(7, error(GsoIp4Node.NAME, "GSO segments sent"));
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
        assertEquals(1, error(GsoIp4Node.NAME, "no buffer for a GSO segment"));
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
        assertEquals(1, error(GsoIp4Node.NAME, "GSO segment larger than a buffer"));
        assertEquals(2, error(GsoIp4Node.NAME, "GSO type not segmented (UDP, TCP6)"));
        assertEquals(1, error(GsoIp4Node.NAME, "GSO frame malformed (gso size 0, headers beyond the first buffer)"));
        assertEquals(1, error(GsoIp4Node.NAME, "GSO frame not TCP over IPv4"));
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
        assertEquals(4 * 8000 * 14, error(GsoIp4Node.NAME, "GSO segments sent"));
    }
}
