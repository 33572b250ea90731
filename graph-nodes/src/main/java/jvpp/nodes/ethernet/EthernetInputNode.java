package jvpp.nodes.ethernet;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.MacAddress;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code ethernet-input}: parses the Ethernet header and hands the frame to the node registered for its
 * EtherType ({@link EthernetTypes}), with the buffer advanced past the header. Frames shorter than a
 * header, and EtherTypes nobody registered, are dropped under their own reasons.
 *
 * <p>Thread: any thread running the graph.
 */
public final class EthernetInputNode extends Node
{
    public static final String NAME = "ethernet-input";
    public static final int ERROR_UNKNOWN_TYPE = 0;
    public static final int ERROR_RUNT = 1;
    public static final List<String> ERRORS = List.of("unknown ethernet type", "frame shorter than an Ethernet header");

    private final EthernetTypes types;
    private final EthernetFlyweight eth = new EthernetFlyweight();

    private EthernetInputNode(final EthernetTypes types)
    {
        this.types = types;
    }

    public static NodeRegistration registration(final EthernetTypes types)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop"), ERRORS, () -> new EthernetInputNode(types));
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
        int lastType = -1;
        int lastArc = -1;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            if (length[bi] < EthernetFlyweight.HEADER_LENGTH)
            {
                drop(bi, ERROR_RUNT);
                continue;
            }
            final int type = eth.wrap(mem, start[bi]).type();
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
                drop(bi, ERROR_UNKNOWN_TYPE);
                continue;
            }
            start[bi] += EthernetFlyweight.HEADER_LENGTH;
            length[bi] -= EthernetFlyweight.HEADER_LENGTH;
            enqueue(lastArc, bi);
        }
        return n;
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
    }
}
