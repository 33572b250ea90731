package jvpp.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node graph as the control plane knows it: node registrations, their arcs by name, and the global
 * table of error reasons. Every thread that runs the graph has a {@link Dispatcher} built from this.
 *
 * <p>Arcs can be added after boot ({@link #addNext}: an interface's tx node, a packet-generator stream's
 * target); arc indices never change once given out, so a node can cache them.
 *
 * <p>Error index 0 is reserved for a buffer dropped without a reason.
 *
 * <p>Thread: main only. Changes reach the dispatchers through {@link Dispatcher#sync()}, which the
 * owner of each thread runs while that thread is stopped at a barrier (or is the main thread itself).
 */
public final class Graph
{
    public static final int NO_ERROR = 0;

    private final List<NodeRegistration> registrations = new ArrayList<>();
    private final List<List<String>> nexts = new ArrayList<>();
    private final List<Integer> errorBases = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final List<String> errorNodes = new ArrayList<>();
    private final List<String> errorReasons = new ArrayList<>();
    private final jvpp.core.pcap.PcapCapture pcap =
        new jvpp.core.pcap.PcapCapture(e -> errorNode(e) + ": " + errorReason(e));
    private int version;

    public Graph()
    {
        errorNodes.add("error-drop");
        errorReasons.add("no reason given");
    }

    /** The {@code pcap trace} capture every dispatcher of this graph hands packets to. */
    public jvpp.core.pcap.PcapCapture pcap()
    {
        return pcap;
    }

    /** Register a node; returns its index. */
    public int register(final NodeRegistration registration)
    {
        if (byName.containsKey(registration.name()))
        {
            throw new IllegalArgumentException("node `" + registration.name() + "' is already registered");
        }
        final int index = registrations.size();
        registrations.add(registration);
        nexts.add(new ArrayList<>(registration.nexts()));
        errorBases.add(errorNodes.size());
        for (final String reason : registration.errors())
        {
            errorNodes.add(registration.name());
            errorReasons.add(reason);
        }
        byName.put(registration.name(), index);
        version++;
        return index;
    }

    /**
     * Add an arc from {@code node} to {@code next} (VPP's vlib_node_add_next); returns the arc index,
     * the existing one when the arc is already there.
     */
    public int addNext(final String node, final String next)
    {
        final int i = indexOrThrow(node);
        final List<String> arcs = nexts.get(i);
        final int existing = arcs.indexOf(next);
        if (existing >= 0)
        {
            return existing;
        }
        if (!byName.containsKey(next))
        {
            throw new IllegalArgumentException("no such node `" + next + "'");
        }
        arcs.add(next);
        version++;
        return arcs.size() - 1;
    }

    public int index(final String name)
    {
        final Integer i = byName.get(name);
        return i == null ? -1 : i;
    }

    public int indexOrThrow(final String name)
    {
        final Integer i = byName.get(name);
        if (i == null)
        {
            throw new IllegalArgumentException("no such node `" + name + "'");
        }
        return i;
    }

    public int size()
    {
        return registrations.size();
    }

    public NodeRegistration registration(final int index)
    {
        return registrations.get(index);
    }

    public String name(final int index)
    {
        return registrations.get(index).name();
    }

    public List<String> nexts(final int index)
    {
        return Collections.unmodifiableList(nexts.get(index));
    }

    /**
     * The nodes with an arc to node {@code index}, by ascending index (VPP's {@code prev_node_bitmap}); arcs added
     * after boot count as soon as {@link #addNext} returns.
     */
    public int[] previous(final int index)
    {
        final String name = name(index);
        int n = 0;
        final int[] prev = new int[registrations.size()];
        for (int i = 0; i < prev.length; i++)
        {
            if (nexts.get(i).contains(name))
            {
                prev[n++] = i;
            }
        }
        return Arrays.copyOf(prev, n);
    }

    /** The global error index of the node's local error code 0. */
    public int errorBase(final int index)
    {
        return errorBases.get(index);
    }

    /** The global error index of {@code reason} of {@code node}. */
    public int errorIndex(final String node, final String reason)
    {
        final int i = indexOrThrow(node);
        final int local = registrations.get(i).errors().indexOf(reason);
        if (local < 0)
        {
            throw new IllegalArgumentException("node `" + node + "' has no error `" + reason + "'");
        }
        return errorBases.get(i) + local;
    }

    public int errorCount()
    {
        return errorNodes.size();
    }

    public String errorNode(final int error)
    {
        return errorNodes.get(error);
    }

    public String errorReason(final int error)
    {
        return errorReasons.get(error);
    }

    /** Bumped on every change; dispatchers compare it to know when to resync. */
    public int version()
    {
        return version;
    }
}
