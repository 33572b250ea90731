package jvpp.nodes.l2;

import java.util.List;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.output.InterfaceOutputNode;

/**
 * {@code l2-output}: sets each buffer's transmit interface from the opaque slot (where l2-fwd and l2-flood
 * left it) and hands the frames, Ethernet header and all, to interface-output. Frames for the domain's BVI
 * instead go to ethernet-input as received on the BVI, marked {@code FLAG_L2_TO_BVI} so they take the L3
 * path there (VPP's l2_to_bvi); what the BVI routes out comes back through its loopback tx into the bridge.
 *
 * <p>Thread: any thread running the graph.
 */
public final class L2OutputNode extends Node
{
    public static final String NAME = "l2-output";
    static final int NEXT_OUTPUT = 1;
    /** To the BVI: routed, as if received on it (VPP's l2_to_bvi). */
    static final int NEXT_BVI = 2;
    public static final int ERROR_PACKETS = 0;
    public static final List<String> ERRORS = List.of("L2 output packets");

    private final BridgeDomains bds;
    private final int[] nexts = new int[Frame.SIZE];

    private L2OutputNode(final BridgeDomains bds)
    {
        this.bds = bds;
    }

    public static NodeRegistration registration(final BridgeDomains bds)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", InterfaceOutputNode.NAME, "ethernet-input"),
            ERRORS, () -> new L2OutputNode(bds));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] opaque = bOpaque;
        final int[] tx = bTxIf;
        final boolean[] bvi = bds.bviBySwIf();
        boolean anyBvi = false;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int sw = opaque[bi];
            if (sw < bvi.length && bvi[sw])
            {
                bRxIf[bi] = sw;
                bFlags[bi] |= BufferPool.FLAG_L2_TO_BVI;
                nexts[i] = NEXT_BVI;
                anyBvi = true;
            }
            else
            {
                tx[bi] = sw;
                nexts[i] = NEXT_OUTPUT;
            }
        }
        count(ERROR_PACKETS, n);
        if (anyBvi)
        {
            enqueueToNext(bufs, nexts, n);
        }
        else
        {
            enqueue(NEXT_OUTPUT, bufs, 0, n);
        }
        return n;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        out.append("  l2-output: sw_if_index ").append(record.txIf()).append('\n');
        record.hexdump(out, 32);
    }
}
