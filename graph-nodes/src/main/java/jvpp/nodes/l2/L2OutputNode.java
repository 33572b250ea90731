package jvpp.nodes.l2;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.output.InterfaceOutputNode;

/**
 * {@code l2-output}: sets each buffer's transmit interface from the opaque slot (where l2-fwd and l2-flood
 * left it) and hands the frames, Ethernet header and all, to interface-output.
 *
 * <p>Thread: any thread running the graph.
 */
public final class L2OutputNode extends Node
{
    public static final String NAME = "l2-output";
    static final int NEXT_OUTPUT = 1;
    public static final int ERROR_PACKETS = 0;
    public static final List<String> ERRORS = List.of("L2 output packets");

    private L2OutputNode()
    {
    }

    public static NodeRegistration registration()
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", InterfaceOutputNode.NAME), ERRORS,
            L2OutputNode::new);
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] opaque = bOpaque;
        final int[] tx = bTxIf;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            tx[bi] = opaque[bi];
        }
        count(ERROR_PACKETS, n);
        enqueue(NEXT_OUTPUT, bufs, 0, n);
        return n;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        out.append("  l2-output: sw_if_index ").append(record.txIf()).append('\n');
        record.hexdump(out, 32);
    }
}
