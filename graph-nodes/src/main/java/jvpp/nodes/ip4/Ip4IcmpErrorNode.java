package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Icmp4Flyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code ip4-icmp-error}: turns the packet it is given into an ICMP error back to its sender (RFC 792/1812):
 * a new IPv4 header from the receiving interface's address and an ICMP header are written in front of the
 * original packet, in place (in the buffer's headroom), and the result is routed by ip4-lookup. What to send
 * comes in the opaque slot ({@link #request}). The error quotes as much of the original as fits in 576 bytes
 * (RFC 1812 4.3.2.3), of the first buffer of a chain (as VPP's ip4_icmp_error, which cuts the chain there).
 *
 * <p>Never sent (RFC 1122 3.2.2, RFC 1812 4.3.2.7), each under its own reason: about an ICMP error, about a
 * non-first fragment, about a packet to a multicast or broadcast address, about a frame that came in a link-layer
 * broadcast or multicast, about a source that is not a unique host (0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4 and up).
 * Rate-limited per thread by a token bucket ({@value #RATE_PER_SECOND}/s, bursts of {@value #BURST}).
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4IcmpErrorNode extends Node
{
    public static final String NAME = "ip4-icmp-error";
    public static final int DEST_UNREACHABLE = Icmp4Flyweight.TYPE_DEST_UNREACHABLE;
    public static final int TIME_EXCEEDED = Icmp4Flyweight.TYPE_TIME_EXCEEDED;
    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    static final int RATE_PER_SECOND = 1000;
    static final int BURST = 100;
    private static final int HEADERS = Ip4Flyweight.MIN_HEADER_LENGTH + Icmp4Flyweight.HEADER_LENGTH;
    /** RFC 1812 4.3.2.3: the error, with its headers, at most 576 bytes. */
    static final int MAX_ERROR_LENGTH = 576;

    static final int NEXT_DROP = 0;
    static final int NEXT_LOOKUP = 1;

    public static final int ERROR_SENT = 0;
    public static final int ERROR_RATE_LIMITED = 1;
    public static final int ERROR_NO_SOURCE = 2;
    public static final int ERROR_ABOUT_ICMP_ERROR = 3;
    public static final int ERROR_ABOUT_FRAGMENT = 4;
    public static final int ERROR_TO_MULTICAST = 5;
    public static final int ERROR_L2_BROADCAST = 6;
    public static final int ERROR_SOURCE_NOT_HOST = 7;
    public static final List<String> ERRORS = List.of("ICMP errors sent", "ICMP error rate limited",
        "no source address for ICMP error", "ICMP error not sent: about an ICMP error",
        "ICMP error not sent: about a non-first fragment",
        "ICMP error not sent: destination multicast or broadcast",
        "ICMP error not sent: link-layer broadcast or multicast frame",
        "ICMP error not sent: source not a unique host");

    private final Ip4Main ip4;
    private final int[] nexts = new int[Frame.SIZE];
    private final Ip4Flyweight ip = new Ip4Flyweight();
    private double tokens = BURST;
    private long lastNanos;

    private Ip4IcmpErrorNode(final Ip4Main ip4)
    {
        this.ip4 = ip4;
    }

    public static NodeRegistration registration(final Ip4Main ip4)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", Ip4LookupNode.NAME), ERRORS,
            () -> new Ip4IcmpErrorNode(ip4));
    }

    /** What to put in the opaque slot to ask for an ICMP error: type, code and (fragmentation needed) the MTU. */
    public static int request(final int type, final int code, final int mtu)
    {
        return (type << 24) | (code << 16) | (mtu & 0xffff);
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (lastNanos == 0 ? BURST : (now - lastNanos) * 1e-9 * RATE_PER_SECOND));
        lastNanos = now;
        final int[][] addressTable = ip4.addressTable();
        final int[] error = pool.error;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int reason = build(bi, addressTable);
            if (reason < 0)
            {
                nexts[i] = NEXT_LOOKUP;
            }
            else
            {
                error[bi] = errorBase + reason;
                nexts[i] = NEXT_DROP;
            }
        }
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    /** Rewrite {@code bi} into the ICMP error; returns -1 or the reason it must be dropped instead. */
    private int build(final int bi, final int[][] addressTable)
    {
        final int at = bStart[bi];
        final int request = bOpaque[bi];
        final int origSrc = Ip4Flyweight.src(mem, at);
        final int ihl = Ip4Flyweight.headerLength(mem, at);
        final int why = never(bi, at, ihl, origSrc);
        if (why >= 0)
        {
            return why;
        }
        final int rx = bRxIf[bi];
        final int src = pickSource(addressTable, rx, origSrc);
        if (src == 0)
        {
            return ERROR_NO_SOURCE;
        }
        if (tokens < 1)
        {
            return ERROR_RATE_LIMITED;
        }
        tokens -= 1;
        // As much of the first buffer as fits in 576 bytes; the rest of a chain and any offload state go.
        final int quoted = Math.min(Math.min(bLength[bi], Ip4Flyweight.totalLength(mem, at)),
            MAX_ERROR_LENGTH - HEADERS);
        buffers.trim(bi, quoted);
        pool.clearOffload(bi);
        final int out = at - HEADERS;
        final int icmp = out + Ip4Flyweight.MIN_HEADER_LENGTH;
        // The MTU (fragmentation needed; 0 otherwise) is the last two of the four type-dependent bytes.
        Icmp4Flyweight.writeHeader(mem, icmp, request >>> 24, (request >>> 16) & 0xff, request & 0xffff);
        Icmp4Flyweight.fillChecksum(mem, icmp, Icmp4Flyweight.HEADER_LENGTH + quoted);
        ip.wrap(mem, out).writeHeader(HEADERS + quoted, 64, Ip4.PROTO_ICMP, src, origSrc);
        bStart[bi] = out;
        bLength[bi] = HEADERS + quoted;
        bFlags[bi] = (bFlags[bi] | BufferPool.FLAG_LOCALLY_ORIGINATED) & ~BufferPool.FLAG_L2_MULTICAST;
        count(ERROR_SENT, 1);
        return -1;
    }

    /** Why RFC 1122 3.2.2 / RFC 1812 4.3.2.7 forbid an error about the packet at {@code at}, or -1. */
    private int never(final int bi, final int at, final int ihl, final int origSrc)
    {
        final int srcTop = origSrc >>> 24;
        if (srcTop == 0 || srcTop == 127 || srcTop >= 224)
        {
            return ERROR_SOURCE_NOT_HOST;
        }
        if ((Ip4Flyweight.dst(mem, at) >>> 28) >= 0xe)
        {
            return ERROR_TO_MULTICAST;
        }
        if ((bFlags[bi] & BufferPool.FLAG_L2_MULTICAST) != 0 && (bFlags[bi] & BufferPool.FLAG_LOCALLY_ORIGINATED) == 0)
        {
            return ERROR_L2_BROADCAST;
        }
        if (Ip4Flyweight.isLaterFragment(mem, at))
        {
            return ERROR_ABOUT_FRAGMENT;
        }
        if (Ip4Flyweight.protocol(mem, at) == Ip4.PROTO_ICMP && bLength[bi] > ihl
            && !Icmp4Flyweight.isQuery(Icmp4Flyweight.type(mem, at + ihl)))
        {
            return ERROR_ABOUT_ICMP_ERROR;
        }
        return -1;
    }

    private static int pickSource(final int[][] table, final int rx, final int dst)
    {
        return rx >= 0 && rx < table.length ? Ip4Main.sourceFor(table[rx], dst) : 0;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        final int r = record.opaque();
        out.append("  icmp type ").append(r >>> 24).append(" code ").append((r >>> 16) & 0xff).append('\n');
        Ip4Format.header(out, record);
    }
}
