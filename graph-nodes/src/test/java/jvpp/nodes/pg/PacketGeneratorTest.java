package jvpp.nodes.pg;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PacketGeneratorTest
{
    private Jvpp vpp;
    private final List<byte[]> captured = new ArrayList<>();

    /** Keeps a copy of every packet it receives, then frees it. */
    private final class Capture extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                final int bi = frame.bufs[i];
                final byte[] b = new byte[bLength[bi]];
                mem.getBytes(bStart[bi], b);
                captured.add(b);
                buffers.free(bi);
            }
            return frame.n;
        }
    }

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        vpp.graph().register(NodeRegistration.internal("capture", List.of(), List.of(), Capture::new));
        vpp.syncThreads();
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private static String hex(final byte[] b)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte x : b)
        {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    @Test
    void shouldBuildTheGoldenIp4UdpFrameWhenGivenVppSyntax()
    {
        ok(vpp, "packet-generator new { name s0 limit 1 size 64-64 node capture data { "
            + "IP4: 00:01:02:03:04:05 -> 00:02:03:04:05:06 UDP: 10.0.0.1 -> 10.0.1.1 UDP: 1234 -> 2345 incrementing 22 } }");
        ok(vpp, "packet-generator enable-stream s0");
        TestJvpp.drain(vpp);
        assertEquals(1, captured.size());
        // dst, src, IP4 | 45 00 len=50 id=0 flags=0 ttl=64 udp csum (0x4500+0x32+0x4011+0x0a00+1+0x0a00+0x101 = 0x9a45, ~ = 0x65ba) | src dst | sport dport len=30 csum=0 | payload
        assertEquals("000203040506" + "000102030405" + "0800"
            + "4500" + "0032" + "0000" + "0000" + "4011" + "65ba" + "0a000001" + "0a000101"
            + "04d2" + "0929" + "001e" + "0000"
            + "000102030405060708090a0b0c0d0e0f101112131415", hex(captured.get(0)));
        final UnsafeBuffer b = new UnsafeBuffer(captured.get(0));
        assertEquals(0, Ip4.checksum(b, 14, 20), "IPv4 header checksum verifies");
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldStepAddressRangesAndKeepChecksumsValid()
    {
        ok(vpp, "packet-generator new { name s1 limit 600 size 60-70 node capture data { "
            + "IP4: 1.2.3 -> 4.5.6 UDP: 10.0.0.1 - 10.0.0.4 -> 10.0.1.250 - 10.0.2.5 UDP: 1000 - 1002 -> 53 incrementing 18 } }");
        ok(vpp, "packet-generator enable-stream s1");
        TestJvpp.drain(vpp);
        assertEquals(600, captured.size());
        for (int i = 0; i < captured.size(); i++)
        {
            final UnsafeBuffer b = new UnsafeBuffer(captured.get(i));
            final int size = captured.get(i).length;
            assertEquals(60 + i % 11, size);
            assertEquals(0x0a000001 + i % 4, b.getInt(26, ByteOrder.BIG_ENDIAN));
            assertEquals(Ip4.parse("10.0.1.250") + i % 12, b.getInt(30, ByteOrder.BIG_ENDIAN));
            assertEquals(1000 + i % 3, b.getShort(34, ByteOrder.BIG_ENDIAN) & 0xffff);
            assertEquals(size - 14, b.getShort(16, ByteOrder.BIG_ENDIAN) & 0xffff, "IP total length");
            assertEquals(size - 34, b.getShort(38, ByteOrder.BIG_ENDIAN) & 0xffff, "UDP length");
            assertEquals(0, Ip4.checksum(b, 14, 20), "packet " + i);
        }
    }

    @Test
    void shouldStepMacRangesInTheirLastFourBytes()
    {
        ok(vpp, "packet-generator new { name m limit 10 size 64-64 node capture data { "
            + "IP4: 02:00:00:00:00:fe - 02:00:00:00:01:01 -> 02:aa:00:00:00:01 - 02:aa:00:00:00:03 "
            + "UDP: 10.0.0.1 -> 10.0.1.1 UDP: 1 -> 2 incrementing 22 } }");
        ok(vpp, "packet-generator enable-stream m");
        TestJvpp.drain(vpp);
        assertEquals(10, captured.size());
        for (int i = 0; i < 10; i++)
        {
            final UnsafeBuffer b = new UnsafeBuffer(captured.get(i));
            assertEquals(0x02aa_0000_0001L + i % 3, b.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16, "dst of " + i);
            assertEquals(0x0200_0000_00feL + i % 4, b.getLong(4, ByteOrder.BIG_ENDIAN) & 0xffff_ffff_ffffL, "src of " + i);
            assertEquals(0, Ip4.checksum(b, 14, 20));
        }
        assertTrue(ok(vpp, "show packet-generator").contains("02:00:00:00:00:fe - 02:00:00:00:01:01"));
        assertEquals("packet-generator new: MAC range 02:00:00:00:00:05 - 03:00:00:00:00:01: must go upwards and differ "
            + "only in the last four bytes\n", fails(vpp, "packet-generator new { name x node capture data { "
            + "IP4: 02:00:00:00:00:05 - 03:00:00:00:00:01 -> 4.5.6 } }"));
    }

    @Test
    void shouldComputeIcmpChecksumsWhenGeneratingEchoRequests()
    {
        ok(vpp, "packet-generator new { name ping limit 3 node capture data { "
            + "IP4: 1.2.3 -> 4.5.6 ICMP: 10.0.0.1 -> 10.0.0.2 ttl 1 ICMP echo_request id 7 seq 1 incrementing 8 } }");
        ok(vpp, "packet-generator enable-stream ping");
        TestJvpp.drain(vpp);
        assertEquals(3, captured.size());
        final UnsafeBuffer b = new UnsafeBuffer(captured.get(0));
        assertEquals(1, b.getByte(22), "ttl");
        assertEquals(8, b.getByte(34), "echo request");
        assertEquals(0, Ip4.checksum(b, 34, captured.get(0).length - 34), "ICMP checksum verifies");
    }

    @Test
    void shouldStopAtTheLimitAndRestartWhenEnabledAgain()
    {
        ok(vpp, "packet-generator new { name s0 limit 1000 node capture data { IP4: 1.2.3 -> 4.5.6 incrementing 50 } }");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        assertEquals(1000, captured.size());
        assertFalse(vpp.service(PacketGenerator.class).stream("s0").enabled());
        assertTrue(ok(vpp, "show packet-generator").contains("1000"));
        ok(vpp, "packet-generator enable-stream s0");
        TestJvpp.drain(vpp);
        assertEquals(2000, captured.size());
        assertFalse(vpp.mainDispatcher().node(PgInputNode.NAME).polling(), "pg-input idles when no stream runs");
    }

    @Test
    void shouldRejectBadStreamsAndChangeNothing()
    {
        assertEquals("packet-generator new: unknown node `nosuch'\n",
            fails(vpp, "packet-generator new { name s0 node nosuch data { IP4: 1.2.3 -> 4.5.6 } }"));
        assertEquals("packet-generator new: unknown interface `tap9'\n",
            fails(vpp, "packet-generator new { name s0 interface tap9 node capture data { IP4: 1.2.3 -> 4.5.6 } }"));
        assertEquals("packet-generator new: expected MAC address, got `1.2'\n",
            fails(vpp, "packet-generator new { name s0 node capture data { IP4: 1.2 -> 4.5.6 } }"));
        assertEquals("packet-generator new: unknown input `bogus 7'\n",
            fails(vpp, "packet-generator new { name s0 node capture data { IP4: 1.2.3 -> 4.5.6 } bogus 7 }"));
        assertEquals("packet-generator new: unknown input `FOO: 1 2'\n",
            fails(vpp, "packet-generator new { name s0 node capture data { FOO: 1 2 } }"));
        assertEquals("packet-generator new: missing `}' after packet-generator new\n",
            fails(vpp, "packet-generator new { name s0 node capture"));
        assertEquals("packet-generator new: size 4000 exceeds the buffer data size 2048\n",
            fails(vpp, "packet-generator new { name s0 size 64-4000 node capture data { IP4: 1.2.3 -> 4.5.6 } }"));
        assertEquals("packet-generator enable-stream: no such stream `s0'\n", fails(vpp, "packet-generator enable-stream s0"));
        assertFalse(ok(vpp, "show packet-generator").contains("s0"));
    }

    @Test
    void shouldPaceAStreamToItsRate()
    {
        ok(vpp, "packet-generator new { name slow limit 0 rate 2000 node capture data { IP4: 1.2.3 -> 4.5.6 incrementing 50 } }");
        ok(vpp, "packet-generator enable-stream slow");
        final long start = System.nanoTime();
        while (System.nanoTime() - start < 250_000_000L)
        {
            vpp.mainDispatcher().doWork();
        }
        ok(vpp, "packet-generator disable-stream slow");
        // 2000 pps for 0.25 s is 500 packets; a bucket of at most one frame bounds the excess.
        assertTrue(captured.size() >= 300 && captured.size() <= 500 + Frame.SIZE, "sent " + captured.size());
    }
}
