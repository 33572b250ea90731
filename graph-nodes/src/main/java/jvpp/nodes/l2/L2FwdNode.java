package jvpp.nodes.l2;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.MacAddress;

/**
 * {@code l2-fwd}: looks each frame's destination MAC up in its bridge domain (index in the opaque slot). A
 * hit goes to that interface through l2-output (the opaque slot then holds the tx {@code sw_if_index}); a hit
 * on the rx interface itself is dropped (the host is on the segment the frame came from). Broadcast and
 * multicast go to l2-flood when the domain floods, unknown unicast when it uu-floods; otherwise they are
 * dropped and counted. A hit between two members of one split-horizon group is dropped (as VPP's l2-output
 * does; l2-flood skips them likewise). A domain with forwarding off floods (or drops) everything, as VPP does when the
 * forward feature is off and the next feature is the flood.
 *
 * <p>Thread: any thread running the graph.
 */
public final class L2FwdNode extends Node
{
    public static final String NAME = "l2-fwd";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;
    static final int NEXT_FLOOD = 2;
    public static final int ERROR_PACKETS = 0;
    public static final int ERROR_HIT = 1;
    public static final int ERROR_FLOOD = 2;
    public static final int ERROR_UU_FLOOD = 3;
    public static final int ERROR_UU_DROP = 4;
    public static final int ERROR_FLOOD_DROP = 5;
    public static final int ERROR_REFLECT = 6;
    public static final int ERROR_SHG = 7;
    public static final List<String> ERRORS = List.of("L2 forward packets", "L2 forward hits",
        "L2 broadcast/multicast flooded", "L2 unknown unicast flooded", "L2 unknown unicast, uu-flood disabled",
        "L2 broadcast/multicast, flooding disabled", "L2 destination on the rx interface",
        "L2 split-horizon drops");

    private final BridgeDomains bds;
    private final L2Fib fib;
    private final int[] nexts = new int[Frame.SIZE];

    private L2FwdNode(final BridgeDomains bds)
    {
        this.bds = bds;
        this.fib = bds.fib();
    }

    public static NodeRegistration registration(final BridgeDomains bds)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", L2OutputNode.NAME, L2FloodNode.NAME), ERRORS,
            () -> new L2FwdNode(bds));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] flags = bds.flags();
        final int[] shg = bds.anyShg() ? bds.shgBySwIf() : null;
        final int[] start = bStart;
        final int[] rx = bRxIf;
        final int[] opaque = bOpaque;
        final int[] error = pool.error;
        final int base = errorBase;
        long hits = 0;
        long flooded = 0;
        long cachedKey = 0;
        int cachedSlot = -1;
        long uuFlooded = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int bd = opaque[bi];
            final int f = flags[bd];
            final long dst = EthernetFlyweight.dst(mem, start[bi]);
            // Broadcast/multicast, or a domain that does not forward: flooded (or dropped) below.
            final boolean floodClass = MacAddress.isMulticast(dst) || (f & BridgeDomains.FLAG_FORWARD) == 0;
            final int slot;
            if (floodClass)
            {
                slot = -1;
            }
            else
            {
                // VPP's cached_key/cached_result: a burst to one host looks the table up once.
                final long key = L2Fib.key(bd, dst);
                if (key != cachedKey)
                {
                    cachedKey = key;
                    cachedSlot = fib.find(key);
                }
                slot = cachedSlot;
            }
            if (slot >= 0)
            {
                final int tx = fib.swIfIndex(slot);
                if (tx == rx[bi])
                {
                    error[bi] = base + ERROR_REFLECT;
                    nexts[i] = NEXT_DROP;
                }
                else if (shg != null && sameGroup(shg, rx[bi], tx))
                {
                    error[bi] = base + ERROR_SHG;
                    nexts[i] = NEXT_DROP;
                }
                else
                {
                    opaque[bi] = tx;
                    nexts[i] = NEXT_OUTPUT;
                    hits++;
                }
            }
            else if (floodClass)
            {
                if ((f & BridgeDomains.FLAG_FLOOD) != 0)
                {
                    nexts[i] = NEXT_FLOOD;
                    flooded++;
                }
                else
                {
                    error[bi] = base + ERROR_FLOOD_DROP;
                    nexts[i] = NEXT_DROP;
                }
            }
            else if ((f & BridgeDomains.FLAG_UU_FLOOD) != 0)
            {
                nexts[i] = NEXT_FLOOD;
                uuFlooded++;
            }
            else
            {
                error[bi] = base + ERROR_UU_DROP;
                nexts[i] = NEXT_DROP;
            }
        }
        count(ERROR_PACKETS, n);
        count(ERROR_HIT, hits);
        count(ERROR_FLOOD, flooded);
        count(ERROR_UU_FLOOD, uuFlooded);
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    /** Both in one split-horizon group: VPP's l2-output drops those, known unicast included. */
    private static boolean sameGroup(final int[] shg, final int in, final int out)
    {
        return in >= 0 && in < shg.length && out < shg.length && shg[in] != 0 && shg[in] == shg[out];
    }
}
