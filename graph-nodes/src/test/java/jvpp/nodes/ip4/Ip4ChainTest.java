package jvpp.nodes.ip4;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-buffer packets and offload metadata through the IPv4 path: jumbo frames and GSO super-frames in chains of
 * 2048-byte buffers cross ethernet-input, ip4-input, lookup and rewrite as one packet, and interface-output holds
 * them against what the egress takes. if1 10.0.1.1/24 (host 10.0.1.2), if2 10.0.2.1/24 (host 10.0.2.2).
 */
class Ip4ChainTest
{
    private static final long IF1_MAC = 0x0200_0000_0101L;
    private static final long IF2_MAC = 0x0200_0000_0201L;
    private static final long HOST1_MAC = 0x0200_0000_0102L;
    private static final int DATA = 2048;

    private Jvpp vpp;
    private BufferPool pool;
    private Interface if1;
    private Interface if2;
    private final List<Sent> sent = new ArrayList<>();

    /** What if2 transmitted: the bytes of the whole chain, how many buffers, its flags and gso size. */
    private record Sent(byte[] bytes, int buffers, int flags, int gsoSize)
    {
    }

    /** The interfaces' tx node: records each packet if2 (and if1, {@code recordIf1}) sends and frees its chain. */
    private final class Tx extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                final int bi = frame.bufs[i];
                if (record && (bTxIf[bi] == if2.swIfIndex() || recordIf1 && bTxIf[bi] == if1.swIfIndex()))
                {
                    final byte[] b = new byte[pool.totalLength(bi)];
                    int k = 0;
                    for (int s = bi; s >= 0; s = pool.next(s))
                    {
                        mem.getBytes(bStart[s], b, k, bLength[s]);
                        k += bLength[s];
                    }
                    sent.add(new Sent(b, pool.chainCount(bi), bFlags[bi], pool.gsoSize[bi]));
                }
                buffers.free(bi);
            }
            return frame.n;
        }
    }

    private boolean record = true;
    /** Whether what if1 sends (ICMP errors back to the sender) is recorded too. */
    private boolean recordIf1;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        pool = vpp.pool();
        if1 = sink("if1", IF1_MAC);
        if2 = sink("if2", IF2_MAC);
        Ip4RouterTest.addressTwoInterfaces(vpp);
    }

    @AfterEach
    void close()
    {
        TestJvpp.drain(vpp);
        assertEquals(0, vpp.pool().used(), "every buffer of every chain back");
        vpp.close();
    }

    private Interface sink(final String name, final long mac)
    {
        vpp.graph().register(NodeRegistration.internal(name + "-tx", List.of(), List.of(), Tx::new));
        final Interface ifc = vpp.interfaces().create(name, () -> "sink", mac, name + "-tx");
        vpp.interfaces().setAdminState(ifc, true);
        vpp.syncThreads();
        return ifc;
    }

    private long error(final String node, final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(node, reason));
    }

    /** Ethernet + IPv4 (DF) + TCP (20-byte header, pseudo-header sum in its checksum field) + payload bytes. */
    private static byte[] tcp(final int payload)
    {
        final byte[] seg = new byte[20 + payload];
        final UnsafeBuffer t = new UnsafeBuffer(seg);
        t.putShort(0, (short)40000, ByteOrder.BIG_ENDIAN);
        t.putShort(2, (short)5201, ByteOrder.BIG_ENDIAN);
        t.putInt(4, 1000);
        t.putByte(12, (byte)0x50);
        t.putByte(13, (byte)0x18);
        for (int i = 20; i < seg.length; i++)
        {
            seg[i] = (byte)(i * 7 + 3);
        }
        final byte[] f = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 6, seg);
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(20, (short)0x4000, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)0);
        b.putShort(24, (short)Ip4.checksum(b, 14, 20), ByteOrder.BIG_ENDIAN);
        // The pseudo-header's sum, not inverted: what the kernel leaves in a CHECKSUM_PARTIAL segment.
        long sum = (Ip4.parse("10.0.1.2") >>> 16) + (Ip4.parse("10.0.1.2") & 0xffff) + (Ip4.parse("10.0.2.2") >>> 16)
            + (Ip4.parse("10.0.2.2") & 0xffff) + 6 + seg.length;
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        b.putShort(34 + 16, (short)sum, ByteOrder.BIG_ENDIAN);
        return f;
    }

    /** Receive {@code frame} on {@code rx} as a chain of 2048-byte buffers; returns its head before it runs. */
    private int receive(final Interface rx, final byte[] frame, final int flags, final int gsoSize)
    {
        final var cache = vpp.mainDispatcher().buffers();
        final int head = cache.alloc();
        int tail = head;
        for (int off = 0; off < frame.length; off += DATA)
        {
            final int bi = off == 0 ? head : cache.alloc();
            final int len = Math.min(DATA, frame.length - off);
            pool.memory().putBytes(pool.start[bi], frame, off, len);
            pool.length[bi] = len;
            if (off > 0)
            {
                pool.append(head, tail, bi);
                tail = bi;
            }
        }
        pool.rxIf[head] = rx.swIfIndex();
        pool.flags[head] |= flags;
        pool.gsoSize[head] = gsoSize;
        pool.gsoType[head] = BufferPool.GSO_TCP4;
        pool.csumStart[head] = pool.start[head] + 34;
        pool.csumOffset[head] = 16;
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow("ethernet-input"), head);
        return head;
    }

    @Test
    void shouldRouteAJumboFrameAsOneChainWhenTheEgressTakesChains()
    {
        if2.txOffloads(Interface.TX_CHAINS);
        final byte[] frame = tcp(8000);
        receive(if1, frame, 0, 0);
        TestJvpp.drain(vpp);
        assertEquals(1, sent.size());
        final Sent s = sent.get(0);
        assertEquals(frame.length, s.bytes().length, "ip4-input checked the total length against the chain");
        assertEquals(4, s.buffers());
        assertEquals(63, s.bytes()[22], "TTL decremented in the first buffer");
        assertArrayEquals(java.util.Arrays.copyOfRange(frame, 34, frame.length),
            java.util.Arrays.copyOfRange(s.bytes(), 34, frame.length), "the payload across the chain intact");
    }

    @Test
    void shouldQuoteUpTo576BytesOfAChainsHeadInAnIcmpError()
    {
        final byte[] frame = tcp(8000);
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        b.putByte(22, (byte)1); // TTL 1: time exceeded
        recordIf1 = true;
        b.putShort(24, (short)0);
        b.putShort(24, (short)Ip4.checksum(b, 14, 20), ByteOrder.BIG_ENDIAN);
        receive(if1, frame, 0, 0);
        TestJvpp.drain(vpp);
        assertEquals(1, sent.size());
        final Sent error = sent.get(0);
        assertEquals(14 + 576, error.bytes().length, "RFC 1812 4.3.2.3: as much as fits in 576 bytes");
        assertEquals(1, error.buffers(), "the rest of the chain freed");
        assertEquals(11, error.bytes()[14 + 20]);
        assertArrayEquals(java.util.Arrays.copyOfRange(frame, 14, 14 + 548),
            java.util.Arrays.copyOfRange(error.bytes(), 14 + 28, 14 + 576));
    }

    @Test
    void shouldDropAChainUnderItsReasonWhenTheEgressSendsSingleBuffers()
    {
        receive(if1, tcp(8000), 0, 0);
        TestJvpp.drain(vpp);
        assertEquals(0, sent.size());
        assertEquals(1, error("interface-output", "multi-buffer frame to an interface without chains"));
    }

    @Test
    void shouldTrimAChainToTheIpTotalLengthAndDropOneShorterThanIt()
    {
        if2.txOffloads(Interface.TX_CHAINS);
        final byte[] frame = tcp(3000);
        final byte[] padded = java.util.Arrays.copyOf(frame, 5000);
        receive(if1, padded, 0, 0);
        TestJvpp.drain(vpp);
        assertEquals(frame.length, sent.get(0).bytes().length, "trailing bytes cut off, the third buffer freed");
        assertEquals(2, sent.get(0).buffers());
        receive(if1, java.util.Arrays.copyOf(frame, 2500), 0, 0);
        TestJvpp.drain(vpp);
        assertEquals(1, error("ip4-input", "ip4 length > l2 length"));
    }

    @Test
    void shouldPassAGsoFrameWhoseSegmentsFitTheMtuAndSegmentItForAnEgressWithoutGso()
    {
        ok(vpp, "set interface mtu 1500 if2");
        if2.txOffloads(Interface.TX_CHAINS | Interface.TX_CSUM | Interface.TX_GSO);
        final int partial = BufferPool.FLAG_GSO | BufferPool.FLAG_CSUM_PARTIAL;
        receive(if1, tcp(30000), partial, 1448);
        TestJvpp.drain(vpp);
        assertEquals(1, sent.size(), "20 + 20 + 1448 fits 1500: one super-frame, not an MTU drop");
        assertEquals(partial, sent.get(0).flags() & partial);
        assertEquals(1448, sent.get(0).gsoSize());
        assertEquals(14 + 40 + 30000, sent.get(0).bytes().length);

        receive(if1, tcp(30000), partial, 1480);
        TestJvpp.drain(vpp);
        assertEquals(1, sent.size());
        assertEquals(1, error("ip4-rewrite", "ip4 MTU exceeded and DF set"), "1520-byte segments do not fit");
        assertEquals(1, error("ip4-icmp-error", "ICMP errors sent"), "fragmentation needed, from the head alone");

        if2.txOffloads(Interface.TX_CHAINS);
        receive(if1, tcp(30000), partial, 1448);
        TestJvpp.drain(vpp);
        assertEquals(1 + 21, sent.size(), "30000 bytes in 1448-byte segments, cut by gso");
        assertEquals(1, error("interface-output", "GSO frames to software segmentation"));
        for (final Sent s : sent.subList(1, sent.size()))
        {
            assertEquals(1, s.buffers());
            assertEquals(0, s.flags() & partial);
            assertTrue(s.bytes().length - 14 <= 1500, "each segment fits the MTU");
            assertEquals(63, s.bytes()[22], "routed: the TTL the super-frame left with");
        }
    }

    @Test
    void shouldCompleteAPartialChecksumWhenTheEgressCannot()
    {
        if2.txOffloads(Interface.TX_CHAINS);
        receive(if1, tcp(5000), BufferPool.FLAG_CSUM_PARTIAL, 0);
        TestJvpp.drain(vpp);
        final byte[] out = sent.get(0).bytes();
        assertEquals(0, sent.get(0).flags() & BufferPool.FLAG_CSUM_PARTIAL);
        final UnsafeBuffer b = new UnsafeBuffer(out);
        final int seg = out.length - 34;
        long sum = Ip4.onesSum(b, 34, seg) + Ip4.onesSum(b, 26, 8) + 6 + seg;
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertEquals(0xffff, sum, "the TCP checksum verifies over pseudo-header and segment");
        assertEquals(1, error("interface-output", "checksums completed in software"));
    }

    @Test
    void shouldAllocateNothingPerPacketRoutingChains()
    {
        record = false;
        if2.txOffloads(Interface.TX_CHAINS);
        final byte[] frame = tcp(5000);
        final Dispatcher d = vpp.mainDispatcher();
        final var threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 4; run++)
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int k = 0; k < 2000; k++)
            {
                for (int i = 0; i < 64; i++)
                {
                    receive(if1, frame, 0, 0);
                }
                while (d.doWork() > 0)
                {
                    // drain
                }
            }
            least = Math.min(least, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertTrue(least <= 1024, "bytes allocated routing 128 000 three-buffer chains: " + least);
        assertEquals(4 * 128_000, vpp.mainDispatcher().node("ip4-rewrite").vectors());
    }
}
