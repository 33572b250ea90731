package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code ip4-input}: checks an IPv4 header before anything trusts it: version, header length, total
 * length against the frame, header checksum, then what RFC 1812 5.3.7 calls martian sources (0.0.0.0/8,
 * 127.0.0.0/8, multicast, 240.0.0.0/4 and broadcast, the receiving interface's own address or its subnet's
 * broadcast address: Linux drops them too; VPP checks the last two only for packets to itself, RFC 1812 says
 * for all), a destination in 127.0.0.0/8 (RFC 1812 5.3.7 again), a unicast packet in a broadcast or
 * multicast frame (RFC 1122 3.3.6; Linux drops it), a fragment at offset 1 (RFC 1858, as VPP: any protocol) and a first TCP fragment too short to hold the TCP flags (RFC 1858's
 * tiny fragment; VPP does not check it). Each failure is dropped under its own reason. TTL 0 is counted and
 * answered with time exceeded, as VPP's ip4-input does (whatever the destination); TTL 1 is ip4-rewrite's
 * business, a packet with TTL 1 may still be for us. Frames longer than the total length (Ethernet padding)
 * are trimmed to it. A chained packet (a jumbo frame, a GSO super-frame) is checked on its first buffer, where
 * the headers are, and its total length against the chain's.
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4InputNode extends Node
{
    public static final String NAME = "ip4-input";
    static final int NEXT_DROP = 0;
    static final int NEXT_LOOKUP = 1;
    static final int NEXT_ICMP_ERROR = 2;
    /** A TCP first fragment must hold the header up to and including the flags (byte 13) and the window. */
    private static final int TCP_TINY_FRAGMENT = 16;

    public static final int ERROR_TOO_SHORT = 0;
    public static final int ERROR_VERSION = 1;
    public static final int ERROR_HEADER_LENGTH = 2;
    public static final int ERROR_LENGTH_OVER_FRAME = 3;
    public static final int ERROR_LENGTH_UNDER_HEADER = 4;
    public static final int ERROR_CHECKSUM = 5;
    public static final int ERROR_TTL_ZERO = 6;
    public static final int ERROR_MARTIAN_SOURCE = 7;
    public static final int ERROR_SOURCE_THIS_NETWORK = 8;
    public static final int ERROR_SOURCE_LOOPBACK = 9;
    public static final int ERROR_SOURCE_OWN_ADDRESS = 10;
    public static final int ERROR_SOURCE_SUBNET_BROADCAST = 11;
    public static final int ERROR_UNICAST_IN_L2_BROADCAST = 12;
    public static final int ERROR_FRAGMENT_OFFSET_ONE = 13;
    public static final int ERROR_TINY_TCP_FRAGMENT = 14;
    public static final int ERROR_DESTINATION_LOOPBACK = 15;
    public static final List<String> ERRORS = List.of(
        "ip4 packet shorter than 20 bytes", "ip4 version != 4", "ip4 header length < 20 bytes",
        "ip4 length > l2 length", "ip4 length < header length", "bad ip4 checksum", "ip4 ttl 0",
        "ip4 source address multicast or broadcast", "ip4 source address in 0.0.0.0/8 (martian)",
        "ip4 source address in 127.0.0.0/8 (martian)", "ip4 spoofed local-address packet drops",
        "ip4 source address is a connected subnet's broadcast (martian)",
        "ip4 unicast destination in an l2 broadcast or multicast frame", "ip4 fragment offset == 1",
        "ip4 tiny TCP first fragment (RFC 1858)", "ip4 destination in 127.0.0.0/8 (martian)");

    private final Ip4Main ip4;
    private final int[] nexts = new int[Frame.SIZE];

    private Ip4InputNode(final Ip4Main ip4)
    {
        this.ip4 = ip4;
    }

    public static NodeRegistration registration(final Ip4Main ip4)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", Ip4LookupNode.NAME, Ip4IcmpErrorNode.NAME),
            ERRORS, () -> new Ip4InputNode(ip4));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] start = bStart;
        final int[] length = bLength;
        final int[] error = pool.error;
        final int dropBase = errorBase;
        final int[] rx = bRxIf;
        final int[][] martians = ip4.martianSourceTable();
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int at = start[bi];
            final int len = length[bi];
            // The headers are in the first buffer; the total length is checked against the whole chain.
            final int frameLength = totalLength(bi);
            int reason = -1;
            if (len < Ip4Flyweight.MIN_HEADER_LENGTH)
            {
                reason = ERROR_TOO_SHORT;
            }
            else
            {
                final int word0 = Ip4Flyweight.firstWord(mem, at);
                final int ihl = Ip4Flyweight.headerLengthOf(word0);
                final int total = Ip4Flyweight.totalLengthOf(word0);
                if (Ip4Flyweight.versionOf(word0) != 4)
                {
                    reason = ERROR_VERSION;
                }
                else if (ihl < Ip4Flyweight.MIN_HEADER_LENGTH)
                {
                    reason = ERROR_HEADER_LENGTH;
                }
                else if (total > frameLength || ihl > len)
                {
                    reason = ERROR_LENGTH_OVER_FRAME;
                }
                else if (total < ihl)
                {
                    reason = ERROR_LENGTH_UNDER_HEADER;
                }
                else if (!Ip4Flyweight.checksumValid(mem, at, ihl))
                {
                    reason = ERROR_CHECKSUM;
                }
                else if ((reason = source(Ip4Flyweight.src(mem, at), rx[bi], martians)) >= 0)
                {
                    // a martian: counted under its kind
                }
                else if ((Ip4Flyweight.dst(mem, at) >>> 24) == 127)
                {
                    // RFC 1812 5.3.7: never forwarded, and not ours (VPP has no special entry: it would route it).
                    reason = ERROR_DESTINATION_LOOPBACK;
                }
                else if ((bFlags[bi] & BufferPool.FLAG_L2_MULTICAST) != 0 && unicast(Ip4Flyweight.dst(mem, at)))
                {
                    reason = ERROR_UNICAST_IN_L2_BROADCAST;
                }
                else if (Ip4Flyweight.isFragment(mem, at) && (reason = fragment(at, ihl, total)) >= 0)
                {
                    // RFC 1858
                }
                else if (Ip4Flyweight.ttl(mem, at) == 0)
                {
                    // Counted here, and answered (VPP's ip4-input: ICMP4_time_exceeded_ttl_exceeded_in_transit).
                    count(ERROR_TTL_ZERO, 1);
                    bOpaque[bi] = Ip4IcmpErrorNode.request(Ip4IcmpErrorNode.TIME_EXCEEDED, 0, 0);
                    reason = -2;
                }
                else if (frameLength == len)
                {
                    length[bi] = total;
                }
                else if (total < frameLength)
                {
                    buffers.trim(bi, total);
                }
            }
            if (reason == -2)
            {
                nexts[i] = NEXT_ICMP_ERROR;
            }
            else if (reason < 0)
            {
                nexts[i] = NEXT_LOOKUP;
            }
            else
            {
                error[bi] = dropBase + reason;
                nexts[i] = NEXT_DROP;
            }
        }
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    /**
     * The martian-source reason for {@code src} arriving on {@code rxIf}, or -1 for a source that may be a host:
     * 224.0.0.0/4 and above (multicast, 240/4, broadcast), 0/8, 127/8, the interface's own address or the
     * broadcast address of one of its subnets (up to /30: a /31 or /32 has no broadcast address).
     */
    private static int source(final int src, final int rxIf, final int[][] martians)
    {
        final int top = src >>> 24;
        if (top >= 224)
        {
            return ERROR_MARTIAN_SOURCE;
        }
        if (top == 0)
        {
            return ERROR_SOURCE_THIS_NETWORK;
        }
        if (top == 127)
        {
            return ERROR_SOURCE_LOOPBACK;
        }
        final int[] m = rxIf >= 0 && rxIf < martians.length ? martians[rxIf] : null;
        if (m != null)
        {
            for (int i = 1; i < m.length; i++)
            {
                if (m[i] == src)
                {
                    return i <= m[0] ? ERROR_SOURCE_OWN_ADDRESS : ERROR_SOURCE_SUBNET_BROADCAST;
                }
            }
        }
        return -1;
    }

    /** Neither multicast nor the limited broadcast (a subnet's broadcast cannot be told here: it is routed and dropped). */
    private static boolean unicast(final int dst)
    {
        return (dst >>> 28) < 0xe;
    }

    /** RFC 1858's reason to drop the fragment at {@code at}, or -1. */
    private int fragment(final int at, final int ihl, final int total)
    {
        final int ff = Ip4Flyweight.flagsFragment(mem, at);
        final int offset = ff & Ip4Flyweight.FRAGMENT_OFFSET_MASK;
        if (offset == 1)
        {
            return ERROR_FRAGMENT_OFFSET_ONE;
        }
        if (offset == 0 && (ff & Ip4Flyweight.FLAG_MF) != 0 && Ip4Flyweight.protocol(mem, at) == Ip4.PROTO_TCP
            && total - ihl < TCP_TINY_FRAGMENT)
        {
            return ERROR_TINY_TCP_FRAGMENT;
        }
        return -1;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        Ip4Format.header(out, record);
    }
}
