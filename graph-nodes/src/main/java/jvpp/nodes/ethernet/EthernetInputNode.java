package jvpp.nodes.ethernet;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.MacAddress;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.l2.BridgeDomains;
import jvpp.nodes.l2.L2InputNode;

/**
 * {@code ethernet-input}: parses the Ethernet header and hands the frame to the node registered for its
 * EtherType ({@link EthernetTypes}), with the buffer advanced past the header. Frames shorter than a
 * header, frames for another MAC (not ours, not broadcast or multicast: {@code l3 mac mismatch}), 802.1Q
 * tagged frames no sub-interface takes ({@code unknown vlan}) and EtherTypes nobody registered are dropped
 * under their own reasons.
 *
 * <p>VLAN sub-interfaces ({@link SubInterfaces}): a frame with a tag a sub-interface of its rx interface takes
 * loses the tag and continues as received on the sub-interface, through the L2 hook or the L3 path below.
 *
 * <p>L2 hook: frames received on an interface in L2 bridge mode ({@link BridgeDomains#bdIndexBySwIf}) go to
 * l2-input untouched, the buffer still at the Ethernet header, without the L3 MAC check — except frames a
 * bridge hands to its BVI ({@code BufferPool.FLAG_L2_TO_BVI}), which take the L3 path with the BVI as rx.
 *
 * <p>Thread: any thread running the graph.
 */
public final class EthernetInputNode extends Node
{
    public static final String NAME = "ethernet-input";
    private static final int NEXT_DROP = 0;
    /** L2 hook: the arc to l2-input, present when bridging is registered. */
    private static final int NEXT_L2_INPUT = 1;
    private static final int[] NO_L2 = new int[0];
    public static final int ERROR_UNKNOWN_TYPE = 0;
    public static final int ERROR_RUNT = 1;
    public static final int ERROR_MAC_MISMATCH = 2;
    public static final int ERROR_UNKNOWN_VLAN = 3;
    public static final int ERROR_SUBIF_DOWN = 4;
    public static final List<String> ERRORS = List.of("unknown ethernet type", "frame shorter than an Ethernet header",
        "l3 mac mismatch", "unknown vlan", "subinterface down");
    private static final int[][] NO_SUBS = new int[0][];

    private final EthernetTypes types;
    private final InterfaceTable interfaces;
    /** L2 hook: per-interface mode (bridge-domain index, or -1 for L3); null without bridging. */
    private final BridgeDomains bridgeDomains;
    /** VLAN sub-interfaces; null without them. */
    private final SubInterfaces subs;
    private final EthernetFlyweight eth = new EthernetFlyweight();
    private final int[] nexts = new int[Frame.SIZE];

    private EthernetInputNode(final EthernetTypes types, final InterfaceTable interfaces, final BridgeDomains bds,
        final SubInterfaces subs)
    {
        this.types = types;
        this.interfaces = interfaces;
        this.bridgeDomains = bds;
        this.subs = subs;
    }

