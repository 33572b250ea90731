package jvpp.nodes.arp;

import static jvpp.core.testing.TestJvpp.ok;
import static jvpp.nodes.testing.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.ip4.Ip4Main;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * arp-input's learning rules (graph-nodes/README.md, "ARP learning"), one real frame per rule through
 * ethernet-input: what is answered, what the neighbor table holds afterwards, and which counter moved. if1 has
 * 10.0.1.1/24, if2 10.0.2.1/24.
 */
class ArpLearningTest
{
    static final long IF1_MAC = 0x0200_0000_0101L;
    static final long IF2_MAC = 0x0200_0000_0201L;
    static final long HOST = 0x0200_0000_0103L;
    static final long ATTACKER = 0x0200_0000_0666L;
    static final long BROADCAST = 0xffff_ffff_ffffL;
    static final int REQUEST = 1;
    static final int REPLY = 2;

    private Jvpp vpp;
    private Ip4Main ip4;
    private CaptureInterface if1;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        ip4 = vpp.service(Ip4Main.class);
        if1 = CaptureInterface.create(vpp, "if1", IF1_MAC);
        CaptureInterface.create(vpp, "if2", IF2_MAC);
        ok(vpp, "set interface ip address if1 10.0.1.1/24");
        ok(vpp, "set interface ip address if2 10.0.2.1/24");
    }

    @AfterEach
    void close()
    {
        assertEquals(0, vpp.pool().used(), "every buffer back");
        vpp.close();
    }

    private void run()
    {
        TestJvpp.drain(vpp);
        ip4.drainLearned();
        TestJvpp.drain(vpp);
    }

    private long error(final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(ArpInputNode.NAME, reason));
    }

    private Ip4Main.Neighbor neighbor(final String ip)
    {
        return ip4.neighbor(if1.swIfIndex(), Ip4.parse(ip));
    }

    /** An ARP frame on if1 whose Ethernet source is its sender MAC. */
    private void arp(final long dst, final int op, final long sender, final String senderIp, final String targetIp)
    {
        if1.receive(Frames.arp(dst, sender, op, sender, senderIp, op == REPLY ? IF1_MAC : 0, targetIp));
    }

    @Test
    void shouldDropArpClaimingTheRoutersOwnAddressGratuitousOrNot()
    {
        arp(BROADCAST, REPLY, ATTACKER, "10.0.1.1", "10.0.1.1");
        arp(BROADCAST, REQUEST, ATTACKER, "10.0.1.1", "10.0.1.1");
        arp(BROADCAST, REQUEST, ATTACKER, "10.0.1.1", "10.0.1.3");
        // if2's address, claimed on if1 (off if1's subnet too: the own-address rule comes first).
        arp(IF1_MAC, REPLY, ATTACKER, "10.0.2.1", "10.0.1.1");
        run();
        assertTrue(if1.take().isEmpty(), "nothing answered");
        assertEquals(4, error("IP4 source address matches local interface"));
        assertNull(neighbor("10.0.1.1"));
        assertTrue(ip4.neighbors().isEmpty(), ok(vpp, "show ip neighbors"));
        assertFalse(ok(vpp, "show ip neighbors").contains("10.0.1.1"));
    }

    @Test
    void shouldDropSendersOffTheReceivingInterfacesSubnet()
    {
        arp(BROADCAST, REQUEST, HOST, "10.9.9.9", "10.0.1.1");
        arp(IF1_MAC, REPLY, HOST, "10.0.2.7", "10.0.1.1");
        run();
        assertTrue(if1.take().isEmpty(), "not answered");
        assertEquals(2, error("IP4 source address not local to subnet"));
        assertTrue(ip4.neighbors().isEmpty());
    }

    @Test
    void shouldAnswerAProbeForOurAddressButNeverLearnFromProbes()
    {
        arp(BROADCAST, REQUEST, HOST, "0.0.0.0", "10.0.1.1");
        arp(BROADCAST, REQUEST, HOST, "0.0.0.0", "10.0.1.77");
        run();
        final byte[] reply = Arrays.copyOf(Frames.arp(HOST, IF1_MAC, REPLY, IF1_MAC, "10.0.1.1", HOST, "0.0.0.0"), 60);
        assertEquals(Arrays.asList(hex(reply)), if1.take().stream().map(Frames::hex).toList(),
            "only the probe for our address is answered (RFC 5227 2.1.1)");
        assertEquals(2, error("ARP probe (sender 0.0.0.0, RFC 5227) never learned"));
        assertEquals(1, error("ARP replies sent"));
        assertTrue(ip4.neighbors().isEmpty());
    }

    @Test
    void shouldNeverLearnAZeroMulticastOrBroadcastSenderMac()
    {
        for (final long mac : new long[] {0, BROADCAST, 0x0100_5e00_0001L, 0x3333_0000_0001L})
        {
            // The Ethernet source is a good unicast MAC: the sender MAC check comes first.
            if1.receive(Frames.arp(BROADCAST, HOST, REQUEST, mac, "10.0.1.3", 0, "10.0.1.1"));
        }
        if1.receive(Frames.arp(BROADCAST, HOST, REQUEST, HOST, "255.255.255.255", 0, "10.0.1.1"));
        if1.receive(Frames.arp(BROADCAST, HOST, REQUEST, HOST, "224.0.0.1", 0, "10.0.1.1"));
        run();
        assertTrue(if1.take().isEmpty());
        assertEquals(6, error("ARP sender MAC or address invalid"));
        assertTrue(ip4.neighbors().isEmpty());
    }

    @Test
    void shouldDropArpWhoseEthernetSourceIsNotTheSenderMacButAVrrpReply()
    {
        if1.receive(Frames.arp(BROADCAST, ATTACKER, REQUEST, HOST, "10.0.1.3", 0, "10.0.1.1"));
        if1.receive(Frames.arp(IF1_MAC, ATTACKER, REPLY, HOST, "10.0.1.3", IF1_MAC, "10.0.1.1"));
        run();
        assertTrue(if1.take().isEmpty());
        assertEquals(2, error("ARP hw addr does not match L2 frame src addr"));
        assertNull(neighbor("10.0.1.3"));
        // A VRRP master answers with the virtual MAC from its own (VPP lets those through).
        final long vrrp = 0x0000_5e00_0107L;
        if1.receive(Frames.arp(IF1_MAC, HOST, REPLY, vrrp, "10.0.1.254", IF1_MAC, "10.0.1.1"));
        run();
        assertEquals(vrrp, neighbor("10.0.1.254").mac());
    }

    @Test
    void shouldLetGratuitousArpRefreshAKnownNeighborButNeverCreateOne()
    {
        arp(BROADCAST, REQUEST, HOST, "10.0.1.5", "10.0.1.5");
        arp(BROADCAST, REPLY, HOST, "10.0.1.5", "10.0.1.5");
        run();
        assertEquals(2, error("gratuitous ARP for an unknown neighbor (not learned)"));
        assertNull(neighbor("10.0.1.5"), "a gratuitous ARP creates nothing");
        // Known once it asks us; then a gratuitous ARP moves it (a NIC swap, a failover).
        arp(BROADCAST, REQUEST, HOST, "10.0.1.5", "10.0.1.1");
        run();
        assertEquals(1, if1.take().size(), "answered");
        assertEquals(1, error("ARP request IP4 source address learned"));
        assertEquals(HOST, neighbor("10.0.1.5").mac());
        final long moved = 0x0200_0000_0105L;
        arp(BROADCAST, REQUEST, moved, "10.0.1.5", "10.0.1.5");
        run();
        assertEquals(1, error("gratuitous ARP refreshed a known neighbor"));
        assertEquals(moved, neighbor("10.0.1.5").mac());
        // A static neighbor stays.
        ok(vpp, "set ip neighbor if1 10.0.1.6 02:00:00:00:01:06 static");
        arp(BROADCAST, REPLY, ATTACKER, "10.0.1.6", "10.0.1.6");
        run();
        assertEquals(2, error("gratuitous ARP refreshed a known neighbor"));
        assertEquals(0x0200_0000_0106L, neighbor("10.0.1.6").mac());
        assertTrue(if1.take().isEmpty());
    }

    @Test
    void shouldLearnFromARepliesToUsButNotFromARepliesOrRequestsForOthers()
    {
        arp(BROADCAST, REPLY, HOST, "10.0.1.3", "10.0.1.9");
        arp(BROADCAST, REQUEST, HOST, "10.0.1.3", "10.0.1.9");
        run();
        assertEquals(1, error("ARP reply for an address that is not ours (not learned)"));
        assertEquals(1, error("ARP request for an address that is not ours"));
        assertNull(neighbor("10.0.1.3"));
        // A reply to us creates, asked for or not (VPP's rule).
        arp(IF1_MAC, REPLY, HOST, "10.0.1.3", "10.0.1.1");
        run();
        assertEquals(1, error("ARP replies received"));
        assertEquals(HOST, neighbor("10.0.1.3").mac());
        assertTrue(ok(vpp, "show ip neighbors").contains("10.0.1.3"));
        assertTrue(if1.take().isEmpty());
    }

    @Test
    void shouldApplyARefreshOnlyToANeighborMainStillKnows()
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        final int sw = if1.swIfIndex();
        final int a = Ip4.parse("10.0.1.5");
        ip4.learn(sw, a, HOST, false);
        assertTrue(ip4.isNeighbor(sw, a));
        assertTrue(Ip4Main.reportLearned(ip4.learnRing(), scratch, sw, a, ATTACKER, true));
        assertTrue(ip4.deleteNeighbor(sw, a));
        assertFalse(ip4.isNeighbor(sw, a));
        ip4.drainLearned();
        assertNull(neighbor("10.0.1.5"), "the refresh came after the delete: nothing to refresh");
        assertTrue(Ip4Main.reportLearned(ip4.learnRing(), scratch, sw, a, ATTACKER, false));
        ip4.drainLearned();
        assertNotNull(neighbor("10.0.1.5"), "a learn message creates");
    }

    @Test
    void shouldLearnAndRefreshWithoutAllocating()
    {
        ok(vpp, "set ip neighbor if1 10.0.1.5 02:00:00:00:01:05");
        final byte[] garp = Frames.arp(BROADCAST, HOST, REQUEST, HOST, "10.0.1.5", 0, "10.0.1.5");
        final byte[] reply = Frames.arp(IF1_MAC, HOST, REPLY, HOST, "10.0.1.3", IF1_MAC, "10.0.1.1");
        final byte[] own = Frames.arp(BROADCAST, ATTACKER, REPLY, ATTACKER, "10.0.1.1", 0, "10.0.1.1");
        final Dispatcher d = vpp.mainDispatcher();
        final var threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long me = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 4; run++)
        {
            long bytes = 0;
            for (int k = 0; k < 500; k++)
            {
                final long before = threads.getThreadAllocatedBytes(me);
                for (int i = 0; i < 21; i++)
                {
                    if1.receive(garp);
                    if1.receive(reply);
                    if1.receive(own);
                }
                while (d.doWork() > 0)
                {
                    // drain
                }
                bytes += threads.getThreadAllocatedBytes(me) - before;
                ip4.drainLearned(); // main's side allocates (the table is a TreeMap); not the data plane
            }
            least = Math.min(least, bytes);
        }
        assertTrue(least <= 1024, "bytes allocated over 31 500 ARP packets: " + least);
        assertTrue(error("gratuitous ARP refreshed a known neighbor") >= 4 * 500 * 21);
        assertTrue(error("ARP replies received") >= 4 * 500 * 21);
        assertEquals(0, error("ARP learn queue full"));
    }
}
