package jvpp.nodes.ethernet;

import java.util.Arrays;

import jvpp.core.graph.Graph;

/**
 * Which node each EtherType goes to after ethernet-input (VPP's ethernet_register_input_type).
 * Protocol modules register here; an EtherType nobody registered is dropped as unknown.
 *
 * <p>Thread: registration on main; the data plane reads the published arrays.
 */
public final class EthernetTypes
{
    private final Graph graph;
    private volatile int[] types = new int[0];
    private volatile int[] arcs = new int[0];

    public EthernetTypes(final Graph graph)
    {
        this.graph = graph;
    }

    /** Send frames of {@code etherType} to {@code node}. */
    public synchronized void register(final int etherType, final String node)
    {
        final int arc = graph.addNext(EthernetInputNode.NAME, node);
        final int[] t = types;
        for (int i = 0; i < t.length; i++)
        {
            if (t[i] == etherType)
            {
                final int[] a = arcs.clone();
                a[i] = arc;
                arcs = a;
                return;
            }
        }
        final int[] a = Arrays.copyOf(arcs, t.length + 1);
        a[t.length] = arc;
        final int[] nt = Arrays.copyOf(t, t.length + 1);
        nt[t.length] = etherType;
        // Publish arcs before types, so a reader that sees the new type also sees its arc.
        arcs = a;
        types = nt;
    }

    int[] types()
    {
        return types;
    }

    int[] arcs()
    {
        return arcs;
    }
}
