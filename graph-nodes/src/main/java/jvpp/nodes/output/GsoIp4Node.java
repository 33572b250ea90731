package jvpp.nodes.output;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.TcpFlyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code gso-ip4} (VPP's gso node, the kernel's {@code tcp_gso_segment}): software segmentation of a TCP-over-IPv4
 * GSO super-frame that interface-output found going to an interface without GSO (a host-interface, a DPDK port
 * without TSO, a tap with {@code no-gso}). The frame is cut into segments of {@code gsoSize} payload bytes, each a
 * fresh single buffer from the thread's {@code BufferCache} holding a copy of the Ethernet (VLAN tags included),
 * IPv4 and TCP headers and its payload copied out of the chain, and the segments go back to interface-output, first
 * to last, no longer GSO.
 *
 * <p>Per segment: the IP total length, the IP id (the frame's + 1 per segment, as Linux) and the IP header checksum;
 * the TCP sequence number advanced by the payload before it, FIN and PSH only on the last segment, CWR only on the
 * first, and the TCP checksum over pseudo-header and segment, or the pseudo-header's sum with
 * {@code FLAG_CSUM_PARTIAL} when the egress takes checksum offload ({@code Interface.TX_CSUM}). All buffers a frame
 * needs are taken before anything is written, so a dry cache drops the whole frame ({@code no buffer for a GSO
 * segment}), nothing half sent; the super-frame's chain is freed once copied. UDP (UFO/USO) and TCP over IPv6 GSO
 * frames are not segmented: a counted drop ({@code GSO type not segmented (UDP, TCP6)}).
 *
 * <p>Thread: any thread running the graph; reads the egress's offloads from interface-output's published table.
 */
public final class GsoIp4Node extends CuttingNode
{
    public static final String NAME = "gso-ip4";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;

    public static final int COUNT_FRAMES = 0;
    public static final int COUNT_SEGMENTS = 1;
    public static final int ERROR_NO_BUFFER = 2;
    public static final int ERROR_TOO_LARGE = 3;
    public static final int ERROR_TYPE = 4;
    public static final int ERROR_NOT_TCP4 = 5;
    public static final int ERROR_MALFORMED = 6;
    public static final List<String> ERRORS = List.of("GSO frames segmented", "GSO segments sent",
        "no buffer for a GSO segment", "GSO segment larger than a buffer", "GSO type not segmented (UDP, TCP6)",
        "GSO frame not TCP over IPv4", "GSO frame malformed (gso size 0, headers beyond the first buffer)");

    /** The most segments a frame can make: 64 KB of payload one byte each. */
    private static final int MAX_SEGMENTS = 65_536;
    /** VLAN tags looked through in front of the IPv4 header (QinQ). */
    private static final int MAX_TAGS = 2;
    /** FIN and PSH: only the last segment keeps them. */
    private static final int LAST_ONLY = TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_PSH;

    private final InterfaceOutputNode.Arcs arcs;
    /** The segments of the frame at hand, first to last. */
    private final int[] segs = pieces;

    private GsoIp4Node(final InterfaceOutputNode.Arcs arcs)
    {
        super(MAX_SEGMENTS, NEXT_OUTPUT, COUNT_FRAMES, COUNT_SEGMENTS);
        this.arcs = arcs;
    }

    static NodeRegistration registration(final InterfaceOutputNode.Arcs arcs)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", InterfaceOutputNode.NAME), ERRORS,
            () -> new GsoIp4Node(arcs));
    }

    /**
     * Cut the super-frame {@code bi} into {@code segs[0..result)}, first to last, and free it. Returns how many, or
     * {@code -(reason + 1)} when it must be dropped (then nothing was changed or taken).
     */
    @Override
    protected int cut(final int bi)
    {
        if ((pool.gsoType[bi] & ~BufferPool.GSO_ECN) != BufferPool.GSO_TCP4)
        {
            return -(ERROR_TYPE + 1);
        }
        final int at = bStart[bi];
        int l2 = EthernetFlyweight.HEADER_LENGTH;
        int type = EthernetFlyweight.type(mem, at);
        for (int tags = 0; EthernetFlyweight.isVlanType(type) && tags < MAX_TAGS; tags++)
        {
            type = EthernetFlyweight.innerType(mem, at + l2 - EthernetFlyweight.HEADER_LENGTH);
            l2 += EthernetFlyweight.VLAN_TAG_LENGTH;
        }
        final int headLength = bLength[bi];
        if (type != EthernetFlyweight.TYPE_IP4 || headLength < l2 + Ip4Flyweight.MIN_HEADER_LENGTH)
        {
            return -(ERROR_NOT_TCP4 + 1);
        }
        final int ip = at + l2;
        final int firstWord = Ip4Flyweight.firstWord(mem, ip);
        if (Ip4Flyweight.versionOf(firstWord) != 4 || Ip4Flyweight.protocol(mem, ip) != Ip4.PROTO_TCP)
        {
            return -(ERROR_NOT_TCP4 + 1);
        }
        final int ihl = Ip4Flyweight.headerLengthOf(firstWord);
        final int gsoSize = pool.gsoSize[bi];
        if (ihl < Ip4Flyweight.MIN_HEADER_LENGTH || gsoSize <= 0
            || headLength < l2 + ihl + TcpFlyweight.MIN_HEADER_LENGTH)
        {
            return -(ERROR_MALFORMED + 1);
        }
        final int tcp = ip + ihl;
        final int tcpLength = TcpFlyweight.headerLength(mem, tcp);
        final int headers = l2 + ihl + tcpLength;
        final int payload = Math.min(totalLength(bi), l2 + Ip4Flyweight.totalLengthOf(firstWord)) - headers;
        if (tcpLength < TcpFlyweight.MIN_HEADER_LENGTH || headLength < headers || payload < 0)
        {
            return -(ERROR_MALFORMED + 1);
        }
        if (headers + Math.min(gsoSize, payload) > dataSize)
        {
            return -(ERROR_TOO_LARGE + 1);
        }
        final int count = Math.max(1, (payload + gsoSize - 1) / gsoSize);
        final int got = buffers.alloc(segs, 0, count);
        if (got < count)
        {
            buffers.free(segs, 0, got);
            return -(ERROR_NO_BUFFER + 1);
        }
        final Interface[] ifcs = arcs.interfaces;
        final int sw = bTxIf[bi];
        final Interface egress = sw >= 0 && sw < ifcs.length ? ifcs[sw] : null;
        final boolean partial = egress != null && (egress.txOffloads() & Interface.TX_CSUM) != 0;
        final int id = Ip4Flyweight.id(mem, ip);
        final int sequence = TcpFlyweight.sequence(mem, tcp);
        final int tcpFlags = TcpFlyweight.flags(mem, tcp);
        copyFrom(bi, headers);
        int offset = 0;
        for (int k = 0; k < count; k++)
        {
            final int sb = segs[k];
            final int to = bStart[sb];
            final int data = Math.min(gsoSize, payload - offset);
            mem.putBytes(to, mem, at, headers);
            copyNext(to + headers, data);
            final int sip = to + l2;
            final int stcp = sip + ihl;
            Ip4Flyweight.totalLength(mem, sip, ihl + tcpLength + data);
            Ip4Flyweight.id(mem, sip, id + k);
            Ip4Flyweight.fillChecksum(mem, sip, ihl);
            TcpFlyweight.sequence(mem, stcp, sequence + offset);
            int f = k == count - 1 ? tcpFlags : tcpFlags & ~LAST_ONLY;
            if (k > 0)
            {
                f &= ~TcpFlyweight.FLAG_CWR;
            }
            TcpFlyweight.flags(mem, stcp, f);
            bLength[sb] = headers + data;
            bRxIf[sb] = bRxIf[bi];
            bTxIf[sb] = sw;
            bOpaque[sb] = bOpaque[bi];
            bFlags[sb] = bFlags[bi] & KEPT_FLAGS;
            if (partial)
            {
                TcpFlyweight.checksum(mem, stcp, Ip4.pseudoHeaderSum(mem, sip, tcpLength + data));
                bFlags[sb] |= BufferPool.FLAG_CSUM_PARTIAL;
                pool.csumStart[sb] = stcp;
                pool.csumOffset[sb] = TcpFlyweight.CHECKSUM_OFFSET;
            }
            else
            {
                Ip4.fillL4Checksum(mem, sip, ihl + tcpLength + data);
            }
            offset += data;
        }
        buffers.free(bi);
        return count;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        out.append('\n');
        record.hexdump(out, 64);
    }
}
