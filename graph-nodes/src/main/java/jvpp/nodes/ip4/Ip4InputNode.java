package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code ip4-input}: checks an IPv4 header before anything trusts it: version, header length, total
 * length against the frame, header checksum, TTL 0, a multicast, reserved or broadcast source (RFC 1812
 * 5.3.7's martians, as Linux drops them). Each failure is dropped under its own reason. Frames
 * longer than the total length (Ethernet padding) are trimmed to it. A chained packet (a jumbo frame, a GSO
 * super-frame) is checked on its first buffer, where the headers are, and its total length against the chain's.
 * TTL expiry is ip4-rewrite's business: a packet with TTL 1 may still be for us.
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4InputNode extends Node
{
    public static final String NAME = "ip4-input";
    static final int NEXT_DROP = 0;
    static final int NEXT_LOOKUP = 1;

    public static final int ERROR_TOO_SHORT = 0;
    public static final int ERROR_VERSION = 1;
    public static final int ERROR_HEADER_LENGTH = 2;
    public static final int ERROR_LENGTH_OVER_FRAME = 3;
    public static final int ERROR_LENGTH_UNDER_HEADER = 4;
    public static final int ERROR_CHECKSUM = 5;
    public static final int ERROR_TTL_ZERO = 6;
    public static final int ERROR_MARTIAN_SOURCE = 7;
    public static final List<String> ERRORS = List.of(
        "ip4 packet shorter than 20 bytes", "ip4 version != 4", "ip4 header length < 20 bytes",
        "ip4 length > l2 length", "ip4 length < header length", "bad ip4 checksum", "ip4 ttl 0",
        "ip4 source address multicast or broadcast");

    private final int[] nexts = new int[Frame.SIZE];

    public static NodeRegistration registration()
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", Ip4LookupNode.NAME), ERRORS, Ip4InputNode::new);
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
                else if (Ip4Flyweight.ttl(mem, at) == 0)
                {
                    reason = ERROR_TTL_ZERO;
                }
                else if (martian(Ip4Flyweight.src(mem, at)))
                {
                    reason = ERROR_MARTIAN_SOURCE;
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
            if (reason < 0)
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

    /** 224.0.0.0/4 (multicast, and the reserved 240/4 above it) or 255.255.255.255: never a sender. */
    private static boolean martian(final int src)
    {
        return (src >>> 28) >= 0xe;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        Ip4Format.header(out, record);
    }
}
