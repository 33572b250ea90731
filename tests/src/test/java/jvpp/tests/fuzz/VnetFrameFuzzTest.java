package jvpp.tests.fuzz;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.Interface;
import jvpp.core.net.Ip4;
import jvpp.core.testing.TestJvpp;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.VirtioNetHeader;
import jvpp.pmd.tap.TapPort;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes as what a tap with {@code IFF_VNET_HDR} reads: a virtio-net header and a frame, the frame in a
 * buffer chain as the tap's readv fills it. {@link VirtioNetHeader#read} turns the header into offload metadata
 * (GSO, partial checksum) or a drop; what it takes goes into ethernet-input as received on a routed interface or a
 * bridged one, and on through ip4 or L2 to interface-output and out of null ports that take no offload (so gso
 * segments and interface-output completes checksums from fuzzed metadata), only chains, or everything.
 *
 * <p>Input: byte 0 picks the receiving interface, byte 1 the chain's buffer size (and, bit 7, whether the harness
 * fixes up an IPv4 header's length and checksum so the frame gets past ip4-input), bytes 2..13 the header, the rest
 * the frame. After each input: no exception, every buffer back in the pool (or held by a holder, as {@code show
 * buffers} says), and every GSO frame interface-output sent to gso is segmented or dropped under a reason.
 *
 * <p>{@code mvn test} replays the corpus in {@code src/test/resources/jvpp/tests/fuzz/VnetFrameFuzzTestInputs};
 * {@code bin/jvpp-fuzz vnet-frame} fuzzes (RELIABILITY.md).
 */
class VnetFrameFuzzTest
{
    private static final int HEADER_AT = 2;
    private static final int FRAME_AT = HEADER_AT + VirtioNetHeader.SIZE_V1;
    /** The gso node's reasons that account for a frame it was given (all but the count of segments). */
    private static final List<String> GSO_OUTCOMES = List.of("GSO frames segmented", "no buffer for a GSO segment",
        "GSO segment larger than a buffer", "GSO type not segmented (unknown, UFO over IPv6)",
        "GSO frame not IPv4 or IPv6", "GSO frame malformed (gso size, lengths, headers beyond the first buffer)",
        "GSO type does not match the headers", "GSO frame with IPv6 extension headers");

    private static Jvpp vpp;
    private static Interface[] rx;
    private static int[] outcomes;
    private static int toGso;
    private static final UnsafeBuffer HEADER = new UnsafeBuffer(new byte[VirtioNetHeader.SIZE_V1]);

