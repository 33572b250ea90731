package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.output.CuttingNode;

/**
 * {@code ip4-frag} (VPP's ip4-frag): fragments an IPv4 packet without DF that ip4-rewrite found larger than its
 * adjacency's MTU (RFC 791, 3.2), applies the adjacency's Ethernet rewrite to each fragment and sends them on to
 * interface-output, first to last. The buffer's opaque slot holds the adjacency, as ip4-rewrite left it.
 *
 * <p>The first fragment is the packet itself, cut short in place: it keeps every option. The others are written
 * into buffers from the thread's {@code BufferCache}, each with the fixed header and the options whose copied flag
 * is set. Every fragment but the last carries a multiple of 8 bytes of data and MF; offsets count in 8-byte units
 * from the packet's own (a fragment fragmented again keeps its place, and the last piece its MF). The TTL is
 * decremented here (ip4-rewrite sends the packet before it does), so each fragment leaves with the TTL a whole
 * packet would have had. All buffers a packet needs are taken before anything is written, so a dry cache drops
 * the packet whole ({@code no buffer for an ip4 fragment}) rather than send part of it.
 *
 * <p>A packet in a buffer chain (a jumbo frame from a tap) is fragmented the same way, its data copied out of the
 * chain's buffers; its first fragment is then a fresh buffer too and the chain is freed once copied. A fragment
 * always fits one buffer ({@code min(MTU, data size)}). A partial L4 checksum ({@code FLAG_CSUM_PARTIAL}) is
 * completed before the packet is cut, since no fragment carries the whole L4 message; a GSO super-frame is not
 * fragmented ({@code GSO frame over the MTU without DF}: each segment would have to be fragmented, as Linux's
 * {@code ip_finish_output_gso} does; not built, gso only segments frames whose segments fit the MTU).
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4FragNode extends CuttingNode
{
    public static final String NAME = "ip4-frag";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;

    public static final int ERROR_FRAGMENTED = 0;
    public static final int ERROR_FRAGMENTS_SENT = 1;
    public static final int ERROR_NO_BUFFER = 2;
    public static final int ERROR_MTU_TOO_SMALL = 3;
    public static final int ERROR_BAD_OPTIONS = 4;
    public static final int ERROR_BEYOND_64K = 5;
    public static final int ERROR_GSO = 6;
    public static final List<String> ERRORS = List.of("ip4 packets fragmented", "ip4 fragments sent",
        "no buffer for an ip4 fragment", "ip4 MTU too small for the header and 8 bytes",
        "ip4 options malformed (cannot fragment)", "ip4 fragment would end beyond 64 KB",
        "GSO frame over the MTU without DF");

    /** The most fragments one datagram can make: 64 KB in 8-byte pieces. */
    private static final int MAX_FRAGMENTS = 65_536 / 8;

    private final Adjacencies adjs;
    /** The fragments of the packet at hand, first to last. */
    private final int[] frags = pieces;

    private Ip4FragNode(final Ip4Main ip4)
    {
        super(MAX_FRAGMENTS + 1, NEXT_OUTPUT, ERROR_FRAGMENTED, ERROR_FRAGMENTS_SENT);
        this.adjs = ip4.adjacencies();
    }

    public static NodeRegistration registration(final Ip4Main ip4)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", "interface-output"), ERRORS,
            () -> new Ip4FragNode(ip4));
    }

    /**
     * Cut {@code bi} into fragments, {@code frags[0..result)} first to last, all rewritten for the wire: a single
     * buffer becomes the first fragment itself, a chain is copied out and freed. Returns how many, or
     * {@code -(reason + 1)} when the packet must be dropped (then nothing was changed or taken).
     */
    @Override
    protected int cut(final int bi)
    {
        if ((bFlags[bi] & BufferPool.FLAG_GSO) != 0)
        {
            return -(ERROR_GSO + 1);
        }
        final boolean chained = (bFlags[bi] & BufferPool.FLAG_NEXT_PRESENT) != 0;
        final int at = bStart[bi];
        final int adj = bOpaque[bi];
        final int room = Math.min(adjs.mtu[adj], dataSize);
        final int headerLength = Ip4Flyweight.headerLength(mem, at);
        final int laterHeaderLength = Ip4Flyweight.laterFragmentHeader(mem, at, null, 0);
        if (laterHeaderLength < 0)
        {
            return -(ERROR_BAD_OPTIONS + 1);
        }
        final int firstData = (room - headerLength) & ~7;
        final int laterData = (room - laterHeaderLength) & ~7;
        if (firstData < 8)
        {
            return -(ERROR_MTU_TOO_SMALL + 1);
        }
        final int payload = totalLength(bi) - headerLength;
        final int flagsFragment = Ip4Flyweight.flagsFragment(mem, at);
        final int baseOffset = flagsFragment & Ip4Flyweight.FRAGMENT_OFFSET_MASK;
        if (baseOffset + ((payload - 1) >>> 3) > Ip4Flyweight.FRAGMENT_OFFSET_MASK)
        {
            return -(ERROR_BEYOND_64K + 1);
        }
        final int later = (payload - firstData + laterData - 1) / laterData;
        final int fresh = chained ? later + 1 : later;
        final int got = buffers.alloc(frags, chained ? 0 : 1, fresh);
        if (got < fresh)
        {
            buffers.free(frags, chained ? 0 : 1, got);
            return -(ERROR_NO_BUFFER + 1);
        }
        if ((bFlags[bi] & BufferPool.FLAG_CSUM_PARTIAL) != 0)
        {
            pool.completeChecksum(bi);
        }
        if ((bFlags[bi] & BufferPool.FLAG_LOCALLY_ORIGINATED) == 0)
        {
            Ip4Flyweight.decrementTtl(mem, at);
        }
        // What every fragment keeps of the packet's flags (DF is clear, or it would not be here), and the MF the
        // last one carries: set when the packet was itself a fragment that was not the last.
        final int kept = flagsFragment & ~(Ip4Flyweight.FLAG_MF | Ip4Flyweight.FRAGMENT_OFFSET_MASK);
        final int lastMore = flagsFragment & Ip4Flyweight.FLAG_MF;
        // One walk of the packet's bytes, first fragment to last: a chain's head may hold less than the first
        // fragment, so a chain's first fragment is written afresh; a single buffer stays the first fragment itself.
        final int first;
        if (chained)
        {
            first = frags[0];
            copyFrom(bi, 0);
            copyNext(bStart[first], headerLength + firstData);
        }
        else
        {
            first = bi;
            frags[0] = bi;
            copyFrom(bi, headerLength + firstData);
        }
        int offset = firstData;
        for (int k = 1; k <= later; k++)
        {
            final int fb = frags[k];
            final int to = bStart[fb];
            final int data = Math.min(laterData, payload - offset);
            Ip4Flyweight.laterFragmentHeader(mem, at, mem, to);
            copyNext(to + laterHeaderLength, data);
            Ip4Flyweight.totalLength(mem, to, laterHeaderLength + data);
            Ip4Flyweight.flagsFragment(mem, to,
                kept | (k == later ? lastMore : Ip4Flyweight.FLAG_MF) | (baseOffset + (offset >>> 3)));
            Ip4Flyweight.fillChecksum(mem, to, laterHeaderLength);
            bLength[fb] = laterHeaderLength + data;
            bRxIf[fb] = bRxIf[bi];
            bFlags[fb] = bFlags[bi] & KEPT_FLAGS;
            bOpaque[fb] = adj;
            rewrite(fb, adj);
            offset += data;
        }
        if (chained)
        {
            bRxIf[first] = bRxIf[bi];
            bFlags[first] = bFlags[bi] & KEPT_FLAGS;
            bOpaque[first] = adj;
            buffers.free(bi);
        }
        final int to = bStart[first];
        Ip4Flyweight.totalLength(mem, to, headerLength + firstData);
        Ip4Flyweight.flagsFragment(mem, to, kept | Ip4Flyweight.FLAG_MF | baseOffset);
        Ip4Flyweight.fillChecksum(mem, to, headerLength);
        bLength[first] = headerLength + firstData;
        rewrite(first, adj);
        return later + 1;
    }

    /** The adjacency's Ethernet header in front of the IPv4 header, and its interface as the buffer's tx. */
    private void rewrite(final int bi, final int adj)
    {
        final int l2 = bStart[bi] - EthernetFlyweight.HEADER_LENGTH;
        EthernetFlyweight.putHeader(mem, l2, adjs.rewrite0[adj], adjs.rewrite1[adj]);
        bStart[bi] = l2;
        bLength[bi] += EthernetFlyweight.HEADER_LENGTH;
        bTxIf[bi] = adjs.swIfIndex[adj];
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        final int adj = record.opaque();
        out.append("  mtu ").append(adj >= 0 && adj < adjs.size() ? adjs.mtu[adj] : -1)
            .append(" adj-idx ").append(adj).append('\n');
        Ip4Format.header(out, record);
    }
}
