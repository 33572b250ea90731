package jvpp.nodes.handoff;

import java.nio.ByteBuffer;
import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4Flyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code worker-handoff}: spreads frames from a port with a single rx queue over the workers by flow hash
 * (IPv4 source, destination, protocol and ports; other frames by their MACs), so one flow stays in order on
 * one worker. Packets for this thread go on to ethernet-input; the others cross to their worker as one ring
 * message of buffer indices per frame; a full ring drops and counts.
 *
 * <p>Thread: any graph thread; it writes only the rings it is the producer of.
 */
public final class HandoffNode extends Node
{
    public static final String NAME = "worker-handoff";
    static final int NEXT_DROP = 0;
    static final int NEXT_ETHERNET = 1;
    public static final int ERROR_FULL = 0;
    public static final int ERROR_HANDED = 1;
    public static final List<String> ERRORS = List.of("handoff queue full", "packets handed to another worker");
    private static final int IP4_HASHED = EthernetFlyweight.HEADER_LENGTH + Ip4Flyweight.FLOW_HASH_LENGTH;

    private final jvpp.core.graph.HandoffRings handoff;
    private int remoteArc = -1;
    private final int[][] staged;
    private final int[] stagedCount;
    private final UnsafeBuffer message = new UnsafeBuffer(
        ByteBuffer.allocateDirect(jvpp.core.graph.HandoffRings.SCRATCH_BYTES));
    private final int[] local = new int[Frame.SIZE];

    private HandoffNode(final jvpp.core.graph.HandoffRings handoff, final int remoteArc)
    {
        this.handoff = handoff;
        this.remoteArc = remoteArc;
        this.staged = new int[handoff.threads()][Frame.SIZE];
        this.stagedCount = new int[handoff.threads()];
    }

    /** Register the node, and handoff-input's arc to ethernet-input (what the other worker gives them to). */
    public static void register(final jvpp.core.Jvpp vpp)
    {
        final int arc = vpp.graph().addNext(jvpp.core.graph.HandoffInputNode.NAME, "ethernet-input");
        final jvpp.core.graph.HandoffRings rings = vpp.handoffRings();
        vpp.graph().register(NodeRegistration.internal(NAME, List.of("error-drop", "ethernet-input"), ERRORS,
            () -> new HandoffNode(rings, arc)));
    }

    /** The worker (thread index, 1..threads-1) for a flow hash; main when there are no workers. */
    static int workerFor(final int hash, final int threads)
    {
        return threads <= 1 ? 0 : 1 + (hash & 0x7fff_ffff) % (threads - 1);
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int me = dispatcher().threadIndex();
        final int threads = handoff.threads();
        int locals = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int to = workerFor(flowHash(bStart[bi], bLength[bi]), threads);
            if (to == me)
            {
                local[locals++] = bi;
            }
            else
            {
                staged[to][stagedCount[to]++] = bi;
            }
        }
        if (locals > 0)
        {
            enqueue(NEXT_ETHERNET, local, 0, locals);
        }
        for (int t = 0; t < threads; t++)
        {
            final int c = stagedCount[t];
            if (c == 0)
            {
                continue;
            }
            stagedCount[t] = 0;
            final int[] s = staged[t];
            if (handoff.send(me, t, remoteArc, s, 0, c, message))
            {
                count(ERROR_HANDED, c);
            }
            else
            {
                for (int i = 0; i < c; i++)
                {
                    drop(s[i], ERROR_FULL);
                }
            }
        }
        return n;
    }

    private int flowHash(final int at, final int len)
    {
        if (len >= IP4_HASHED && EthernetFlyweight.type(mem, at) == EthernetFlyweight.TYPE_IP4)
        {
            return Ip4Flyweight.flowHash(mem, at + EthernetFlyweight.HEADER_LENGTH);
        }
        if (len >= EthernetFlyweight.TYPE_OFFSET) // both MACs
        {
            return EthernetFlyweight.addressHash(mem, at);
        }
        return 0;
    }
}
