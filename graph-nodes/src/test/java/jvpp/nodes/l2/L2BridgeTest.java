package jvpp.nodes.l2;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static jvpp.nodes.testing.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridging end to end: three capture interfaces a, b, c in bridge domain 1, hosts behind them with MACs that
 * are not the interfaces' own (so the L3 MAC check would drop them), crafted frames in, bytes out.
 */
class L2BridgeTest
{
    static final long HOST_A = 0x0200_0000_000aL;
    static final long HOST_B = 0x0200_0000_000bL;
    static final long HOST_C = 0x0200_0000_000cL;
    static final long UNKNOWN = 0x0200_0000_00eeL;
    static final long BROADCAST = 0xffff_ffff_ffffL;

    private Jvpp vpp;
    private BridgeDomains bds;
    private CaptureInterface a;
    private CaptureInterface b;
    private CaptureInterface c;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        bds = vpp.service(BridgeDomains.class);
        a = CaptureInterface.create(vpp, "a", 0x0200_0000_0a01L);
        b = CaptureInterface.create(vpp, "b", 0x0200_0000_0b01L);
        c = CaptureInterface.create(vpp, "c", 0x0200_0000_0c01L);
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private void bridgeAll(final String create)
    {
        if (create != null)
        {
            ok(vpp, create);
        }
        ok(vpp, "set interface l2 bridge a 1");
        ok(vpp, "set interface l2 bridge b 1");
        ok(vpp, "set interface l2 bridge c 1");
    }

