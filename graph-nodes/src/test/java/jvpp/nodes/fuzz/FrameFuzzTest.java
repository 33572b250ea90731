package jvpp.nodes.fuzz;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.l2.BridgeDomains;
import jvpp.nodes.testing.CaptureInterface;
import org.junit.jupiter.api.AfterAll;

/**
 * Arbitrary bytes as a received frame through the whole graph: ethernet-input (VLAN sub-interfaces), ARP,
 * IPv4 (lookup, rewrite, fragmentation, local, ICMP errors, ARP resolution), L2 (learn, forward, flood, BVI, xconnect).
 * The first input byte picks the receiving interface, the rest is the frame. After each input the graph is
 * drained and every buffer must be back in the pool: a node that throws, loops or loses a buffer fails.
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
        rx[(data[0] & 0xff) % rx.length].receive(frame);
        TestJvpp.drain(vpp);
        for (final CaptureInterface c : rx)
        {
            c.take();
        }
        // In use after the drain: only what a holder accounts for (packets waiting for ARP), as show buffers says.
        long held = 0;
        for (final BufferPool.Holder h : vpp.pool().holders())
        {
            held += h.count().getAsLong();
        }
        assertEquals(held, vpp.pool().used(), "buffers in use after the graph drained, beyond what holders hold");
    }
}
