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
    public static final List<String> ERRORS = List.of("L2 input packets", "frame shorter than an Ethernet header",
        "interface not in a bridge domain");

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
                opaque[bi] = bd;
                nexts[i] = (flags[bd] & BridgeDomains.FLAG_LEARN) != 0 ? NEXT_LEARN : NEXT_FWD;
            }
        }
        count(ERROR_PACKETS, n);
        enqueueToNext(bufs, nexts, n);
        return n;
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
