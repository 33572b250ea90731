package jvpp.nodes.ethernet;

import java.util.List;

import jvpp.core.buffer.BufferArena;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.output.InterfaceOutputNode;

/**
 * {@code vlan-tag-push}: the transmit node of every VLAN sub-interface. Pushes the sub-interface's tag after
 * the MAC addresses (into the buffer's headroom) and hands the frame back to interface-output on the parent,
 * which counts it there too and sends it on the parent's own tx node.
 *
 * <p>Thread: any thread running the graph.
 */
public final class VlanTagPushNode extends Node
{
    public static final String NAME = "vlan-tag-push";
    private static final int NEXT_DROP = 0;
    private static final int NEXT_OUTPUT = 1;
    public static final int ERROR_NOT_SUB = 0;
    public static final int ERROR_NO_HEADROOM = 1;
    public static final List<String> ERRORS = List.of("not a sub-interface", "no headroom for the VLAN tag");
    private static final int MACS = 12;

    private final SubInterfaces subs;
    private final int[] nexts = new int[Frame.SIZE];

    private VlanTagPushNode(final SubInterfaces subs)
    {
        this.subs = subs;
    }

    static NodeRegistration registration(final SubInterfaces subs)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", InterfaceOutputNode.NAME), ERRORS,
            () -> new VlanTagPushNode(subs));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] tags = subs.tagBySw();
        final Interface[] bySw = subs.subBySw();
        final int[] start = bStart;
        final int[] length = bLength;
        final int[] tx = bTxIf;
        final BufferArena arena = pool.arena();
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int sw = tx[bi];
            final int at = start[bi];
            final Interface sub = sw >= 0 && sw < bySw.length && sw < tags.length ? bySw[sw] : null;
            if (sub == null)
            {
                pool.error[bi] = errorBase + ERROR_NOT_SUB;
                nexts[i] = NEXT_DROP;
                continue;
            }
            if (at - EthernetFlyweight.VLAN_TAG_LENGTH < arena.slotOffset(bi) + BufferArena.PRE_DATA_SIZE
                || length[bi] < MACS)
            {
                pool.error[bi] = errorBase + ERROR_NO_HEADROOM;
                nexts[i] = NEXT_DROP;
                continue;
            }
            final int to = at - EthernetFlyweight.VLAN_TAG_LENGTH;
            EthernetFlyweight.moveAddresses(mem, at, to);
            EthernetFlyweight.putVlanTag(mem, to, tags[sw]);
            start[bi] = to;
            length[bi] += EthernetFlyweight.VLAN_TAG_LENGTH;
            tx[bi] = sub.sup().swIfIndex();
            nexts[i] = NEXT_OUTPUT;
        }
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        final int sw = record.txIf();
        final int[] tags = subs.tagBySw();
        final Interface[] bySw = subs.subBySw();
        if (sw >= 0 && sw < tags.length && bySw[sw] != null)
        {
            out.append("  ").append(bySw[sw].name()).append(": push ")
                .append((tags[sw] >>> 16) == EthernetFlyweight.TYPE_DOT1AD ? "dot1ad" : "dot1q").append(" vlan ")
                .append(tags[sw] & 0xfff).append(", out ").append(bySw[sw].sup().name()).append('\n');
        }
        record.hexdump(out, 32);
    }
}
