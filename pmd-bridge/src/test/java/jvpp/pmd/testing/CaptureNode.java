package jvpp.pmd.testing;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;

/**
 * A stand-in for graph-nodes' {@code ethernet-input} (not on pmd-bridge's class path): records what reaches it
 * (receive interface, length, EtherType, trace number) and frees the buffers.
 */
public final class CaptureNode extends Node
{
    /** What one captured packet looked like. */
    public record Packet(int rxIf, int length, int etherType, int trace)
    {
    }

    private final List<Packet> packets;
    private final boolean record;

    private CaptureNode(final List<Packet> packets, final boolean record)
    {
        this.packets = packets;
        this.record = record;
    }

    /** Capture what reaches node {@code name}: register a recording node of that name; returns what it records. */
    public static List<Packet> capture(final Jvpp vpp, final String name)
    {
        final List<Packet> packets = new ArrayList<>();
        vpp.graph().register(NodeRegistration.internal(name, List.of("error-drop"), List.of(),
            () -> new CaptureNode(packets, true)));
        vpp.syncThreads();
        return packets;
    }

    /** Register {@code name} as a sink that only frees (for allocation tests). */
    public static void registerSink(final Jvpp vpp, final String name)
    {
        vpp.graph().register(NodeRegistration.internal(name, List.of("error-drop"), List.of(),
            () -> new CaptureNode(null, false)));
        vpp.syncThreads();
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        for (int i = 0; i < n; i++)
        {
            final int bi = frame.bufs[i];
            if (record)
            {
                final int type = bLength[bi] >= 14 ? Short.toUnsignedInt(Short.reverseBytes(mem.getShort(bStart[bi] + 12))) : -1;
                packets.add(new Packet(bRxIf[bi], bLength[bi], type, pool.trace[bi]));
            }
            buffers.free(bi);
        }
        return n;
    }
}
