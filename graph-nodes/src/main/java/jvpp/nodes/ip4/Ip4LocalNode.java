package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Icmp4Flyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code ip4-local}: packets for one of jvpp's own addresses. ICMP echo requests are answered in place
 * (addresses swapped, type 0, checksums patched) and routed back through ip4-lookup; echo replies go to
 * {@code ping}; UDP and TCP get ICMP port unreachable, other protocols protocol unreachable; other ICMP types are
 * dropped and counted. Fragments go to {@link Ip4FullReassNode}, which sends each whole datagram back here as a
 * buffer chain (headers in the first buffer): an echo request's reply is then a chain too, its checksum patched in
 * place, and leaves through ip4-frag when it is larger than the egress MTU.
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4LocalNode extends Node
{
    public static final String NAME = "ip4-local";
    static final int NEXT_DROP = 0;
    static final int NEXT_LOOKUP = 1;
    static final int NEXT_ICMP_ERROR = 2;
    static final int NEXT_REASSEMBLY = 3;

    public static final int ERROR_ECHO_REPLIES_SENT = 0;
    public static final int ERROR_ECHO_REPLIES_RECEIVED = 1;
    public static final int ERROR_ICMP_TYPE = 2;
    public static final int ERROR_ICMP_BAD = 3;
    public static final int ERROR_PORT_UNREACHABLE = 4;
    public static final int ERROR_PROTOCOL_UNREACHABLE = 5;
    public static final List<String> ERRORS = List.of("echo replies sent", "echo replies received",
        "ICMP type not handled", "ICMP message too short or bad checksum", "port unreachable (no listener)",
        "protocol unreachable");

    private final Ip4Main ip4;
    private final int[] nexts = new int[Frame.SIZE];
    private final Ip4Flyweight ip = new Ip4Flyweight();

    private Ip4LocalNode(final Ip4Main ip4)
    {
        this.ip4 = ip4;
    }

    public static NodeRegistration registration(final Ip4Main ip4)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", Ip4LookupNode.NAME, Ip4IcmpErrorNode.NAME,
            Ip4FullReassNode.NAME), ERRORS,
            () -> new Ip4LocalNode(ip4));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] error = pool.error;
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int next = local(bi);
            if (next < 0)
            {
                continue; // consumed (an echo reply for ping): freed already
            }
            bufs[kept] = bi;
            nexts[kept++] = next;
            if (next == NEXT_DROP && error[bi] == 0)
            {
                error[bi] = errorBase + ERROR_ICMP_TYPE;
            }
        }
        enqueueToNext(bufs, nexts, kept);
        return n;
    }

    private int local(final int bi)
    {
        final int at = bStart[bi];
        ip.wrap(mem, at);
        final int ihl = ip.headerLength();
        if (ip.isFragment())
        {
            return NEXT_REASSEMBLY;
        }
        final int proto = ip.protocol();
        if (proto == Ip4.PROTO_ICMP)
        {
            final int icmp = at + ihl;
            final int icmpLength = totalLength(bi) - ihl;
            if (icmpLength < Icmp4Flyweight.HEADER_LENGTH || bLength[bi] < ihl + Icmp4Flyweight.HEADER_LENGTH
                || !icmpChecksumValid(bi, icmp, icmpLength))
            {
                return dropWith(bi, ERROR_ICMP_BAD);
            }
            final int type = Icmp4Flyweight.type(mem, icmp);
            if (type == Icmp4Flyweight.TYPE_ECHO_REQUEST)
            {
                return echoReply(bi, icmp);
            }
            if (type == Icmp4Flyweight.TYPE_ECHO_REPLY)
            {
                final EchoListener l = ip4.echoListener();
                if (l != null)
                {
                    l.reply(Icmp4Flyweight.identifier(mem, icmp), Icmp4Flyweight.sequence(mem, icmp), ip.src(), ip.ttl(),
                        icmpLength,
                        System.nanoTime());
                }
                count(ERROR_ECHO_REPLIES_RECEIVED, 1);
                buffers.free(bi);
                return -1;
            }
            return dropWith(bi, ERROR_ICMP_TYPE);
        }
        final int code;
        if (proto == Ip4.PROTO_UDP || proto == Ip4.PROTO_TCP)
        {
            count(ERROR_PORT_UNREACHABLE, 1);
            code = Ip4IcmpErrorNode.CODE_PORT_UNREACHABLE;
        }
        else
        {
            count(ERROR_PROTOCOL_UNREACHABLE, 1);
            code = Ip4IcmpErrorNode.CODE_PROTOCOL_UNREACHABLE;
        }
        bOpaque[bi] = Ip4IcmpErrorNode.request(Ip4IcmpErrorNode.DEST_UNREACHABLE, code, 0);
        return NEXT_ICMP_ERROR;
    }

    /** The ICMP checksum verifies, over every buffer of a chained message (a jumbo echo request). */
    private boolean icmpChecksumValid(final int bi, final int icmp, final int icmpLength)
    {
        return (bFlags[bi] & jvpp.core.buffer.BufferPool.FLAG_NEXT_PRESENT) == 0
            ? Icmp4Flyweight.checksumValid(mem, icmp, icmpLength) : pool.onesSum(bi, icmp) == 0xffff;
    }

    private int dropWith(final int bi, final int reason)
    {
        pool.error[bi] = errorBase + reason;
        return NEXT_DROP;
    }

    /** Turn an echo request into its reply in place. */
    private int echoReply(final int bi, final int icmp)
    {
        final int src = ip.src();
        ip.src(ip.dst()).dst(src).ttl(64);
        ip.updateChecksum();
        Icmp4Flyweight.echoRequestToReply(mem, icmp);
        bFlags[bi] |= jvpp.core.buffer.BufferPool.FLAG_LOCALLY_ORIGINATED;
        count(ERROR_ECHO_REPLIES_SENT, 1);
        return NEXT_LOOKUP;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        Ip4Format.header(out, record);
    }
}
