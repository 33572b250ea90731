package jvpp.nodes.output;

import java.nio.ByteOrder;
import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.TcpFlyweight;
import jvpp.core.net.UdpFlyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code gso} (VPP's gso node, the kernel's {@code skb_gso_segment}): software segmentation of a GSO super-frame
 * that interface-output found going to an interface without GSO (a host-interface, a DPDK port without TSO, a tap
 * with {@code no-gso}), for every type the virtio-net header carries: TCP over IPv4 and IPv6 (TSO), UDP over IPv4
 * and IPv6 (USO, {@code VIRTIO_NET_HDR_GSO_UDP_L4}: each segment a datagram of its own) and UFO
 * ({@code VIRTIO_NET_HDR_GSO_UDP}: one IPv4 UDP datagram sent as IP fragments, the kernel's {@code udp4_ufo_fragment}).
 * One node for both families, as the two share every step but the IP header's fix-up. The frame is cut into
 * segments of {@code gsoSize} payload bytes (UFO: fragments of {@code gsoSize} rounded down to 8), each in fresh
 * buffers from the thread's {@code BufferCache} holding a copy of the Ethernet (VLAN tags included), IP and L4
 * headers and its payload copied out of the chain; a segment larger than a buffer is a chain when the egress takes
 * chains ({@code Interface.TX_CHAINS}, a tap at MTU 9000), a drop otherwise. The segments go back to
 * interface-output, first to last, no longer GSO.
 *
 * <p>Per segment: IPv4 total length, id (the frame's + 1 per segment, as Linux) and header checksum, or the IPv6
 * payload length; TCP: the sequence number advanced by the payload before it, FIN and PSH only on the last
 * segment, CWR only on the first; UDP: the length; the L4 checksum over pseudo-header and segment, or the
 * pseudo-header's sum with {@code FLAG_CSUM_PARTIAL} when the egress takes checksum offload
 * ({@code Interface.TX_CSUM}). UFO: the datagram's UDP checksum completed over all of it first, then per fragment
 * the same IPv4 id, the fragment offset and MF on all but the last (DF cleared, as the kernel's UFO does); the
 * header, options included, is copied to every fragment. IPv6 extension headers are not walked: a counted drop.
 *
 * <p>All buffers a frame needs are taken before anything is written, so a dry cache drops the whole frame
 * ({@code no buffer for a GSO segment}), nothing half sent; the super-frame's chain is freed once copied.
 *
 * <p>Thread: any thread running the graph; reads the egress's offloads from interface-output's published table.
 */
public final class GsoNode extends CuttingNode
{
    public static final String NAME = "gso";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;

    public static final int COUNT_FRAMES = 0;
    public static final int COUNT_SEGMENTS = 1;
    public static final int ERROR_NO_BUFFER = 2;
    public static final int ERROR_TOO_LARGE = 3;
    public static final int ERROR_TYPE = 4;
    public static final int ERROR_NOT_IP = 5;
    public static final int ERROR_MALFORMED = 6;
    public static final int ERROR_MISMATCH = 7;
    public static final int ERROR_IP6_EXTENSION = 8;
    public static final List<String> ERRORS = List.of("GSO frames segmented", "GSO segments sent",
        "no buffer for a GSO segment", "GSO segment larger than a buffer",
        "GSO type not segmented (unknown, UFO over IPv6)", "GSO frame not IPv4 or IPv6",
        "GSO frame malformed (gso size, lengths, headers beyond the first buffer)",
        "GSO type does not match the headers", "GSO frame with IPv6 extension headers");

    /** The most segments a frame can make: 64 KB of payload one byte each. */
    private static final int MAX_SEGMENTS = 65_536;
    /** VLAN tags looked through in front of the IP header (QinQ). */
    private static final int MAX_TAGS = 2;
    /** FIN and PSH: only the last segment keeps them. */
    private static final int LAST_ONLY = TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_PSH;
    static final int IP6_HEADER_LENGTH = 40;
    private static final int IP6_PAYLOAD_LENGTH_OFFSET = 4;
    private static final int IP6_NEXT_HEADER_OFFSET = 6;
    private static final int IP6_SRC_OFFSET = 8;

    private final InterfaceOutputNode.Arcs arcs;
    /** Every buffer the segments of the frame at hand take, segment by segment (a head, then its chain's rest). */
    private final int[] taken = new int[MAX_SEGMENTS];

    private GsoNode(final InterfaceOutputNode.Arcs arcs)
    {
        super(MAX_SEGMENTS, NEXT_OUTPUT, COUNT_FRAMES, COUNT_SEGMENTS);
        this.arcs = arcs;
    }

    static NodeRegistration registration(final InterfaceOutputNode.Arcs arcs)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", InterfaceOutputNode.NAME), ERRORS,
            () -> new GsoNode(arcs));
    }

    /**
     * Cut the super-frame {@code bi} into {@code pieces[0..result)}, first to last, and free it. Returns how many, or
     * {@code -(reason + 1)} when it must be dropped (then nothing was changed or taken).
     */
    @Override
    protected int cut(final int bi)
    {
        final int gsoType = pool.gsoType[bi] & ~BufferPool.GSO_ECN;
        final int wantVersion;
        final int wantProto;
        switch (gsoType)
        {
            case BufferPool.GSO_TCP4:
                wantVersion = 4;
                wantProto = Ip4.PROTO_TCP;
                break;
            case BufferPool.GSO_TCP6:
                wantVersion = 6;
                wantProto = Ip4.PROTO_TCP;
                break;
            case BufferPool.GSO_UDP:
                wantVersion = 4;
                wantProto = Ip4.PROTO_UDP;
                break;
            case BufferPool.GSO_UDP_L4:
                wantVersion = 0;
                wantProto = Ip4.PROTO_UDP;
                break;
            default:
                return -(ERROR_TYPE + 1);
        }
        final int at = bStart[bi];
        final int headLength = bLength[bi];
        int l2 = EthernetFlyweight.HEADER_LENGTH;
        if (headLength < l2)
        {
            return -(ERROR_MALFORMED + 1);
        }
        int type = EthernetFlyweight.type(mem, at);
        for (int tags = 0; EthernetFlyweight.isVlanType(type) && tags < MAX_TAGS && headLength >= l2 + 4; tags++)
        {
            type = EthernetFlyweight.innerType(mem, at + l2 - EthernetFlyweight.HEADER_LENGTH);
            l2 += EthernetFlyweight.VLAN_TAG_LENGTH;
        }
        final int ip = at + l2;
        final boolean v4;
        final int ipHeader;
        final int ipTotal;
        final int proto;
        if (type == EthernetFlyweight.TYPE_IP4)
        {
            if (headLength < l2 + Ip4Flyweight.MIN_HEADER_LENGTH)
            {
                return -(ERROR_MALFORMED + 1);
            }
            final int firstWord = Ip4Flyweight.firstWord(mem, ip);
            v4 = true;
            ipHeader = Ip4Flyweight.headerLengthOf(firstWord);
            ipTotal = Ip4Flyweight.totalLengthOf(firstWord);
            proto = Ip4Flyweight.protocol(mem, ip);
            if (Ip4Flyweight.versionOf(firstWord) != 4 || ipHeader < Ip4Flyweight.MIN_HEADER_LENGTH
                || Ip4Flyweight.isFragment(mem, ip))
            {
                return -(ERROR_MALFORMED + 1);
            }
        }
        else if (type == EthernetFlyweight.TYPE_IP6)
        {
            if (headLength < l2 + IP6_HEADER_LENGTH || (mem.getByte(ip) & 0xf0) != 0x60)
            {
                return -(ERROR_MALFORMED + 1);
            }
            v4 = false;
            ipHeader = IP6_HEADER_LENGTH;
            ipTotal = IP6_HEADER_LENGTH + (mem.getShort(ip + IP6_PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff);
            proto = mem.getByte(ip + IP6_NEXT_HEADER_OFFSET) & 0xff;
        }
        else
        {
            return -(ERROR_NOT_IP + 1);
        }
        if (gsoType == BufferPool.GSO_UDP && !v4)
        {
            return -(ERROR_TYPE + 1);
        }
        if (proto != wantProto)
        {
            return -((!v4 && isIp6Extension(proto) ? ERROR_IP6_EXTENSION : ERROR_MISMATCH) + 1);
        }
        if (wantVersion != 0 && wantVersion != (v4 ? 4 : 6))
        {
            return -(ERROR_MISMATCH + 1);
        }
        final boolean tcp = proto == Ip4.PROTO_TCP;
        final boolean ufo = gsoType == BufferPool.GSO_UDP;
        final int l3 = l2 + ipHeader;
        if (headLength < l3 + (tcp ? TcpFlyweight.MIN_HEADER_LENGTH : UdpFlyweight.HEADER_LENGTH))
        {
            return -(ERROR_MALFORMED + 1);
        }
        final int l4Header = tcp ? TcpFlyweight.headerLength(mem, ip + ipHeader) : UdpFlyweight.HEADER_LENGTH;
        // UFO cuts the IP payload, UDP header and all; the others repeat the L4 header in every segment.
        final int headers = ufo ? l3 : l3 + l4Header;
        final int total = totalLength(bi);
        final int payload = Math.min(total, l2 + ipTotal) - headers;
        final int gsoSize = pool.gsoSize[bi];
        final int unit = ufo ? gsoSize & ~7 : gsoSize;
        if (unit <= 0 || (tcp && l4Header < TcpFlyweight.MIN_HEADER_LENGTH) || headLength < l3 + l4Header
            || payload < 0 || (ufo && (total != l2 + ipTotal
            || UdpFlyweight.length(mem, ip + ipHeader) != ipTotal - ipHeader)))
        {
            return -(ERROR_MALFORMED + 1);
        }
        final Interface[] ifcs = arcs.interfaces;
        final int sw = bTxIf[bi];
        final Interface egress = sw >= 0 && sw < ifcs.length ? ifcs[sw] : null;
        final int offloads = egress == null ? 0 : egress.txOffloads();
        final int count = Math.max(1, (payload + unit - 1) / unit);
        final int last = payload - (count - 1) * unit;
        if ((offloads & Interface.TX_CHAINS) == 0 && headers + Math.min(unit, payload) > dataSize)
        {
            return -(ERROR_TOO_LARGE + 1);
        }
        final long need = (long)(count - 1) * buffersFor(headers + unit) + buffersFor(headers + last);
        if (need > taken.length)
        {
            return -(ERROR_TOO_LARGE + 1);
        }
        final int got = buffers.alloc(taken, 0, (int)need);
        if (got < need)
        {
            buffers.free(taken, 0, got);
            return -(ERROR_NO_BUFFER + 1);
        }
        final int l4 = ip + ipHeader;
        if (ufo)
        {
            // Fragments carry no UDP header of their own: the datagram's checksum is completed before it is cut.
            mem.putShort(l4 + UdpFlyweight.CHECKSUM_OFFSET,
                (short)Ip4.pseudoHeaderSum(mem, ip, ipTotal - ipHeader), ByteOrder.BIG_ENDIAN);
            pool.csumStart[bi] = l4;
            pool.csumOffset[bi] = UdpFlyweight.CHECKSUM_OFFSET;
            pool.completeChecksum(bi);
        }
        final boolean partial = (offloads & Interface.TX_CSUM) != 0;
        final int id = v4 ? Ip4Flyweight.id(mem, ip) : 0;
        final int sequence = tcp ? TcpFlyweight.sequence(mem, l4) : 0;
        final int tcpFlags = tcp ? TcpFlyweight.flags(mem, l4) : 0;
        final int csumOffset = tcp ? TcpFlyweight.CHECKSUM_OFFSET : UdpFlyweight.CHECKSUM_OFFSET;
        copyFrom(bi, headers);
        int offset = 0;
        int next = 0;
        for (int k = 0; k < count; k++)
        {
            final int data = Math.min(unit, payload - offset);
            final int sb = taken[next++];
            pieces[k] = sb;
            final int to = bStart[sb];
            mem.putBytes(to, mem, at, headers);
            final int here = Math.min(data, dataSize - headers);
            copyNext(to + headers, here);
            bLength[sb] = headers + here;
            bFlags[sb] = bFlags[bi] & KEPT_FLAGS;
            pool.chainRest[sb] = 0;
            int tail = sb;
            for (int rest = data - here; rest > 0; )
            {
                final int cb = taken[next++];
                final int n = Math.min(rest, dataSize);
                copyNext(bStart[cb], n);
                bLength[cb] = n;
                pool.append(sb, tail, cb);
                tail = cb;
                rest -= n;
            }
            bRxIf[sb] = bRxIf[bi];
            bTxIf[sb] = sw;
            bOpaque[sb] = bOpaque[bi];
            final int sip = to + l2;
            final int sl4 = sip + ipHeader;
            if (ufo)
            {
                Ip4Flyweight.totalLength(mem, sip, ipHeader + data);
                Ip4Flyweight.flagsFragment(mem, sip, (offset >> 3) | (k < count - 1 ? Ip4Flyweight.FLAG_MF : 0));
                Ip4Flyweight.fillChecksum(mem, sip, ipHeader);
                offset += data;
                continue;
            }
            final int l4Length = l4Header + data;
            if (v4)
            {
                Ip4Flyweight.totalLength(mem, sip, ipHeader + l4Length);
                Ip4Flyweight.id(mem, sip, id + k);
                Ip4Flyweight.fillChecksum(mem, sip, ipHeader);
            }
            else
            {
                mem.putShort(sip + IP6_PAYLOAD_LENGTH_OFFSET, (short)l4Length, ByteOrder.BIG_ENDIAN);
            }
            if (tcp)
            {
                TcpFlyweight.sequence(mem, sl4, sequence + offset);
                int f = k == count - 1 ? tcpFlags : tcpFlags & ~LAST_ONLY;
                if (k > 0)
                {
                    f &= ~TcpFlyweight.FLAG_CWR;
                }
                TcpFlyweight.flags(mem, sl4, f);
            }
            else
            {
                UdpFlyweight.length(mem, sl4, l4Length);
            }
            mem.putShort(sl4 + csumOffset, (short)(v4 ? Ip4.pseudoHeaderSum(mem, sip, l4Length)
                : ip6PseudoHeaderSum(sip, l4Length, proto)), ByteOrder.BIG_ENDIAN);
            bFlags[sb] |= BufferPool.FLAG_CSUM_PARTIAL;
            pool.csumStart[sb] = sl4;
            pool.csumOffset[sb] = csumOffset;
            if (!partial)
            {
                pool.completeChecksum(sb);
            }
            offset += data;
        }
        buffers.free(bi);
        return count;
    }

    /** Buffers a segment of {@code bytes} takes (headers and data, the headers in the first). */
    private int buffersFor(final int bytes)
    {
        return (bytes + dataSize - 1) / dataSize;
    }

    /**
     * The ones-complement sum (folded, not inverted) of the IPv6 pseudo-header (RFC 8200 8.1) of the packet at
     * {@code ip} for an L4 message of {@code l4Length} bytes of protocol {@code proto}.
     */
    private int ip6PseudoHeaderSum(final int ip, final int l4Length, final int proto)
    {
        int sum = Ip4.onesSum(mem, ip + IP6_SRC_OFFSET, 32) + (l4Length >>> 16) + (l4Length & 0xffff) + proto;
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum & 0xffff) + (sum >>> 16);
    }

    /** IPv6 extension headers (RFC 8200 4, hop-by-hop to destination options, AH, ESP, mobility, HIP, shim6). */
    private static boolean isIp6Extension(final int nextHeader)
    {
        switch (nextHeader)
        {
            case 0:
            case 43:
            case 44:
            case 50:
            case 51:
            case 60:
            case 135:
            case 139:
            case 140:
                return true;
            default:
                return false;
        }
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        out.append('\n');
        record.hexdump(out, 64);
    }
}