    private long error(final String node, final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(node, reason));
    }

    private static byte[] frame(final long dst, final long src)
    {
        return Frames.ip4(dst, src, "10.0.0.1", "10.0.0.2", 64, 17, new byte[26]);
    }

    private void assertNothingSent()
    {
        assertTrue(a.take().isEmpty(), "a");
        assertTrue(b.take().isEmpty(), "b");
        assertTrue(c.take().isEmpty(), "c");
    }

    @Test
    void shouldFloodUnknownUnicastToEveryOtherMemberWhenDestinationIsNotLearned()
    {
        bridgeAll(null);
        final byte[] in = frame(HOST_B, HOST_A);
        a.receive(in);
        TestJvpp.drain(vpp);
        assertTrue(a.take().isEmpty(), "not back to the rx interface");
        final List<byte[]> toB = b.take();
        final List<byte[]> toC = c.take();
        assertEquals(1, toB.size());
        assertEquals(1, toC.size());
        assertEquals(hex(in), hex(toB.get(0)));
        assertEquals(hex(in), hex(toC.get(0)));
        assertEquals(1, error("l2-fwd", "L2 unknown unicast flooded"));
        assertEquals(1, error("l2-flood", "L2 flood copies made"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldForwardOnlyToTheLearnedInterfaceWhenReplyComes()
    {
        bridgeAll(null);
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        c.take();
        final byte[] reply = frame(HOST_A, HOST_B);
        b.receive(reply);
        TestJvpp.drain(vpp);
        final List<byte[]> toA = a.take();
        assertEquals(1, toA.size());
        assertEquals(hex(reply), hex(toA.get(0)));
        assertNothingSent();
        // And now A to B is known too.
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        assertNothingSent();
        assertEquals(2, error("l2-fwd", "L2 forward hits"));
        final String fib = ok(vpp, "show l2fib verbose");
        assertTrue(fib.contains("02:00:00:00:00:0a") && fib.contains("02:00:00:00:00:0b"), fib);
        assertTrue(fib.contains("L2FIB total/learned entries: 2/2"), fib);
        assertEquals("2 l2fib entries", ok(vpp, "show l2fib").trim());
        assertTrue(ok(vpp, "show l2fib bd_id 1").contains("02:00:00:00:00:0a"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldFloodBroadcast()
    {
        bridgeAll(null);
        final byte[] arp = Frames.arp(BROADCAST, HOST_C, 1, HOST_C, "10.0.0.3", 0, "10.0.0.1");
        c.receive(arp);
        TestJvpp.drain(vpp);
        assertEquals(hex(arp), hex(a.take().get(0)));
        assertEquals(hex(arp), hex(b.take().get(0)));
        assertNothingSent();
        assertEquals(1, error("l2-fwd", "L2 broadcast/multicast flooded"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldDropUnknownUnicastWhenUuFloodIsOff()
    {
        bridgeAll("create bridge-domain 1 uu-flood 0");
        a.receive(frame(UNKNOWN, HOST_A));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(1, error("l2-fwd", "L2 unknown unicast, uu-flood disabled"));
        // Broadcast still floods.
        a.receive(frame(BROADCAST, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        assertEquals(1, c.take().size());
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldChangeADomainsFlagsAfterCreationWithSetBridgeDomain()
    {
        bridgeAll(null);
        ok(vpp, "set bridge-domain uu-flood 1 disable");
        a.receive(frame(UNKNOWN, HOST_A));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(1, error("l2-fwd", "L2 unknown unicast, uu-flood disabled"));
        ok(vpp, "set bridge-domain uu-flood 1");
        a.receive(frame(UNKNOWN, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        assertEquals(1, c.take().size());

        ok(vpp, "set bridge-domain learn 1 disable");
        ok(vpp, "clear l2fib");
        c.receive(frame(HOST_A, HOST_C));
        TestJvpp.drain(vpp);
        a.take();
        b.take();
        assertEquals("0 l2fib entries", ok(vpp, "show l2fib").trim());
        ok(vpp, "set bridge-domain mac-age 1 7");
        ok(vpp, "set bridge-domain flood 1 disable");
        final String show = ok(vpp, "show bridge-domain 1");
        assertTrue(show.matches("(?s).*\\n +1 +\\d+ +0 +7 +off +on +flood +off .*"), show);
        assertEquals("set bridge-domain learn: bridge domain id 9 does not exist",
            fails(vpp, "set bridge-domain learn 9").trim());
        assertTrue(fails(vpp, "set bridge-domain mac-age 1 300").contains("mac age"));
        assertTrue(fails(vpp, "set bridge-domain forward 1 disabled").contains("disabled"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldNotFloodBetweenMembersOfOneSplitHorizonGroup()
    {
        ok(vpp, "set interface l2 bridge a 1 1");
        ok(vpp, "set interface l2 bridge b 1 1");
        ok(vpp, "set interface l2 bridge c 1");
        a.receive(frame(BROADCAST, HOST_A));
        TestJvpp.drain(vpp);
        assertTrue(b.take().isEmpty(), "b is in a's split-horizon group");
        assertEquals(1, c.take().size());
        c.receive(frame(BROADCAST, HOST_C));
        TestJvpp.drain(vpp);
        assertEquals(1, a.take().size(), "from outside the group: to every member");
        assertEquals(1, b.take().size());
        assertTrue(ok(vpp, "show bridge-domain 1 detail").matches("(?s).*\\n +a +\\d+ +1 +1 .*"));
        // Nor does known unicast cross the group (VPP drops it in l2-output).
        b.receive(frame(HOST_C, HOST_B));
        TestJvpp.drain(vpp);
        c.take();
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        assertTrue(b.take().isEmpty(), "a -> b known, same group");
        assertEquals(1, error("l2-fwd", "L2 split-horizon drops"));
        ok(vpp, "set interface l2 bridge b 1");
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size(), "b left the group");
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldLearnNothingWhenLearnIsOff()
    {
        bridgeAll("create bridge-domain 1 learn 0");
        a.receive(frame(HOST_B, HOST_A));
        b.receive(frame(HOST_A, HOST_B));
        TestJvpp.drain(vpp);
        assertEquals(0, bds.fib().size());
        assertEquals("0 l2fib entries", ok(vpp, "show l2fib").trim());
        // Still flooded both ways, since nothing is known.
        assertEquals(1, a.take().size());
        assertEquals(2, c.take().size());
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldKeepStaticEntryWhenLearningSeesTheMacElsewhere()
    {
        bridgeAll(null);
        ok(vpp, "l2fib add 02:00:00:00:00:0a 1 a static");
        // A frame claiming HOST_A's MAC from c: a move violation, dropped, entry unchanged.
        c.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(1, error("l2-learn", "L2 static MAC move violation"));
        assertEquals(a.swIfIndex(), bds.fib().swIfIndex(bds.fib().find(L2Fib.key(bds.indexOf(1), HOST_A))));
        b.receive(frame(HOST_A, HOST_B));
        TestJvpp.drain(vpp);
        assertEquals(1, a.take().size());
        assertNothingSent();
        // As VPP's l2fib_clear_table: clear l2fib removes everything, static entries included.
        ok(vpp, "clear l2fib");
        assertEquals(0, bds.fib().size());
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldRemoveIdleLearnedEntriesWhenTheyAge()
    {
        bridgeAll("create bridge-domain 1 mac-age 5");
        ok(vpp, "l2fib add 02:00:00:00:00:0c 1 c static");
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        final long now = System.nanoTime();
        assertEquals(2, bds.fib().size());
        assertEquals(0, bds.age(now + 4 * 60_000_000_000L), "not idle for 5 minutes yet");
        assertEquals(1, bds.age(now + 6 * 60_000_000_000L), "the learned entry ages, the static one stays");
        assertEquals(1, bds.fib().size());
        assertTrue(bds.fib().isStatic(bds.fib().find(L2Fib.key(bds.indexOf(1), HOST_C))));
        assertTrue(ok(vpp, "show bridge-domain 1").contains("5"));
    }

    @Test
    void shouldNotAgeWhenMacAgeIsOff()
    {
        bridgeAll(null);
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(0, bds.age(System.nanoTime() + 1_000 * 60_000_000_000L));
        assertEquals(1, bds.fib().size());
    }

    @Test
    void shouldRouteAgainWhenInterfaceIsSetToL3()
    {
        bridgeAll(null);
        a.receive(frame(HOST_B, HOST_A));
        TestJvpp.drain(vpp);
        b.take();
        c.take();
        ok(vpp, "set interface l3 c");
        assertEquals(2, bds.members()[bds.indexOf(1)].length);
        // c no longer bridges: a frame to a host MAC is now an L3 MAC mismatch.
        c.receive(frame(HOST_A, HOST_C));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(1, error("ethernet-input", "l3 mac mismatch"));
        // and floods from a no longer reach c.
        a.receive(frame(BROADCAST, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        assertNothingSent();
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldCountNoBufferWhenThePoolIsEmptyDuringFlood()
    {
        vpp.close();
        vpp = TestJvpp.create(512);
        bds = vpp.service(BridgeDomains.class);
        a = CaptureInterface.create(vpp, "a", 0x0200_0000_0a01L);
        b = CaptureInterface.create(vpp, "b", 0x0200_0000_0b01L);
        c = CaptureInterface.create(vpp, "c", 0x0200_0000_0c01L);
        bridgeAll(null);
        // Hold every buffer but one; the broadcast takes it, and its copy finds none.
        final int[] held = new int[4096];
        int n = 0;
        while (true)
        {
            final int bi = vpp.mainDispatcher().buffers().alloc();
            if (bi < 0)
            {
                break;
            }
            held[n++] = bi;
        }
        vpp.mainDispatcher().buffers().free(held[--n]);
        a.receive(frame(BROADCAST, HOST_A));
        // The only free buffer is now the frame itself.
        TestJvpp.drain(vpp);
        assertEquals(1, error("l2-flood", "no buffer for flood"));
        assertEquals(1, b.take().size() + c.take().size());
        vpp.mainDispatcher().buffers().free(held, 0, n);
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldManageBridgeDomainsFromTheCli()
    {
        assertEquals("no bridge-domains in use", ok(vpp, "show bridge-domain").trim());
        ok(vpp, "create bridge-domain 7 learn 0 forward 1 flood 1 uu-flood 0 mac-age 3");
        assertTrue(fails(vpp, "create bridge-domain 7").contains("already exists"));
        assertTrue(fails(vpp, "create bridge-domain 0").contains("reserved"));
        assertTrue(fails(vpp, "create bridge-domain 7 learn 2").contains("learn"));
        final String show = ok(vpp, "show bridge-domain 7");
        assertTrue(show.contains("BD-ID") && show.contains("drop"), show);
        assertTrue(fails(vpp, "set interface l2 bridge a 7 bvi").contains("BVI must be a loopback interface"));
        ok(vpp, "set interface l2 bridge a 7");
        ok(vpp, "set interface l2 bridge b 9");
        assertTrue(ok(vpp, "show bridge-domain 7 detail").contains(" a "));
        assertTrue(ok(vpp, "show bridge-domain").contains("9"));
        assertTrue(fails(vpp, "create bridge-domain 7 del").contains("in use"));
        assertTrue(fails(vpp, "l2fib add 02:00:00:00:00:01 7 b").contains("not in bridge domain 7"));
        ok(vpp, "set interface l3 a");
        ok(vpp, "create bridge-domain 7 del");
        assertTrue(fails(vpp, "show bridge-domain 7").contains("does not exist"));
        assertTrue(fails(vpp, "show l2fib bd_id 7").contains("not found"));
    }

    @Test
    void shouldSendEverythingReceivedOnAnXconnectedInterfaceToItsPeerUnchanged()
    {
        ok(vpp, "set interface l2 xconnect a b");
        ok(vpp, "set interface l2 xconnect b a");
        final byte[] toHost = frame(HOST_B, HOST_A);
        final byte[] toUnknown = frame(UNKNOWN, HOST_A);
        final byte[] broadcast = frame(BROADCAST, HOST_A);
        a.receive(toHost);
        a.receive(toUnknown);
        a.receive(broadcast);
        TestJvpp.drain(vpp);
        final List<byte[]> toB = b.take();
        assertEquals(3, toB.size());
        assertEquals(hex(toHost), hex(toB.get(0)));
        assertEquals(hex(toUnknown), hex(toB.get(1)));
        assertEquals(hex(broadcast), hex(toB.get(2)));
        final byte[] back = frame(HOST_A, HOST_B);
        b.receive(back);
        TestJvpp.drain(vpp);
        final List<byte[]> toA = a.take();
        assertEquals(1, toA.size());
        assertEquals(hex(back), hex(toA.get(0)));
        assertNothingSent();
        assertEquals("0 l2fib entries", ok(vpp, "show l2fib").trim(), "an xconnect learns nothing");
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldLeaveTheBridgeDomainWhenXconnectedAndRouteAgainWhenSetToL3()
    {
        bridgeAll(null);
        ok(vpp, "set interface l2 xconnect c a");
        assertEquals(2, bds.members()[bds.indexOf(1)].length, "c left domain 1");
        a.receive(frame(BROADCAST, HOST_A));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        assertNothingSent();
        c.receive(frame(HOST_C, HOST_C));
        TestJvpp.drain(vpp);
        assertEquals(1, a.take().size());
        ok(vpp, "set interface l3 c");
        c.receive(frame(HOST_A, HOST_C));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(1, error("ethernet-input", "l3 mac mismatch"));
        assertTrue(fails(vpp, "set interface l2 xconnect a a").contains("cannot cross-connect a to itself"));
        assertTrue(fails(vpp, "set interface l2 xconnect a").length() > 0);
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldKeepOnlyTheBviEntryWhenTheFibIsCleared() throws Exception
    {
        bridgeAll(null);
        // The CLI takes only loopbacks as BVIs; the domain itself takes any member.
        bds.bridge(c.ifc(), 1, true);
        a.receive(frame(BROADCAST, HOST_A));
        b.receive(frame(BROADCAST, HOST_B));
        TestJvpp.drain(vpp);
        a.take();
        b.take();
        assertEquals("3 l2fib entries", ok(vpp, "show l2fib").trim());
        ok(vpp, "clear l2fib");
        assertEquals("1 l2fib entries", ok(vpp, "show l2fib").trim());
        assertTrue(ok(vpp, "show l2fib verbose").contains("02:00:00:00:0c:01"), "c's own MAC, as BVI");
        assertEquals(0, vpp.pool().used());
    }

    /** A 60-byte frame {@code dst} ← {@code src} with {@code type}, zero payload. */
    private static byte[] raw(final long dst, final long src, final int type)
    {
        final byte[] f = new byte[60];
        final UnsafeBuffer u = new UnsafeBuffer(f);
        u.putShort(0, (short)(dst >>> 32), ByteOrder.BIG_ENDIAN);
        u.putInt(2, (int)dst, ByteOrder.BIG_ENDIAN);
        u.putShort(6, (short)(src >>> 32), ByteOrder.BIG_ENDIAN);
        u.putInt(8, (int)src, ByteOrder.BIG_ENDIAN);
        u.putShort(12, (short)type, ByteOrder.BIG_ENDIAN);
        return f;
    }

    @Test
    void shouldNeverRelayTheReservedGroupAddresses()
    {
        bridgeAll(null);
        // STP BPDU (802.3 length + LLC 42 42 03), PAUSE, LACP, 802.1X, LLDP, and 01:80:c2:00:00:05 (reserved).
        final byte[] bpdu = raw(0x0180_c200_0000L, HOST_A, 39);
        bpdu[14] = 0x42;
        bpdu[15] = 0x42;
        bpdu[16] = 3;
        a.receive(bpdu);
        a.receive(raw(0x0180_c200_0001L, HOST_A, 0x8808));
        a.receive(raw(0x0180_c200_0002L, HOST_A, 0x8809));
        a.receive(raw(0x0180_c200_0003L, HOST_A, 0x888e));
        a.receive(raw(0x0180_c200_000eL, HOST_A, 0x88cc));
        a.receive(raw(0x0180_c200_0005L, HOST_A, 0x88cc));
        a.receive(raw(0x0180_c200_000fL, HOST_A, 0x88cc));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(1, error(L2InputNode.NAME, "STP BPDU (01:80:c2:00:00:00) not relayed"));
        assertEquals(1, error(L2InputNode.NAME, "PAUSE (01:80:c2:00:00:01) not relayed"));
        assertEquals(1, error(L2InputNode.NAME, "slow protocols, LACP (01:80:c2:00:00:02) not relayed"));
        assertEquals(1, error(L2InputNode.NAME, "802.1X EAPOL (01:80:c2:00:00:03) not relayed"));
        assertEquals(1, error(L2InputNode.NAME, "LLDP (01:80:c2:00:00:0e) not relayed"));
        assertEquals(2, error(L2InputNode.NAME, L2InputNode.ERRORS.get(L2InputNode.ERROR_RESERVED)));
        // The neighbours of the range are ordinary multicast, flooded (01:80:c2:00:00:10, 01:80:c2:00:01:00).
        final byte[] next = raw(0x0180_c200_0010L, HOST_A, 0x88b5);
        a.receive(next);
        a.receive(raw(0x0180_c200_0100L, HOST_A, 0x88b5));
        TestJvpp.drain(vpp);
        assertEquals(2, b.take().size());
        final List<byte[]> toC = c.take();
        assertEquals(2, toC.size());
        assertEquals(hex(next), hex(toC.get(0)));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldDropAndNeverLearnASourceMacThatIsNoStation()
    {
        bridgeAll(null);
        a.receive(raw(HOST_B, 0, 0x0800));
        a.receive(raw(BROADCAST, 0, 0x0800));
        a.receive(raw(HOST_B, BROADCAST, 0x0800));
        a.receive(raw(HOST_B, 0x0100_5e00_0001L, 0x0800));
        a.receive(raw(BROADCAST, 0x3333_0000_0001L, 0x86dd));
        TestJvpp.drain(vpp);
        assertNothingSent();
        assertEquals(2, error(L2InputNode.NAME, "source MAC 00:00:00:00:00:00 (not a station)"));
        assertEquals(3, error(L2InputNode.NAME, "source MAC multicast or broadcast (not a station)"));
        assertEquals("0 l2fib entries", ok(vpp, "show l2fib").trim());
        // A good source from the same port still bridges and is learned.
        a.receive(raw(BROADCAST, HOST_A, 0x0800));
        TestJvpp.drain(vpp);
        assertEquals(1, b.take().size());
        assertEquals(1, c.take().size());
        assertEquals("1 l2fib entries", ok(vpp, "show l2fib").trim());
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldCarryEverythingOverACrossConnectItIsAWire()
    {
        ok(vpp, "set interface l2 xconnect c a");
        final byte[] lacp = raw(0x0180_c200_0002L, HOST_A, 0x8809);
        c.receive(lacp);
        TestJvpp.drain(vpp);
        assertEquals(hex(lacp), hex(a.take().get(0)));
        assertNothingSent();
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldNameTheBviInShowBridgeDomain() throws Exception
    {
        bridgeAll(null);
        assertTrue(ok(vpp, "show bridge-domain 1").matches("(?s).*\\n +1 +\\d+ .* N/A\\s*"),
            ok(vpp, "show bridge-domain 1"));
        // The CLI takes only loopbacks as BVIs (no loopback driver here); the domain itself takes any member.
        bds.bridge(c.ifc(), 1, true);
        final String show = ok(vpp, "show bridge-domain 1");
        assertTrue(show.matches("(?s).*\\n +1 +\\d+ .* c\\s*"), show);
    }
}
