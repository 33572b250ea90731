package jvpp.pmd;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.pcap.PcapCapture;

/**
 * {@code <interface>-tx}: hands a frame to its port's transmit queue in one burst. What the port does not
 * take is dropped and counted as a tx error. Interface tx counters are counted by interface-output; this
 * node counts only failures.
 *
 * <p>Thread: with at least as many tx queues as threads, thread t sends on queue t; otherwise worker k sends on
 * queue k-1 and every other thread hands its frames to the owning worker over the handoff rings (no locks). The port is read from a
 * {@link PortSlot} on every frame, so an interface deleted and created again reuses its node.
 */
public final class PortTxNode extends Node
{
    public static final int ERROR_TX_FULL = 0;
    public static final int ERROR_NO_QUEUE = 1;
    public static final int ERROR_HANDOFF_FULL = 2;
    public static final List<String> ERRORS = List.of("tx ring full", "no tx queue", "tx handoff queue full");

    private final PortSlot slot;
    private jvpp.core.graph.HandoffRings rings;
    private final org.agrona.concurrent.UnsafeBuffer scratch = new org.agrona.concurrent.UnsafeBuffer(
        java.nio.ByteBuffer.allocateDirect(jvpp.core.graph.HandoffRings.SCRATCH_BYTES));

    public PortTxNode(final PortSlot slot)
    {
        this.slot = slot;
    }

    /** The handoff rings of this node's instance: set by {@link Ports} when it registers the node. */
    void rings(final jvpp.core.graph.HandoffRings rings)
    {
        this.rings = rings;
    }

    /** The node registration for the interface in {@code slot}. */
    public static NodeRegistration registration(final String ifName, final PortSlot slot)
    {
        return NodeRegistration.internal(ifName + "-tx", List.of("error-drop"), ERRORS, () -> new PortTxNode(slot));
    }

    /** Registration whose instances hand frames over {@code rings} when their thread has no tx queue. */
    public static NodeRegistration registration(final String ifName, final PortSlot slot,
        final jvpp.core.graph.HandoffRings rings)
    {
        return NodeRegistration.internal(ifName + "-tx", List.of("error-drop"), ERRORS, () -> {
            final PortTxNode node = new PortTxNode(slot);
            node.rings(rings);
            return node;
        });
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
        pcap(PcapCapture.TX, slot.swIfIndex, bufs, 0, n);
        final int threads = dispatcher().threads();
        final int me = dispatcher().threadIndex();
        final int sent;
        if (queues >= threads)
        {
            sent = port.txBurst(me, buffers, bufs, 0, n);
        }
        else if (me >= 1 && me <= queues)
        {
            // A worker that owns a tx queue (worker k owns queue k-1) sends on it.
            sent = port.txBurst(me - 1, buffers, bufs, 0, n);
        }
        else
        {
            // Fewer tx queues than threads, and none is ours: hand the frame's buffer indices to the worker that
            // owns queue (me % queues) over an Agrona ring; it sends them from its own handoff-input.
            final int owner = 1 + me % queues;
            if (dispatcher().threads() > 1 && rings != null
                && rings.send(me, owner, slot.handoffArc, bufs, 0, n, scratch))
            {
                return n;
            }
            for (int i = 0; i < n; i++)
            {
                drop(bufs[i], ERROR_HANDOFF_FULL);
            }
            return n;
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
