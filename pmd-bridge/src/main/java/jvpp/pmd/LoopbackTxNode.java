package jvpp.pmd;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.InterfaceCounters;

/**
 * {@code loopN-tx}: what a loopback transmits it receives, as VPP's loopback does: the frame goes to
 * ethernet-input with the loopback as its receive interface.
 *
 * <p>Thread: any thread running the graph.
 */
public final class LoopbackTxNode extends Node
{
    private static final int NEXT_ETHERNET_INPUT = 1;

    private final PortSlot slot;

    public LoopbackTxNode(final PortSlot slot)
    {
        this.slot = slot;
    }

    public static NodeRegistration registration(final String ifName, final PortSlot slot)
    {
        return NodeRegistration.internal(ifName + "-tx", List.of("error-drop", "ethernet-input"), List.of(),
            () -> new LoopbackTxNode(slot));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int sw = slot.swIfIndex;
        long bytes = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            bRxIf[bi] = sw;
            bytes += totalLength(bi);
        }
        ifCounters().addPackets(sw, InterfaceCounters.RX_PACKETS, n, bytes);
        enqueue(NEXT_ETHERNET_INPUT, bufs, 0, n);
        return n;
    }
}
