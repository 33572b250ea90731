package jvpp.pmd;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.InterfaceCounters;

/**
 * {@code <interface>-tx}: hands a frame to its port's transmit queue in one burst. What the port does not
 * take is dropped and counted as a tx error. Interface tx counters are counted by interface-output; this
 * node counts only failures.
 *
 * <p>Thread: the thread it runs on uses tx queue {@code threadIndex % txQueues}. The port is read from a
 * {@link PortSlot} on every frame, so an interface deleted and created again reuses its node.
 */
public final class PortTxNode extends Node
{
    public static final int ERROR_TX_FULL = 0;
    public static final int ERROR_NO_QUEUE = 1;
    public static final List<String> ERRORS = List.of("tx ring full", "no tx queue");

    private final PortSlot slot;

    public PortTxNode(final PortSlot slot)
    {
        this.slot = slot;
    }

    /** The node registration for the interface in {@code slot}. */
    public static NodeRegistration registration(final String ifName, final PortSlot slot)
    {
        return NodeRegistration.internal(ifName + "-tx", List.of("error-drop"), ERRORS, () -> new PortTxNode(slot));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final Port port = slot.port;
        final int queues = port == null ? 0 : port.txQueues();
        if (queues == 0)
        {
            for (int i = 0; i < n; i++)
            {
                drop(bufs[i], ERROR_NO_QUEUE);
            }
            return n;
        }
        final int queue = dispatcher().threadIndex() % queues;
        final int sent;
        if (queues >= dispatcher().threads())
        {
            sent = port.txBurst(queue, buffers, bufs, 0, n);
        }
        else
        {
            // More threads than tx queues: threads share a queue, and rings are single-producer. A lock per
            // burst keeps it correct; a handoff to the owning thread over an Agrona ring would avoid it.
            synchronized (port)
            {
                sent = port.txBurst(queue, buffers, bufs, 0, n);
            }
        }
        if (sent < n)
        {
            ifCounters().add(slot.swIfIndex, InterfaceCounters.TX_ERROR, n - sent);
            for (int i = sent; i < n; i++)
            {
                drop(bufs[i], ERROR_TX_FULL);
            }
        }
        return n;
    }
}
