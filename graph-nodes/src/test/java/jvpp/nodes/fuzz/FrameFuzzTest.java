package jvpp.nodes.fuzz;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.l2.BridgeDomains;
import jvpp.nodes.testing.CaptureInterface;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;

/**
 * Arbitrary bytes as a received frame through the whole graph: ethernet-input (VLAN sub-interfaces), ARP,
 * IPv4 (lookup, rewrite, fragmentation, local, reassembly, ICMP errors, ARP resolution), L2 (learn, forward, flood,
 * BVI, xconnect). The first input byte picks the receiving interface, the rest is the frame; the last pick is r again
 * with the rest taken as an IPv4 packet to the router (10.0.0.1) whose header the harness repairs (version, lengths,
 * checksum; one of four sources and four ids), so that fuzzed fragments reach ip4-local-full-reassembly and meet the
 * fragments of earlier inputs there. After each input the graph is drained and every buffer must be back in the pool
 * or held by a named holder (packets waiting for ARP, fragments waiting for their datagram): a node that throws,
 * loops or loses a buffer fails.
 *
 * <p>{@code mvn test} runs the regression corpus in {@code src/test/resources/jvpp/nodes/fuzz/FrameFuzzTestInputs};
 * {@code bin/jvpp-fuzz frame} fuzzes (RELIABILITY.md).
 */
class FrameFuzzTest
{
    private static Jvpp vpp;
    private static CaptureInterface[] rx;

    private static synchronized void boot()
    {
        if (vpp != null)
        {
            return;
        }
        vpp = TestJvpp.create(4096);
        final CaptureInterface r = CaptureInterface.create(vpp, "r", 0x0200_0000_0a01L);
        final CaptureInterface s = CaptureInterface.create(vpp, "s", 0x0200_0000_0b01L);
        final CaptureInterface b1 = CaptureInterface.create(vpp, "b1", 0x0200_0000_0c01L);
        final CaptureInterface b2 = CaptureInterface.create(vpp, "b2", 0x0200_0000_0d01L);
        final CaptureInterface bvi = CaptureInterface.create(vpp, "bvi", 0x0200_0000_0e01L);
        final CaptureInterface x1 = CaptureInterface.create(vpp, "x1", 0x0200_0000_0f01L);
        final CaptureInterface x2 = CaptureInterface.create(vpp, "x2", 0x0200_0000_1001L);
        ok(vpp, "set interface ip address r 10.0.0.1/24");
        ok(vpp, "set interface ip address s 10.1.0.1/24");
        ok(vpp, "set ip neighbor s 10.1.0.2 02:00:00:00:00:02");
        ok(vpp, "ip route add 0.0.0.0/0 via 10.1.0.2 s");
        // What is routed out of s over 100 bytes is fragmented (ip4-frag) or, with DF, answered with ICMP.
        ok(vpp, "set interface mtu ip4 100 s");
        ok(vpp, "ip route add 192.0.2.0/24 via 10.0.0.9 r");
        ok(vpp, "create sub-interfaces r 100");
        ok(vpp, "set interface ip address r.100 10.2.0.1/24");
        ok(vpp, "set interface state r.100 up");
        ok(vpp, "set interface l2 bridge b1 1");
        ok(vpp, "set interface l2 bridge b2 1 1");
        ok(vpp, "create sub-interfaces b1 7 dot1q 200");
        ok(vpp, "set interface l2 bridge b1.7 1 1");
        ok(vpp, "set interface state b1.7 up");
        // The BVI check (loopbacks only) is the CLI's; the domain itself takes any interface.
        try
        {
            vpp.service(BridgeDomains.class).bridge(bvi.ifc(), 1, true);
        }
        catch (final jvpp.core.cli.CliException ex)
        {
            throw new IllegalStateException(ex);
        }
        ok(vpp, "set interface ip address bvi 10.3.0.1/24");
        ok(vpp, "set interface l2 xconnect x1 x2");
        ok(vpp, "set interface l2 xconnect x2 x1");
        rx = new CaptureInterface[] {r, s, b1, b2, x1, bvi};
        // More fragments per datagram than VPP's 3, so that fuzzed datagrams can be long.
        ok(vpp, "set ip reassembly max-reassembly-length 16");
    }

    @AfterAll
    static void close()
    {
        if (vpp != null)
        {
            vpp.close();
            vpp = null;
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void receivedFrame(final byte[] data)
    {
        boot();
        if (data.length == 0)
        {
            return;
        }
        final int max = vpp.pool().arena().dataSize();
        final byte[] frame = java.util.Arrays.copyOfRange(data, 1, Math.min(data.length, max + 1));
        final int pick = (data[0] & 0xff) % (rx.length + 1);
        if (pick == rx.length)
        {
            rx[0].receive(toTheRouter(java.util.Arrays.copyOf(frame, Math.min(frame.length, max - 14))));
        }
        else
        {
            rx[pick].receive(frame);
        }
        TestJvpp.drain(vpp);
        for (final CaptureInterface c : rx)
        {
            c.take();
        }
        // In use after the drain: only what a holder accounts for (packets waiting for ARP, fragments waiting for the
        // rest of their datagram), as show buffers says.
        long held = 0;
        for (final BufferPool.Holder h : vpp.pool().holders())
        {
            held += h.count().getAsLong();
        }
        assertEquals(held, vpp.pool().used(), "buffers in use after the graph drained, beyond what holders hold");
    }

    /**
     * {@code ip} (at least a header's worth, zero-padded) as an IPv4 packet from 10.0.0.2-5 to the router on r, in an
     * Ethernet frame for r: version 4, an IHL and total length that fit, a TTL, id 0-3 (so that fragments of several
     * inputs make one datagram) and a valid header checksum; flags, offset, protocol and payload as fuzzed.
     */
    private static byte[] toTheRouter(final byte[] ip)
    {
        final byte[] f = new byte[14 + Math.max(20, ip.length)];
        System.arraycopy(ip, 0, f, 14, ip.length);
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(0, (short)0x0200, ByteOrder.BIG_ENDIAN);
        b.putInt(2, 0x0000_0a01, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)0x0200, ByteOrder.BIG_ENDIAN);
        b.putInt(8, 0x0000_0a02, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int length = f.length - 14;
        int ihl = f[14] & 0xf;
        if (ihl < 5 || ihl * 4 > length)
        {
            ihl = 5;
        }
        f[14] = (byte)(0x40 | ihl);
        final int total = b.getShort(16, ByteOrder.BIG_ENDIAN) & 0xffff;
        b.putShort(16, (short)(total >= ihl * 4 && total <= length ? total : length), ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)(f[19] & 3), ByteOrder.BIG_ENDIAN);
        if (f[22] == 0)
        {
            f[22] = 64;
        }
        b.putInt(26, Ip4.parse("10.0.0.2") + (f[29] & 3), ByteOrder.BIG_ENDIAN);
        b.putInt(30, Ip4.parse("10.0.0.1"), ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)0);
        b.putShort(24, (short)Ip4.checksum(b, 14, ihl * 4), ByteOrder.BIG_ENDIAN);
        return f;
    }
}
