package jvpp.nodes.l2;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.MacAddress;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code l2-input}: the entry to bridging for frames that ethernet-input received on an interface in L2 mode,
 * with the buffer still at the Ethernet header. Classifies each frame by its rx interface's bridge domain,
 * whose index it leaves in the buffer's opaque slot, and sends it to l2-learn when the domain learns, else
 * straight to l2-fwd. A cross-connected interface's frames go straight to l2-output with the peer as tx.
 *
 * <p>What a bridge keeps local (bridge domains only; a cross-connect is a wire and carries everything): a frame
 * whose source MAC is multicast, broadcast or all zeros names no station, so it is dropped before anything learns
 * it (as Linux's bridge, {@code is_valid_ether_addr}); a frame to one of the IEEE 802.1D clause 7.12.6 reserved
 * group addresses 01:80:c2:00:00:00–0f (STP BPDUs, PAUSE, slow protocols such as LACP, 802.1X, LLDP, ...) is
 * link-local and never relayed, so it is dropped, counted per protocol. VPP's l2-input has no such filter; the
 * standard and Linux (which forwards BPDUs only while its STP is off) do, and a bridge that relays PAUSE or LACP
 * breaks its neighbours' links.
 *
 * <p>Thread: any thread running the graph.
 */
public final class L2InputNode extends Node
{
    public static final String NAME = "l2-input";
    static final int NEXT_DROP = 0;
    static final int NEXT_LEARN = 1;
    static final int NEXT_FWD = 2;
    static final int NEXT_OUTPUT = 3;
    public static final int ERROR_PACKETS = 0;
    public static final int ERROR_RUNT = 1;
    public static final int ERROR_NOT_L2 = 2;
    public static final int ERROR_SRC_MULTICAST = 3;
    public static final int ERROR_SRC_ZERO = 4;
    public static final int ERROR_STP = 5;
    public static final int ERROR_PAUSE = 6;
    public static final int ERROR_SLOW_PROTOCOLS = 7;
    public static final int ERROR_PAE = 8;
    public static final int ERROR_LLDP = 9;
    public static final int ERROR_RESERVED = 10;
    public static final List<String> ERRORS = List.of("L2 input packets", "frame shorter than an Ethernet header",
        "interface not in a bridge domain", "source MAC multicast or broadcast (not a station)",
        "source MAC 00:00:00:00:00:00 (not a station)", "STP BPDU (01:80:c2:00:00:00) not relayed",
        "PAUSE (01:80:c2:00:00:01) not relayed", "slow protocols, LACP (01:80:c2:00:00:02) not relayed",
        "802.1X EAPOL (01:80:c2:00:00:03) not relayed", "LLDP (01:80:c2:00:00:0e) not relayed",
        "other IEEE 802.1D reserved group address (01:80:c2:00:00:0x) not relayed");

    /** The reserved group addresses 01:80:c2:00:00:00–0f, the last nibble masked off. */
    private static final long RESERVED_GROUP = 0x0180_c200_0000L;
    private static final long RESERVED_MASK = 0xffff_ffff_fff0L;
    /** The drop reason for each reserved group address, by its last nibble. */
    private static final int[] RESERVED_REASON = {ERROR_STP, ERROR_PAUSE, ERROR_SLOW_PROTOCOLS, ERROR_PAE,
        ERROR_RESERVED, ERROR_RESERVED, ERROR_RESERVED, ERROR_RESERVED, ERROR_RESERVED, ERROR_RESERVED, ERROR_RESERVED,
        ERROR_RESERVED, ERROR_RESERVED, ERROR_RESERVED, ERROR_LLDP, ERROR_RESERVED};

    private final BridgeDomains bds;
    private final int[] nexts = new int[Frame.SIZE];

    private L2InputNode(final BridgeDomains bds)
    {
        this.bds = bds;
    }

    public static NodeRegistration registration(final BridgeDomains bds)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", L2LearnNode.NAME, L2FwdNode.NAME, L2OutputNode.NAME), ERRORS,
            () -> new L2InputNode(bds));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] bdBySw = bds.bdIndexBySwIf();
        final int[] flags = bds.flags();
        final int[] rx = bRxIf;
        final int[] length = bLength;
        final int[] start = bStart;
        final int[] opaque = bOpaque;
        final int[] error = pool.error;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int sw = rx[bi];
            final int bd = sw >= 0 && sw < bdBySw.length ? bdBySw[sw] : -1;
            if (bd < 0)
            {
                // The interface went back to L3 between ethernet-input and here (a frame in flight at the barrier).
                error[bi] = errorBase + ERROR_NOT_L2;
                nexts[i] = NEXT_DROP;
            }
            else if (length[bi] < EthernetFlyweight.HEADER_LENGTH)
            {
                error[bi] = errorBase + ERROR_RUNT;
                nexts[i] = NEXT_DROP;
            }
            else if (bd >= BridgeDomains.XCONNECT_BASE)
            {
                // Cross-connect: l2-output sends it on the peer.
                opaque[bi] = bd - BridgeDomains.XCONNECT_BASE;
                nexts[i] = NEXT_OUTPUT;
            }
            else
            {
                final int reason = localOnly(start[bi]);
                if (reason >= 0)
                {
                    error[bi] = errorBase + reason;
                    nexts[i] = NEXT_DROP;
                    continue;
                }
                opaque[bi] = bd;
                nexts[i] = (flags[bd] & BridgeDomains.FLAG_LEARN) != 0 ? NEXT_LEARN : NEXT_FWD;
            }
        }
        count(ERROR_PACKETS, n);
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    /** Why the frame at {@code l2} must not be bridged (an error index), or -1 when it may be. */
    private int localOnly(final int l2)
    {
        final long src = EthernetFlyweight.src(mem, l2);
        if (src == 0)
        {
            return ERROR_SRC_ZERO;
        }
        if (MacAddress.isMulticast(src))
        {
            return ERROR_SRC_MULTICAST;
        }
        final long dst = EthernetFlyweight.dst(mem, l2);
        return (dst & RESERVED_MASK) == RESERVED_GROUP ? RESERVED_REASON[(int)(dst & 0xf)] : -1;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        if (record.captured() >= EthernetFlyweight.HEADER_LENGTH)
        {
            final EthernetFlyweight e = new EthernetFlyweight().wrap(record.data(), 0);
            out.append("  l2-input: sw_if_index ").append(record.rxIf()).append(" dst ")
                .append(MacAddress.format(e.dst())).append(" src ").append(MacAddress.format(e.src())).append('\n');
        }
        record.hexdump(out, 32);
    }
}
