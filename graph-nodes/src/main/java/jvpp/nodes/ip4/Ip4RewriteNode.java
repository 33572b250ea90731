package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.MacAddress;
import jvpp.core.trace.TraceBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code ip4-rewrite}: the last IPv4 step before the wire. Checks TTL (1 or less: ICMP time exceeded; not for
 * packets jvpp originated itself, {@code BufferPool.FLAG_LOCALLY_ORIGINATED}, as VPP) and
 * the adjacency's MTU (too big with DF: ICMP fragmentation needed carrying the MTU, RFC 1191; too big without
 * DF: to {@code ip4-frag}, which decrements the TTL and rewrites each fragment; a GSO super-frame fits when each of
 * its segments does), decrements TTL with an incremental checksum update, and prepends the adjacency's precomputed
 * Ethernet header.
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4RewriteNode extends Node
{
    public static final String NAME = "ip4-rewrite";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;
    static final int NEXT_ICMP_ERROR = 2;
    static final int NEXT_FRAG = 3;

    public static final int ERROR_TTL_EXPIRED = 0;
    public static final int ERROR_MTU_DF = 1;
    public static final int ERROR_MTU_FRAG = 2;
    public static final int ERROR_NOT_RESOLVED = 3;
    public static final List<String> ERRORS = List.of("ip4 ttl <= 1", "ip4 MTU exceeded and DF set",
        "ip4 MTU exceeded (to ip4-frag)", "adjacency not resolved");

    private final Ip4Main ip4;
    private final Adjacencies adjs;
    private final int[] nexts = new int[Frame.SIZE];

    private Ip4RewriteNode(final Ip4Main ip4)
    {
        this.ip4 = ip4;
        this.adjs = ip4.adjacencies();
    }

    public static NodeRegistration registration(final Ip4Main ip4)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", "interface-output", Ip4IcmpErrorNode.NAME,
            Ip4FragNode.NAME), ERRORS,
            () -> new Ip4RewriteNode(ip4));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] start = bStart;
        final int[] length = bLength;
        final int[] opaque = bOpaque;
        final int[] tx = bTxIf;
        final int[] adjMtu = adjs.mtu;
        final int[] adjSw = adjs.swIfIndex;
        final int[] adjType = adjs.type;
        final long[] rw0 = adjs.rewrite0;
        final long[] rw1 = adjs.rewrite1;
        final int[] error = pool.error;
        final int[] flags = bFlags;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int at = start[bi];
            final int adj = opaque[bi];
            final int ttl = Ip4Flyweight.ttl(mem, at);
            final int total = totalLength(bi);
            final boolean local = (flags[bi] & BufferPool.FLAG_LOCALLY_ORIGINATED) != 0;
            if (ttl <= 1 && !local)
            {
                count(ERROR_TTL_EXPIRED, 1);
                opaque[bi] = Ip4IcmpErrorNode.request(Ip4IcmpErrorNode.TIME_EXCEEDED, 0, 0);
                nexts[i] = NEXT_ICMP_ERROR;
                continue;
            }
            if (adjType[adj] != Adjacencies.REWRITE)
            {
                error[bi] = errorBase + ERROR_NOT_RESOLVED;
                nexts[i] = NEXT_DROP;
                continue;
            }
            if (total > adjMtu[adj] && ((flags[bi] & BufferPool.FLAG_GSO) == 0 || segmentLength(bi, at) > adjMtu[adj]))
            {
                if (Ip4Flyweight.dontFragment(mem, at))
                {
                    count(ERROR_MTU_DF, 1);
                    opaque[bi] = Ip4IcmpErrorNode.request(Ip4IcmpErrorNode.DEST_UNREACHABLE,
                        Ip4IcmpErrorNode.CODE_FRAGMENTATION_NEEDED, adjMtu[adj]);
                    nexts[i] = NEXT_ICMP_ERROR;
                }
                else
                {
                    count(ERROR_MTU_FRAG, 1);
                    nexts[i] = NEXT_FRAG;
                }
                continue;
            }
            if (!local)
            {
                Ip4Flyweight.decrementTtl(mem, at);
            }
            final int l2 = at - EthernetFlyweight.HEADER_LENGTH;
            EthernetFlyweight.putHeader(mem, l2, rw0[adj], rw1[adj]);
            start[bi] = l2;
            length[bi] += EthernetFlyweight.HEADER_LENGTH;
            tx[bi] = adjSw[adj];
            nexts[i] = NEXT_OUTPUT;
        }
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    /**
     * The IP length of each segment a GSO super-frame becomes: its IP and L4 headers and gso-size payload bytes (VPP's
     * gso_size + gso_l4_hdr_sz + the L3 header): what must fit the MTU, not the super-frame's length.
     */
    private int segmentLength(final int bi, final int at)
    {
        final int ihl = Ip4Flyweight.headerLength(mem, at);
        final int l4 = (pool.gsoType[bi] & ~BufferPool.GSO_ECN) == BufferPool.GSO_UDP ? 8
            : ((mem.getByte(at + ihl + 12) >> 4) & 0xf) << 2;
        return ihl + l4 + pool.gsoSize[bi];
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        final int adj = record.opaque();
        final boolean rewrite = adj >= 0 && adj < adjs.size() && adjs.type[adj] == Adjacencies.REWRITE;
        out.append("  tx_sw_if_index ").append(adj >= 0 && adj < adjs.size() ? adjs.swIfIndex[adj] : -1)
            .append(" adj-idx ").append(adj).append('\n');
        final int captured = record.captured();
        if (!rewrite || captured < Ip4Flyweight.MIN_HEADER_LENGTH)
        {
            Ip4Format.header(out, record);
            return;
        }
        // As VPP's ip4-rewrite trace: the packet as it leaves, its Ethernet rewrite and its TTL decremented (the
        // record holds it as it arrived). What jvpp made itself (its source is one of its addresses) keeps its TTL.
        final UnsafeBuffer leaving = new UnsafeBuffer(new byte[captured]);
        leaving.putBytes(0, record.data(), 0, captured);
        if (Ip4Flyweight.ttl(leaving, 0) > 1 && !ownAddress(Ip4Flyweight.src(leaving, 0)))
        {
            Ip4Flyweight.decrementTtl(leaving, 0);
        }
        final UnsafeBuffer l2 = new UnsafeBuffer(new byte[EthernetFlyweight.HEADER_LENGTH]);
        EthernetFlyweight.putHeader(l2, 0, adjs.rewrite0[adj], adjs.rewrite1[adj]);
        final EthernetFlyweight eth = new EthernetFlyweight().wrap(l2, 0);
        out.append("  IP4: ").append(MacAddress.format(eth.src())).append(" -> ").append(MacAddress.format(eth.dst()))
            .append('\n');
        Ip4Format.header(out, leaving, captured, record.length());
    }

    private boolean ownAddress(final int address)
    {
        for (final int[] pairs : ip4.addressTable())
        {
            for (int p = 0; pairs != null && p < pairs.length; p += 2)
            {
                if (pairs[p] == address)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