    public static NodeRegistration registration(final EthernetTypes types, final InterfaceTable interfaces)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop"), ERRORS,
            () -> new EthernetInputNode(types, interfaces, null, null));
    }

    /**
     * With the L2 hook (interfaces in a bridge domain hand their frames to l2-input, arc 1) and VLAN
     * sub-interfaces (a tagged frame a sub-interface takes loses its tag and continues as received on it).
     */
    public static NodeRegistration registration(final EthernetTypes types, final InterfaceTable interfaces,
        final BridgeDomains bds, final SubInterfaces subs)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", L2InputNode.NAME), ERRORS,
            () -> new EthernetInputNode(types, interfaces, bds, subs));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] typeTable = types.types();
        final int[] arcTable = types.arcs();
        final int[] start = bStart;
        final int[] length = bLength;
        final int[] rx = bRxIf;
        int lastType = -1;
        int lastArc = -1;
        int lastRx = -1;
        long rxMac = 0;
        final int[] l2Mode = bridgeDomains == null ? NO_L2 : bridgeDomains.bdIndexBySwIf();
        final int[][] vlanTables = subs == null ? NO_SUBS : subs.tableBySup();
        final Interface[] subIfs = subs == null ? null : subs.subBySw();
        final int[] error = pool.error;
        final int dropBase = errorBase;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            int reason = -1;
            if (length[bi] < EthernetFlyweight.HEADER_LENGTH)
            {
                reason = ERROR_RUNT;
            }
            else if (vlanTables.length > 0 && (reason = popSubInterfaceTag(bi, vlanTables, subIfs)) >= 0)
            {
                // Tagged for a sub-interface that is down, or too short for its tag: dropped below.
            }
            else if (rx[bi] >= 0 && rx[bi] < l2Mode.length && l2Mode[rx[bi]] >= 0
                && (bFlags[bi] & BufferPool.FLAG_L2_TO_BVI) == 0)
            {
                // L2 hook: bridged, header kept, no L3 MAC check.
                nexts[i] = NEXT_L2_INPUT;
                continue;
            }
            else
            {
                bFlags[bi] &= ~BufferPool.FLAG_L2_TO_BVI;
                eth.wrap(mem, start[bi]);
                if (rx[bi] != lastRx)
                {
                    lastRx = rx[bi];
                    final Interface ifc = interfaces.get(lastRx);
                    rxMac = ifc == null ? 0 : ifc.mac();
                }
                final int type = eth.type();
                if (EthernetFlyweight.isVlanType(type))
                {
                    // 802.1Q/802.1ad that no sub-interface took (as VPP).
                    reason = length[bi] < EthernetFlyweight.HEADER_LENGTH + EthernetFlyweight.VLAN_TAG_LENGTH
                        ? ERROR_RUNT : ERROR_UNKNOWN_VLAN;
                }
                // An interface without a MAC (local0: packet-generator streams) accepts every destination.
                else if (rxMac != 0 && eth.dst() != rxMac && !MacAddress.isMulticast(eth.dst()))
                {
                    reason = ERROR_MAC_MISMATCH;
                }
                else
                {
                    if (type != lastType)
                    {
                        lastType = type;
                        lastArc = -1;
                        for (int t = 0; t < typeTable.length; t++)
                        {
                            if (typeTable[t] == type)
                            {
                                lastArc = arcTable[t];
                                break;
                            }
                        }
                    }
                    if (lastArc < 0)
                    {
                        reason = ERROR_UNKNOWN_TYPE;
                    }
                }
            }
            if (reason < 0)
            {
                // Kept for L3 (ip4-input, ip4-icmp-error), which no longer sees the Ethernet header. Set only: a
                // buffer's flags start at 0 when it is allocated, so the unicast fast path writes nothing.
                if (MacAddress.isMulticast(eth.dst()))
                {
                    bFlags[bi] |= BufferPool.FLAG_L2_MULTICAST;
                }
                start[bi] += EthernetFlyweight.HEADER_LENGTH;
                length[bi] -= EthernetFlyweight.HEADER_LENGTH;
                nexts[i] = lastArc;
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
     * If the frame carries a tag a sub-interface of its rx interface takes, pop the tag and make the frame
     * received on the sub-interface (counted there). Returns a drop reason, or -1 to go on (tag popped, or
     * nothing matched and the frame is left as it was).
     */
    private int popSubInterfaceTag(final int bi, final int[][] tables, final Interface[] subIfs)
    {
        final int at = bStart[bi];
        final int tpid = EthernetFlyweight.type(mem, at);
        final int sup = bRxIf[bi];
        if (!EthernetFlyweight.isVlanType(tpid) || sup < 0 || sup >= tables.length || tables[sup] == null)
        {
            return -1;
        }
        if (bLength[bi] < EthernetFlyweight.HEADER_LENGTH + EthernetFlyweight.VLAN_TAG_LENGTH)
        {
            return ERROR_RUNT;
        }
        final int vlan = EthernetFlyweight.vlanId(mem, at);
        final int entry = tables[sup][SubInterfaces.slot(tpid, vlan)];
        final int sub = entry >>> 1;
        if (entry == 0 || sub >= subIfs.length || subIfs[sub] == null)
        {
            return -1;
        }
        if ((entry & 1) != 0)
        {
            // exact-match: a further tag inside means the frame is not this sub-interface's.
            if (EthernetFlyweight.isVlanType(EthernetFlyweight.innerType(mem, at)))
            {
                return -1;
            }
        }
        if (!subIfs[sub].adminUp())
        {
            return ERROR_SUBIF_DOWN;
        }
        final int to = at + EthernetFlyweight.VLAN_TAG_LENGTH;
        EthernetFlyweight.moveAddresses(mem, at, to);
        bStart[bi] = to;
        bLength[bi] -= EthernetFlyweight.VLAN_TAG_LENGTH;
        bRxIf[bi] = sub;
        ifCounters().addPacket(sub, InterfaceCounters.RX_PACKETS, totalLength(bi));
        return -1;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        if (record.captured() < EthernetFlyweight.HEADER_LENGTH)
        {
            out.append("  frame of ").append(record.length()).append(" bytes, shorter than an Ethernet header");
            return;
        }
        final EthernetFlyweight e = new EthernetFlyweight().wrap(record.data(), 0);
        out.append("  ").append(EthernetFlyweight.typeName(e.type())).append(": ")
            .append(MacAddress.format(e.src())).append(" -> ").append(MacAddress.format(e.dst()));
        if (e.type() == EthernetFlyweight.TYPE_VLAN
            && record.captured() >= EthernetFlyweight.HEADER_LENGTH + EthernetFlyweight.VLAN_TAG_LENGTH)
        {
            out.append(" 802.1q vlan ").append(EthernetFlyweight.vlanId(record.data(), 0));
        }
    }
}
