package jvpp.nodes.ip4;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static jvpp.nodes.testing.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.net.Ip4;
import jvpp.core.net.MacAddress;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IPv4 router, node by node, with crafted frames in and golden bytes out: two interfaces, if1 with
 * 10.0.1.1/24 and if2 with 10.0.2.1/24, a host 10.0.1.2 on if1 and 10.0.2.2 on if2.
 */
class Ip4RouterTest
{
    static final long IF1_MAC = 0x0200_0000_0101L;
    static final long IF2_MAC = 0x0200_0000_0201L;
    static final long HOST1_MAC = 0x0200_0000_0102L;
    static final long HOST2_MAC = 0x0200_0000_0202L;

    private Jvpp vpp;
    private Ip4Main ip4;
    private CaptureInterface if1;
    private CaptureInterface if2;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        ip4 = vpp.service(Ip4Main.class);
        if1 = CaptureInterface.create(vpp, "if1", IF1_MAC);
        if2 = CaptureInterface.create(vpp, "if2", IF2_MAC);
        addressTwoInterfaces(vpp);
    }

    /** if1 10.0.1.1/24 with host 10.0.1.2, if2 10.0.2.1/24 with host 10.0.2.2 (static neighbors). */
    static void addressTwoInterfaces(final Jvpp vpp)
    {
        ok(vpp, "set interface ip address if1 10.0.1.1/24");
        ok(vpp, "set interface ip address if2 10.0.2.1/24");
        ok(vpp, "set ip neighbor if1 10.0.1.2 02:00:00:00:01:02 static");
        ok(vpp, "set ip neighbor if2 10.0.2.2 02:00:00:00:02:02 static");
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private void run()
    {
        TestJvpp.drain(vpp);
        ip4.drainLearned();
        TestJvpp.drain(vpp);
    }

    private long error(final String node, final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(node, reason));
    }

    private static byte[] udp(final int bytes)
    {
        final byte[] p = new byte[bytes];
        p[0] = 0x30;
        p[1] = 0x39;
        p[2] = 0x00;
        p[3] = 0x35;
        p[5] = (byte)bytes;
        return p;
    }

    @Test
    void shouldForwardWithRewriteAndTtlDecrement()
    {
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(18)));
        run();
        final List<byte[]> out = if2.take();
        assertEquals(1, out.size());
        assertEquals(hex(Frames.ip4(HOST2_MAC, IF2_MAC, "10.0.1.2", "10.0.2.2", 63, 17, udp(18))), hex(out.get(0)));
        assertTrue(if1.take().isEmpty());
        assertTrue(ok(vpp, "show interface if2").contains("tx packets"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldTrimEthernetPaddingToTheIpLength()
    {
        final byte[] small = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(8));
        final byte[] padded = java.util.Arrays.copyOf(small, 60);
        if1.receive(padded);
        run();
        assertEquals(hex(Frames.ip4(HOST2_MAC, IF2_MAC, "10.0.1.2", "10.0.2.2", 63, 17, udp(8))), hex(if2.take().get(0)));
    }

    @Test
    void shouldSendTimeExceededForTtlOne()
    {
        final byte[] in = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 1, 17, udp(18));
        if1.receive(in);
        run();
        assertTrue(if2.take().isEmpty());
        // The whole offending packet is quoted: it fits in 576 bytes (RFC 1812 4.3.2.3).
        final byte[] icmp = new byte[8 + in.length - 14];
        icmp[0] = 11;
        System.arraycopy(in, 14, icmp, 8, in.length - 14);
        final UnsafeBuffer b = new UnsafeBuffer(icmp);
        b.putShort(2, (short)Ip4.checksum(b, 0, icmp.length), java.nio.ByteOrder.BIG_ENDIAN);
        final byte[] expected = Frames.ip4(HOST1_MAC, IF1_MAC, "10.0.1.1", "10.0.1.2", 64, 1, icmp);
        // jvpp's ICMP errors carry id 0; Frames.ip4 writes 0x1234: patch id and checksum the expected way.
        final UnsafeBuffer e = new UnsafeBuffer(expected);
        e.putShort(18, (short)0);
        e.putShort(24, (short)0);
        e.putShort(24, (short)Ip4.checksum(e, 14, 20), java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(hex(expected), hex(if1.take().get(0)));
        assertEquals(1, error("ip4-rewrite", "ip4 ttl <= 1"));
        assertEquals(1, error("ip4-icmp-error", "ICMP errors sent"));
    }

    @Test
    void shouldSendDestinationUnreachableForNoRoute()
    {
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "192.0.2.1", 64, 17, udp(18)));
        run();
        final byte[] out = if1.take().get(0);
        assertEquals(1, out[23], "ICMP");
        assertEquals(3, out[34], "destination unreachable");
        assertEquals(0, out[35], "net unreachable");
        assertEquals("0a000101", hex(java.util.Arrays.copyOfRange(out, 26, 30)));
        assertEquals(0, Ip4.checksum(new UnsafeBuffer(out), 34, out.length - 34), "ICMP checksum verifies");
    }

    @Test
    void shouldAnswerEchoRequestsToOurAddress()
    {
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.1.1", 64, 1, Frames.echoRequest(7, 1, 16)));
        run();
        final byte[] reply = Frames.echoRequest(7, 1, 16);
        reply[0] = 0;
        final UnsafeBuffer r = new UnsafeBuffer(reply);
        r.putShort(2, (short)0);
        r.putShort(2, (short)Ip4.checksum(r, 0, reply.length), java.nio.ByteOrder.BIG_ENDIAN);
        final byte[] expected = Frames.ip4(HOST1_MAC, IF1_MAC, "10.0.1.1", "10.0.1.2", 64, 1, reply);
        assertEquals(hex(expected), hex(if1.take().get(0)));
        assertEquals(1, error("ip4-local", "echo replies sent"));
    }

    @Test
    void shouldAnswerUdpAndUnknownProtocolsWithUnreachables()
    {
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.1.1", 64, 17, udp(12)));
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.1.1", 64, 99, new byte[12]));
        run();
        final List<byte[]> out = if1.take();
        assertEquals(2, out.size());
        assertEquals(3, out.get(0)[34]);
        assertEquals(3, out.get(0)[35], "port unreachable");
        assertEquals(3, out.get(1)[34]);
        assertEquals(2, out.get(1)[35], "protocol unreachable");
    }

    @Test
    void shouldNeedFragmentationWhenDfIsSetAndFragmentOtherwise()
    {
        ok(vpp, "set interface mtu 100 if2");
        final byte[] df = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(100));
        df[20] = 0x40;
        final UnsafeBuffer d = new UnsafeBuffer(df);
        d.putShort(24, (short)0);
        d.putShort(24, (short)Ip4.checksum(d, 14, 20), java.nio.ByteOrder.BIG_ENDIAN);
        if1.receive(df);
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(100)));
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(60)));
        run();
        assertEquals(3, if2.take().size(), "the packet without DF in two fragments (ip4-frag), the one under the MTU");
        final byte[] icmp = if1.take().get(0);
        assertEquals(3, icmp[34]);
        assertEquals(4, icmp[35], "fragmentation needed");
        assertEquals(100, ((icmp[40] & 0xff) << 8) | (icmp[41] & 0xff), "next-hop MTU");
        assertEquals(1, error("ip4-rewrite", "ip4 MTU exceeded and DF set"));
        assertEquals(1, error("ip4-rewrite", "ip4 MTU exceeded (to ip4-frag)"));
        assertEquals(1, error("ip4-frag", "ip4 packets fragmented"));
    }

    @Test
    void shouldCountEveryMalformedHeaderUnderItsOwnReason()
    {
        final byte[] good = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(18));
        final byte[] version = good.clone();
        version[14] = 0x65;
        final byte[] ihl = good.clone();
        ihl[14] = 0x44;
        final byte[] longer = good.clone();
        longer[17] = (byte)200;
        final byte[] shorter = good.clone();
        shorter[16] = 0;
        shorter[17] = 10;
        final byte[] checksum = good.clone();
        checksum[25] ^= 0x55;
        final byte[] ttl0 = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 0, 17, udp(18));
        final byte[] tiny = java.util.Arrays.copyOf(good, 14 + 19);
        final byte[] multicastSource = Frames.ip4(IF1_MAC, HOST1_MAC, "224.0.0.5", "10.0.2.2", 64, 17, udp(18));
        final byte[] broadcastSource = Frames.ip4(IF1_MAC, HOST1_MAC, "255.255.255.255", "10.0.2.2", 64, 17, udp(18));
        for (final byte[] f : List.of(version, ihl, longer, shorter, checksum, ttl0, tiny, multicastSource, broadcastSource))
        {
            if1.receive(f);
        }
        run();
        assertTrue(if2.take().isEmpty());
        assertEquals(1, error("ip4-input", "ip4 version != 4"));
        assertEquals(1, error("ip4-input", "ip4 header length < 20 bytes"));
        assertEquals(1, error("ip4-input", "ip4 length > l2 length"));
        assertEquals(1, error("ip4-input", "ip4 length < header length"));
        assertEquals(1, error("ip4-input", "bad ip4 checksum"));
        assertEquals(1, error("ip4-input", "ip4 ttl 0"));
        assertEquals(1, error("ip4-input", "ip4 packet shorter than 20 bytes"));
        assertEquals(2, error("ip4-input", "ip4 source address multicast or broadcast"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldAnswerArpForOurAddressAndLearnTheSender()
    {
        final long asker = 0x0200_0000_0103L;
        if1.receive(Frames.arp(-1L & 0xffff_ffff_ffffL, asker, 1, asker, "10.0.1.3", 0, "10.0.1.1"));
        run();
        final byte[] reply = java.util.Arrays.copyOf(Frames.arp(asker, IF1_MAC, 2, IF1_MAC, "10.0.1.1", asker, "10.0.1.3"), 60);
        assertEquals(hex(reply), hex(if1.take().get(0)));
        final Ip4Main.Neighbor n = ip4.neighbor(if1.swIfIndex(), Ip4.parse("10.0.1.3"));
        assertNotNull(n, "the asker was learned");
        assertEquals(asker, n.mac());
        assertTrue(ok(vpp, "show ip neighbors").contains("10.0.1.3"));
        assertTrue(ok(vpp, "show ip fib 10.0.1.3/32").contains("via 10.0.1.3 if1"), "adj-fib installed");
    }

    @Test
    void shouldCountMalformedArpUnderItsOwnReason()
    {
        final byte[] good = Frames.arp(-1L & 0xffff_ffff_ffffL, HOST1_MAC, 1, HOST1_MAC, "10.0.1.2", 0, "10.0.1.1");
        final byte[] hw = good.clone();
        hw[15] = 6;
        final byte[] proto = good.clone();
        proto[16] = (byte)0x86;
        final byte[] lengths = good.clone();
        lengths[18] = 8;
        final byte[] opcode = good.clone();
        opcode[21] = 9;
        final byte[] shortOne = java.util.Arrays.copyOf(good, 30);
        final byte[] other = Frames.arp(-1L & 0xffff_ffff_ffffL, HOST1_MAC, 1, HOST1_MAC, "10.0.1.2", 0, "10.0.1.99");
        for (final byte[] f : List.of(hw, proto, lengths, opcode, shortOne, other))
        {
            if1.receive(f);
        }
        run();
        assertTrue(if1.take().isEmpty());
        assertEquals(1, error("arp-input", "ARP hardware type not Ethernet"));
        assertEquals(1, error("arp-input", "ARP protocol type not IP4"));
        assertEquals(1, error("arp-input", "ARP bad address lengths"));
        assertEquals(1, error("arp-input", "ARP unknown opcode"));
        assertEquals(1, error("arp-input", "ARP packet too short"));
        assertEquals(1, error("arp-input", "ARP request for an address that is not ours"));
    }

    @Test
    void shouldResolveAnUnknownNeighborHoldThePacketsAndReleaseThemOnTheReply()
    {
        for (int i = 0; i < 10; i++)
        {
            if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.3", 64, 17, udp(18 + i)));
        }
        run();
        final List<byte[]> asked = if2.take();
        assertEquals(1, asked.size(), "one ARP request for ten packets");
        final byte[] request = java.util.Arrays.copyOf(
            Frames.arp(-1L & 0xffff_ffff_ffffL, IF2_MAC, 1, IF2_MAC, "10.0.2.1", 0, "10.0.2.3"), 60);
        assertEquals(hex(request), hex(asked.get(0)));
        assertEquals(4, error("ip4-arp", "packets held for ARP resolution"));
        assertEquals(6, error("ip4-arp", "ARP hold queue full"));

        final long host3 = 0x0200_0000_0203L;
        if2.receive(Frames.arp(IF2_MAC, host3, 2, host3, "10.0.2.3", IF2_MAC, "10.0.2.1"));
        run();
        final List<byte[]> released = if2.take();
        assertEquals(4, released.size(), "held packets released in order");
        for (int i = 0; i < 4; i++)
        {
            assertEquals(hex(Frames.ip4(host3, IF2_MAC, "10.0.1.2", "10.0.2.3", 63, 17, udp(18 + i))), hex(released.get(i)));
        }
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.3", 64, 17, udp(18)));
        run();
        assertEquals(1, if2.take().size(), "now forwarded directly");
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldRetryArpAndGiveUpAfterThreeRequests()
    {
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.9", 64, 17, udp(18)));
        run();
        assertEquals(1, if2.take().size());
        final Ip4ArpNode arp = (Ip4ArpNode)vpp.mainDispatcher().node(Ip4ArpNode.NAME);
        final long t = System.nanoTime();
        arp.retry(t + Ip4ArpNode.RETRY_NANOS);
        arp.retry(t + 2 * Ip4ArpNode.RETRY_NANOS);
        run();
        assertEquals(2, if2.take().size(), "two more requests");
        assertEquals(1, arp.heldPackets());
        arp.retry(t + 3 * Ip4ArpNode.RETRY_NANOS);
        run();
        assertEquals(0, arp.heldPackets());
        assertEquals(1, error("ip4-arp", "ARP resolution failed"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldResolveRecursiveRoutesAndSpreadFlowsOverEqualPaths()
    {
        ok(vpp, "ip route add 10.9.0.0/16 via 10.0.2.2");
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.9.1.1", 64, 17, udp(18)));
        run();
        assertEquals(hex(Frames.ip4(HOST2_MAC, IF2_MAC, "10.0.1.2", "10.9.1.1", 63, 17, udp(18))), hex(if2.take().get(0)));

        ok(vpp, "ip route add 172.16.0.0/12 via 10.0.1.2 if1 via 10.0.2.2 if2");
        for (int i = 0; i < 200; i++)
        {
            final byte[] f = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "172.16.0." + (i % 50 + 1), 64, 17, udp(18));
            f[35] = (byte)i;
            if1.receive(f);
        }
        run();
        final int out1 = if1.take().size();
        final int out2 = if2.take().size();
        assertEquals(200, out1 + out2);
        assertTrue(out1 > 40 && out2 > 40, "both paths used: " + out1 + " / " + out2);
        // One flow, one path.
        for (int i = 0; i < 20; i++)
        {
            if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "172.16.0.7", 64, 17, udp(18)));
        }
        run();
        final int a = if1.take().size();
        final int b = if2.take().size();
        assertTrue(a == 20 || b == 20, "a flow stays on one path: " + a + " / " + b);
        final String fib = ok(vpp, "show ip fib 172.16.0.0/12");
        assertTrue(fib.contains("buckets:2"), fib);
    }

    @Test
    void shouldResolveRecursionThroughItselfToDrop()
    {
        ok(vpp, "ip route add 10.50.0.0/16 via 10.50.0.1");
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.50.3.3", 64, 17, udp(18)));
        run();
        assertTrue(if2.take().isEmpty());
        assertEquals(1, error("ip4-lookup", "ip4 drop route"));
    }

    @Test
    void shouldPingThroughTheGraph()
    {
        if2.answerPings = true;
        final String out = ok(vpp, "ping 10.0.2.2 repeat 3 interval 0.01");
        assertTrue(out.contains("64 bytes from 10.0.2.2: icmp_seq=1 ttl=61 time="), out);
        assertTrue(out.contains("icmp_seq=3"), out);
        assertTrue(out.endsWith("Statistics: 3 sent, 3 received, 0% packet loss\n"), out);
        final String self = ok(vpp, "ping 10.0.1.1 repeat 2 interval 0.01");
        assertTrue(self.contains("Statistics: 2 sent, 2 received, 0% packet loss"), self);
        if2.answerPings = false;
        final String lost = ok(vpp, "ping 10.0.2.2 repeat 2 interval 0.01");
        assertTrue(lost.contains("Statistics: 2 sent, 0 received, 100% packet loss"), lost);
        assertTrue(fails(vpp, "ping 192.0.2.1 repeat 1").contains("no source address to reach 192.0.2.1"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldSpeakVppctlForAddressesRoutesAndNeighbors()
    {
        assertEquals("set interface ip address: failed to add 10.0.1.9/24 on if2 which conflicts with 10.0.1.1/24 for interface if1\n",
            fails(vpp, "set interface ip address if2 10.0.1.9/24"));
        assertEquals("set interface ip address: failed to add 10.0.1.1/24 on if1 which conflicts with 10.0.1.1/24 for interface if1\n",
            fails(vpp, "set interface ip address if1 10.0.1.1/24"), "the same address again, as VPP");
        assertEquals("set interface ip address: 10.0.1.9/24 not found for interface if1\n",
            fails(vpp, "set interface ip address del if1 10.0.1.9/24"));
        assertEquals("set interface ip address: expected IP4/IP6 address/length `10.0.1/24'\n",
            fails(vpp, "set interface ip address if1 10.0.1/24"));
        assertEquals("if1 (up):\n  L3 10.0.1.1/24\n", ok(vpp, "show interface address if1"));
        ok(vpp, "set interface ip address if1 10.0.1.77/24");
        assertTrue(ok(vpp, "sh int addr if1").contains("L3 10.0.1.77/24"), "secondary address on the same subnet");
        ok(vpp, "set interface ip address del if1 all");
        assertEquals("if1 (up):\n", ok(vpp, "show interface address if1"));

        ok(vpp, "ip route add 192.168.0.0/16 via 10.0.2.2 if2");
        final String fib = ok(vpp, "show ip fib 192.168.0.0/16");
        assertTrue(fib.contains("path: via 10.0.2.2 if2 (source cli)") && fib.contains("ipv4 via 10.0.2.2 if2"), fib);
        assertTrue(ok(vpp, "show ip fib 192.168.4.4").contains("192.168.0.0/16"), "longest match for an address");
        assertTrue(fails(vpp, "ip route del 192.169.0.0/16").contains("not found"));
        ok(vpp, "ip route del 192.168.0.0/16");
        assertFalse(ok(vpp, "show ip fib").contains("192.168.0.0/16"));
        ok(vpp, "ip route add count 100 198.18.0.0/24 via 10.0.2.2 if2");
        final String summary = ok(vpp, "show ip fib summary");
        assertTrue(summary.matches("(?s).*\\n\\s+24\\s+101\\n.*"), "100 routes + if2's connected /24 (if1's was deleted above):\n" + summary);
        assertTrue(ok(vpp, "show ip fib 198.18.99.0/24").contains("198.18.99.0/24"));
        assertTrue(fails(vpp, "ip route add 10.1.0.0/16 via nowhere").contains("unknown input `nowhere'"));
        assertTrue(fails(vpp, "set ip neighbor if1 10.0.1.5 zz:zz").contains("expected MAC address"));
    }

    // RFC 1812 / RFC 1122 (issue 14): martian sources, unicast in an L2 broadcast, RFC 1858 fragments, TTL 0
    // answered, VPP's special FIB entries and a subnet's network and broadcast addresses, when no ICMP error may
    // be sent, and how much an error quotes; each drop under its own reason.

    private void send(final byte[]... frames)
    {
        for (final byte[] f : frames)
        {
            if1.receive(f);
        }
        TestJvpp.drain(vpp);
        ip4.drainLearned();
        TestJvpp.drain(vpp);
    }

    private static byte[] from(final String src, final String dst, final int ttl)
    {
        return Frames.ip4(IF1_MAC, HOST1_MAC, src, dst, ttl, 17, new byte[18]);
    }

    private static byte[] fragment(final int protocol, final int flagsFragment, final int payload)
    {
        return Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, protocol,
            flagsFragment, new byte[0], new byte[payload]);
    }

    @Test
    void martianSourcesAreDroppedEachUnderItsReason()
    {
        send(from("0.1.2.3", "10.0.2.2", 64), from("127.0.0.1", "10.0.2.2", 64), from("240.0.0.1", "10.0.2.2", 64),
            from("10.0.1.1", "10.0.2.2", 64), from("10.0.1.255", "10.0.2.2", 64),
            // another interface's address arriving on if1 is a spoof by RFC 1812 too, but only if1's are checked
            from("10.0.1.2", "127.0.0.1", 64), from("10.0.1.2", "10.0.2.2", 64));
        assertEquals(1, if2.take().size(), "only the real host's packet is forwarded");
        assertTrue(if1.take().isEmpty(), "no ICMP error about a martian");
        assertEquals(1, error("ip4-input", "ip4 destination in 127.0.0.0/8 (martian)"));
        assertEquals(1, error("ip4-input", "ip4 source address in 0.0.0.0/8 (martian)"));
        assertEquals(1, error("ip4-input", "ip4 source address in 127.0.0.0/8 (martian)"));
        assertEquals(1, error("ip4-input", "ip4 source address multicast or broadcast"));
        assertEquals(1, error("ip4-input", "ip4 spoofed local-address packet drops"));
        assertEquals(1, error("ip4-input", "ip4 source address is a connected subnet's broadcast (martian)"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void unicastInABroadcastFrameIsNotRouted()
    {
        final byte[] f = from("10.0.1.2", "10.0.2.2", 64);
        for (int i = 0; i < 6; i++)
        {
            f[i] = (byte)0xff;
        }
        send(f);
        assertTrue(if2.take().isEmpty());
        assertEquals(1, error("ip4-input", "ip4 unicast destination in an l2 broadcast or multicast frame"));
    }

    @Test
    void rfc1858FragmentsAreDropped()
    {
        send(fragment(6, 1, 40), fragment(17, 1, 40), fragment(6, 0x2000, 8), fragment(6, 0x2000, 24),
            fragment(17, 0x2000, 8));
        // the 24-byte TCP first fragment and the 8-byte UDP one pass
        assertEquals(2, if2.take().size());
        assertEquals(2, error("ip4-input", "ip4 fragment offset == 1"));
        assertEquals(1, error("ip4-input", "ip4 tiny TCP first fragment (RFC 1858)"));
    }

    @Test
    void ttlZeroIsAnsweredWithTimeExceeded()
    {
        send(from("10.0.1.2", "10.0.2.2", 0), from("10.0.1.2", "224.0.0.5", 0));
        assertTrue(if2.take().isEmpty());
        final List<byte[]> back = if1.take();
        assertEquals(1, back.size(), "time exceeded for the unicast one only");
        assertEquals(11, back.get(0)[14 + 20]);
        assertEquals(2, error("ip4-input", "ip4 ttl 0"));
        assertEquals(1, error("ip4-icmp-error", "ICMP error not sent: destination multicast or broadcast"));
    }

    @Test
    void specialDestinationsAreDroppedSilentlyEachUnderItsReason()
    {
        send(from("10.0.1.2", "224.0.0.251", 64), from("10.0.1.2", "239.255.255.250", 64),
            from("10.0.1.2", "240.1.2.3", 64), from("10.0.1.2", "255.255.255.255", 64),
            from("10.0.1.2", "0.0.0.0", 64), from("10.0.1.2", "10.0.2.255", 64), from("10.0.1.2", "10.0.2.0", 64));
        assertTrue(if2.take().isEmpty(), "no ARP for a subnet's broadcast or network address, nothing routed");
        assertTrue(if1.take().isEmpty(), "no ICMP error about any of them");
        assertEquals(2, error("ip4-lookup", "ip4 multicast destination (not routed)"));
        assertEquals(1, error("ip4-lookup", "ip4 destination in 240.0.0.0/4 (reserved)"));
        assertEquals(1, error("ip4-lookup", "ip4 destination 255.255.255.255 (limited broadcast, not routed)"));
        assertEquals(1, error("ip4-lookup", "ip4 destination 0.0.0.0"));
        assertEquals(1, error("ip4-lookup", "ip4 directed broadcast dropped (RFC 2644)"));
        assertEquals(1, error("ip4-lookup", "ip4 destination is a subnet's network address"));
        final String fib = ok(vpp, "show ip fib");
        for (final String p : List.of("10.0.2.255/32", "10.0.2.0/32", "224.0.0.0/4", "240.0.0.0/4", "0.0.0.0/32",
            "255.255.255.255/32"))
        {
            assertTrue(fib.contains(p + "\n"), p + " in\n" + fib);
        }
        ok(vpp, "set interface ip address if2 10.0.2.9/24");
        ok(vpp, "set interface ip address del if2 10.0.2.1/24");
        assertTrue(ok(vpp, "show ip fib").contains("10.0.2.255/32\n"), "kept while 10.0.2.9/24 is there");
        ok(vpp, "set interface ip address del if2 10.0.2.9/24");
        assertTrue(!ok(vpp, "show ip fib").contains("10.0.2.255/32"), "removed with the last address");
    }

    @Test
    void noErrorAboutAnErrorOrALaterFragment()
    {
        final byte[] unreachable = new byte[36];
        unreachable[0] = 3;
        send(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "192.0.2.1", 64, 1, unreachable),
            Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "192.0.2.1", 64, 17, 0x0010,
                new byte[0], new byte[16]),
            from("10.0.1.2", "192.0.2.1", 64));
        assertEquals(1, if1.take().size(), "net unreachable for the plain UDP one only");
        assertEquals(1, error("ip4-icmp-error", "ICMP error not sent: about an ICMP error"));
        assertEquals(1, error("ip4-icmp-error", "ICMP error not sent: about a non-first fragment"));
    }

    @Test
    void anErrorQuotesUpTo576Bytes()
    {
        send(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 1, 17, new byte[1000]),
            Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 1, 17, new byte[100]));
        final List<byte[]> back = if1.take();
        assertEquals(2, back.size());
        assertEquals(14 + 576, back.get(0).length);
        assertEquals(14 + 28 + 120, back.get(1).length, "a short packet is quoted whole");
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void theRewriteTraceShowsThePacketAsItLeaves()
    {
        final byte[] frame = Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, udp(18));
        final byte[] ip = java.util.Arrays.copyOfRange(frame, 14, frame.length);
        ok(vpp, "packet-generator new { name t limit 1 interface if1 node ethernet-input data { 0x0800: "
            + MacAddress.format(HOST1_MAC) + " -> " + MacAddress.format(IF1_MAC) + " hex " + hex(ip)
            + " } }");
        ok(vpp, "trace add pg-input 1");
        ok(vpp, "packet-generator enable-stream");
        run();
        final String trace = ok(vpp, "show trace");
        final String rewrite = trace.substring(trace.indexOf("ip4-rewrite"));
        // the Ethernet header it leaves with, and TTL 63: after the rewrite, as VPP's ip4-rewrite trace
        assertTrue(rewrite.contains("IP4: " + MacAddress.format(IF2_MAC) + " -> " + MacAddress.format(HOST2_MAC)
            + "\n  UDP: 10.0.1.2 -> 10.0.2.2\n    tos 0x00, ttl 63,"), trace);
    }
}