    private static synchronized void boot()
    {
        if (vpp != null)
        {
            return;
        }
        vpp = TestJvpp.create(4096);
        for (int i = 0; i < 6; i++)
        {
            ok(vpp, "create null interface");
            ok(vpp, "set interface state null" + i + " up");
        }
        ok(vpp, "create loopback interface");
        ok(vpp, "set interface state loop0 up");
        ok(vpp, "set interface ip address null0 10.0.0.1/24");
        // Routed out of null1 (no offload) by default, out of null2 (every offload) for 192.0.2.0/24.
        ok(vpp, "set interface ip address null1 10.1.0.1/24");
        ok(vpp, "set ip neighbor null1 10.1.0.2 02:00:00:00:00:02");
        ok(vpp, "ip route add 0.0.0.0/0 via 10.1.0.2 null1");
        ok(vpp, "set interface ip address null2 10.2.0.1/24");
        ok(vpp, "set ip neighbor null2 10.2.0.2 02:00:00:00:00:03");
        ok(vpp, "ip route add 192.0.2.0/24 via 10.2.0.2 null2");
        // Bridged: null3 in, flooded or forwarded to null4 (no offload), null5 (chains only) and the BVI.
        ok(vpp, "create bridge-domain 1");
        for (int i = 3; i < 6; i++)
        {
            ok(vpp, "set interface l2 bridge null" + i + " 1");
        }
        ok(vpp, "set interface l2 bridge loop0 1 bvi");
        ok(vpp, "set interface ip address loop0 10.3.0.1/24");
        vpp.interfaces().get("null1").txOffloads(0);
        vpp.interfaces().get("null4").txOffloads(0);
        vpp.interfaces().get("null5").txOffloads(Interface.TX_CHAINS);
        rx = new Interface[] {vpp.interfaces().get("null0"), vpp.interfaces().get("null3"),
            vpp.interfaces().get("null1")};
        outcomes = new int[GSO_OUTCOMES.size()];
        for (int i = 0; i < outcomes.length; i++)
        {
            outcomes[i] = vpp.graph().errorIndex("gso", GSO_OUTCOMES.get(i));
        }
        toGso = vpp.graph().errorIndex("interface-output", "GSO frames to software segmentation");
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
    void vnetFrame(final byte[] input)
    {
        boot();
        if (input.length <= FRAME_AT)
        {
            return;
        }
        final byte[] data = (input[1] & 0x80) != 0 ? fixIp4(input.clone()) : input;
        final BufferPool pool = vpp.pool();
        final int dataSize = pool.arena().dataSize();
        final int length = Math.min(data.length - FRAME_AT, TapPort.MAX_GSO_FRAME);
        // The chain's buffers: any size, but no more than 64 of them (the pool has 4096).
        final int piece = Math.max(1 + (data[1] & 0x7f) * 37 % dataSize, (length + 63) / 64);
        final BufferCache cache = vpp.mainDispatcher().buffers();
        final int head = cache.alloc();
        int tail = head;
        for (int off = 0; off < length; off += piece)
        {
            final int bi = off == 0 ? head : cache.alloc();
            final int n = Math.min(piece, length - off);
            pool.memory().putBytes(pool.start[bi], data, FRAME_AT + off, n);
            pool.length[bi] = n;
            if (off > 0)
            {
                pool.append(head, tail, bi);
                tail = bi;
            }
        }
        HEADER.putBytes(0, data, HEADER_AT, VirtioNetHeader.SIZE_V1);
        final int refused = VirtioNetHeader.read(HEADER, 0, pool, head, length);
        if (refused != 0)
        {
            assertTrue(refused - 1 >= 0 && refused - 1 < PortInputNode.ERRORS.size(), "a reason: " + refused);
            cache.free(head);
        }
        else
        {
            pool.rxIf[head] = rx[(data[0] & 0xff) % rx.length].swIfIndex();
            vpp.mainDispatcher().inject(vpp.graph().indexOrThrow("ethernet-input"), head);
            TestJvpp.drain(vpp);
        }
        long held = 0;
        for (final BufferPool.Holder h : pool.holders())
        {
            held += h.count().getAsLong();
        }
        assertEquals(held, pool.used(), "buffers in use after the graph drained, beyond what holders hold");
        long accounted = 0;
        for (final int e : outcomes)
        {
            accounted += vpp.mainDispatcher().errorCount(e);
        }
        assertEquals(vpp.mainDispatcher().errorCount(toGso), accounted,
            "every GSO frame sent to gso is segmented or dropped under a reason");
    }

    /** The seeds that are GSO frames to an egress without GSO reach gso and are segmented: the corpus means something. */
    @Test
    void shouldSegmentTheGsoSeeds() throws Exception
    {
        close(); // a fresh instance: what the fuzzing before taught it (MACs learned on other ports) must not matter
        boot();
        final int segmented = vpp.graph().errorIndex("gso", "GSO frames segmented");
        for (final String seed : List.of("tcp4-gso-routed-no-offload", "tcp4-gso-ecn-cwr-fin", "tcp6-gso-bridged",
            "uso4-bridged", "uso6-bridged", "uso4-routed", "ufo4-routed",
            "chain-jumbo-gso-size-bridged"))
        {
            final long before = vpp.mainDispatcher().errorCount(segmented);
            try (InputStream in = getClass().getResourceAsStream("VnetFrameFuzzTestInputs/vnetFrame/" + seed))
            {
                vnetFrame(in.readAllBytes());
            }
            assertTrue(vpp.mainDispatcher().errorCount(segmented) > before, seed + " was segmented");
        }
    }

    /** Give an untagged IPv4 frame the total length and header checksum ip4-input wants, so it goes further. */
    private static byte[] fixIp4(final byte[] data)
    {
        final int ip = FRAME_AT + 14;
        if (data.length < ip + 20 || data[FRAME_AT + 12] != 0x08 || data[FRAME_AT + 13] != 0x00)
        {
            return data;
        }
        final UnsafeBuffer b = new UnsafeBuffer(data);
        final int ihl = Math.max(20, (data[ip] & 0x0f) * 4);
        if (data.length < ip + ihl)
        {
            return data;
        }
        data[ip] = (byte)(0x40 | ihl / 4);
        b.putShort(ip + 2, (short)Math.min(65535, data.length - ip), java.nio.ByteOrder.BIG_ENDIAN);
        b.putShort(ip + 10, (short)0);
        b.putShort(ip + 10, (short)Ip4.checksum(b, ip, ihl), java.nio.ByteOrder.BIG_ENDIAN);
        return data;
    }
}
