package jvpp.nodes.ethernet;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static jvpp.nodes.testing.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VLAN sub-interfaces with crafted frames: the tag popped on input and pushed on output, in L3 (ARP and ping
 * answered on the sub-interface, tagged) and in a bridge domain (tagged trunk to untagged access and back);
 * exact-match, unknown VLANs, a sub-interface that is down, deletion with the parent, and the CLI's errors.
 */
class SubInterfaceTest
{
    private static final long MAC_A = 0x0200_0000_0a01L;
    private static final long HOST = 0x0200_0000_00aaL;
    private static final long HOST_B = 0x0200_0000_00bbL;
    private static final long BROADCAST = 0xffff_ffff_ffffL;

    private Jvpp vpp;
    private CaptureInterface a;
    private CaptureInterface b;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        a = CaptureInterface.create(vpp, "a", MAC_A);
        b = CaptureInterface.create(vpp, "b", 0x0200_0000_0b01L);
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private long error(final String node, final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(node, reason));
    }

    private List<byte[]> send(final CaptureInterface on, final byte[] frame)
    {
        on.receive(frame);
        TestJvpp.drain(vpp);
        return a.take();
    }

    @Test
    void shouldAnswerArpAndPingOnAnL3SubInterfaceWithItsTag()
    {
        assertEquals("a.100", ok(vpp, "create sub-interfaces a 100").trim());
        ok(vpp, "set interface ip address a.100 10.1.0.1/24");
        ok(vpp, "set interface state a.100 up");
        final List<byte[]> arpReply = send(a, Frames.dot1q(
            Frames.arp(BROADCAST, HOST, 1, HOST, "10.1.0.2", 0, "10.1.0.1"), 100));
        assertEquals(1, arpReply.size(), "ARP answered");
        final byte[] expected = Frames.dot1q(Frames.arp(HOST, MAC_A, 2, MAC_A, "10.1.0.1", HOST, "10.1.0.2"), 100);
        assertEquals(64, arpReply.get(0).length, "padded to 60 bytes, then tagged");
        assertTrue(hex(arpReply.get(0)).startsWith(hex(expected)), hex(arpReply.get(0)));

        ok(vpp, "set ip neighbor a.100 10.1.0.2 02:00:00:00:00:aa");
        final byte[] echo = Frames.ip4(MAC_A, HOST, "10.1.0.2", "10.1.0.1", 64, 1, Frames.echoRequest(7, 1, 16));
        final List<byte[]> reply = send(a, Frames.dot1q(echo, 100));
        assertEquals(1, reply.size(), "ping answered");
        final byte[] r = reply.get(0);
        assertEquals("8100" + "0064" + "0800", hex(r).substring(24, 36), "tagged vlan 100, then IPv4");
        assertEquals(0, r[16 + 20] & 0xff, "an echo reply");
        assertTrue(ok(vpp, "show interface a.100").contains("rx packets"), ok(vpp, "show interface a.100"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldBridgeATaggedTrunkToAnUntaggedAccessPortPoppingAndPushingTheTag()
    {
        ok(vpp, "create sub-interfaces a 7 dot1q 200");
        ok(vpp, "set interface state a.7 up");
        ok(vpp, "set interface l2 bridge a.7 1");
        ok(vpp, "set interface l2 bridge b 1");
        final byte[] untagged = Frames.ip4(HOST_B, HOST, "10.2.0.1", "10.2.0.2", 64, 17, new byte[26]);
        a.receive(Frames.dot1q(untagged, 200));
        TestJvpp.drain(vpp);
        final List<byte[]> toB = b.take();
        assertEquals(1, toB.size());
        assertEquals(hex(untagged), hex(toB.get(0)), "tag popped");
        assertTrue(a.take().isEmpty());

        final byte[] back = Frames.ip4(HOST, HOST_B, "10.2.0.2", "10.2.0.1", 64, 17, new byte[26]);
        b.receive(back);
        TestJvpp.drain(vpp);
        final List<byte[]> toA = a.take();
        assertEquals(1, toA.size());
        assertEquals(hex(Frames.dot1q(back, 200)), hex(toA.get(0)), "tag pushed, learned towards a.7");
        assertTrue(ok(vpp, "show l2fib verbose").contains("a.7"));
        // Counted on the sub-interface and on its parent.
        assertTrue(ok(vpp, "show interface a.7").contains("tx packets"));
        // ("show interface a" would be "show interface address": names are matched by unique prefix.)
        final String all = ok(vpp, "show interface");
        assertTrue(all.matches("(?s).*\\na +1 +up .*tx packets +1\n +tx bytes +64\n.*"), all);
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldTellExactMatchFromAnOuterTagOnly()
    {
        ok(vpp, "create sub-interfaces a 100");
        ok(vpp, "create sub-interfaces a 300 dot1q 300");
        ok(vpp, "set interface state a.100 up");
        ok(vpp, "set interface state a.300 up");
        ok(vpp, "set interface l2 bridge a.100 1");
        ok(vpp, "set interface l2 bridge a.300 1");
        ok(vpp, "set interface l2 bridge b 1");
        final byte[] inner = Frames.dot1q(Frames.ip4(HOST_B, HOST, "10.2.0.1", "10.2.0.2", 64, 17, new byte[26]), 5);
        a.receive(Frames.dot1q(inner, 100));
        TestJvpp.drain(vpp);
        assertTrue(b.take().isEmpty(), "exact-match a.100 does not take a double-tagged frame");
        assertEquals(1, error(EthernetInputNode.NAME, "unknown vlan"));
        a.receive(Frames.dot1q(inner, 300));
        TestJvpp.drain(vpp);
        final List<byte[]> toB = b.take();
        assertEquals(1, toB.size(), "a.300 (not exact-match) takes it and pops its own tag only");
        assertEquals(hex(inner), hex(toB.get(0)));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldDropUnknownVlansAndFramesForASubInterfaceThatIsDown()
    {
        ok(vpp, "create sub-interfaces a 100");
        ok(vpp, "set interface ip address a.100 10.1.0.1/24");
        final byte[] arp = Frames.arp(BROADCAST, HOST, 1, HOST, "10.1.0.2", 0, "10.1.0.1");
        assertTrue(send(a, Frames.dot1q(arp, 100)).isEmpty());
        assertEquals(1, error(EthernetInputNode.NAME, "subinterface down"));
        assertTrue(send(a, Frames.dot1q(arp, 101)).isEmpty());
        assertEquals(1, error(EthernetInputNode.NAME, "unknown vlan"));
        assertTrue(send(a, Frames.tag(arp, 0x88a8, 100)).isEmpty(), "802.1ad 100 is not dot1q 100");
        assertEquals(2, error(EthernetInputNode.NAME, "unknown vlan"));
        final byte[] runt = java.util.Arrays.copyOf(Frames.dot1q(arp, 100), 16);
        assertTrue(send(a, runt).isEmpty());
        assertEquals(1, error(EthernetInputNode.NAME, "frame shorter than an Ethernet header"));
        // Parent down: the sub-interface does not send.
        ok(vpp, "set interface state a.100 up");
        ok(vpp, "set interface state a down");
        assertFalse(vpp.interfaces().get("a.100").up());
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldGoWithItsParentAndOnDelete()
    {
        ok(vpp, "create sub-interfaces a 100");
        ok(vpp, "create sub-interfaces a 7 dot1ad 7 exact-match");
        assertTrue(ok(vpp, "show hardware-interfaces a.7").contains("sub-interface of a: dot1ad 7 exact-match"));
        assertFalse(ok(vpp, "show hardware-interfaces").contains("a.100"), "no hardware of their own");
        ok(vpp, "delete sub-interface a.7");
        assertNull(vpp.interfaces().get("a.7"));
        ok(vpp, "create sub-interfaces a 8 dot1ad 7");
        vpp.interfaces().delete(a.ifc());
        assertNull(vpp.interfaces().get("a.100"));
        assertNull(vpp.interfaces().get("a.8"));
    }

    @Test
    void shouldRefuseBadSubInterfaceCommandsAndChangeNothing()
    {
        ok(vpp, "create sub-interfaces a 100");
        final int before = vpp.interfaces().all().size();
        assertEquals("create sub-interfaces: sub-interface a.100 already exists", fails(vpp, "create sub-interfaces a 100").trim());
        assertEquals("create sub-interfaces: dot1q vlan 100 is already used by a.100", fails(vpp, "create sub-interfaces a 5 dot1q 100").trim());
        assertEquals("create sub-interfaces: a.100 is a sub-interface; sub-interfaces of sub-interfaces are not supported",
            fails(vpp, "create sub-interfaces a.100 1").trim());
        assertTrue(fails(vpp, "create sub-interfaces a 5000").trim().contains("sub-interface id 5000 is not a VLAN id"));
        assertTrue(fails(vpp, "create sub-interfaces a 5 dot1q 4096").trim().contains("vlan id"));
        assertEquals("create sub-interfaces: `inner-dot1q': not supported (sub-interfaces of one tag only)",
            fails(vpp, "create sub-interfaces a 5 dot1q 5 inner-dot1q 6").trim());
        assertEquals("create sub-interfaces: unknown interface `nope'", fails(vpp, "create sub-interfaces nope 1").trim());
        assertEquals("create sub-interfaces: local0 is not an Ethernet interface", fails(vpp, "create sub-interfaces local0 1").trim());
        assertEquals("delete sub-interface: a is not a sub-interface", fails(vpp, "delete sub-interface a").trim());
        assertEquals(before, vpp.interfaces().all().size(), "nothing half-created");
    }
}
