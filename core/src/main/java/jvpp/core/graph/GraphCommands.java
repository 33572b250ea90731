package jvpp.core.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliOutput;

/**
 * {@code show vlib graph [<node>]}: each node with its next nodes and their arc indices, and the nodes that lead to
 * it, as VPP's {@code format_vlib_node_graph} prints them: three 26-column fields (Name, Next, Previous), the name
 * left-aligned and the others centred, a value longer than its field cut to it; nodes sorted by name, a blank line
 * after each. It reads the control plane's {@link Graph}, so arcs added at run time ({@code interface-output}'s to
 * each interface's tx node, {@code handoff-input}'s) show as soon as they exist. Trailing blanks are not printed.
 *
 * <p>Thread: main.
 */
public final class GraphCommands
{
    /** The width of each of VPP's three columns. */
    static final int COLUMN = 26;

    private GraphCommands()
    {
    }

    /** Register the command in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        vpp.cli().register("show vlib graph", "Show packet processing node graph", "show vlib graph [<node>]", in -> {
            final Graph g = vpp.graph();
            final int node;
            if (in.atEnd())
            {
                node = -1;
            }
            else
            {
                final String name = in.next("node name");
                node = g.index(name);
                if (node < 0)
                {
                    throw new CliException("unknown node `" + name + "'");
                }
            }
            return out -> showGraph(g, node, out);
        });
    }

    private static void showGraph(final Graph g, final int node, final CliOutput out)
    {
        out.println((CliOutput.centreIn("Name", COLUMN) + CliOutput.centreIn("Next", COLUMN)
            + CliOutput.centreIn("Previous", COLUMN)).stripTrailing());
        if (node >= 0)
        {
            printNode(g, node, out);
            return;
        }
        final List<Integer> byName = new ArrayList<>();
        for (int i = 0; i < g.size(); i++)
        {
            byName.add(i);
        }
        byName.sort(Comparator.comparing(g::name));
        for (final int i : byName)
        {
            printNode(g, i, out);
            out.println();
        }
    }

    /** One node's rows: row k holds its k-th next node (with its arc index) and its k-th previous node. */
    private static void printNode(final Graph g, final int node, final CliOutput out)
    {
        final List<String> next = new ArrayList<>();
        final List<String> arcs = g.nexts(node);
        for (int slot = 0; slot < arcs.size(); slot++)
        {
            // As VPP skips an invalid next index: an arc to a node that is not registered (yet).
            if (g.index(arcs.get(slot)) >= 0)
            {
                next.add(arcs.get(slot) + " [" + slot + "]");
            }
        }
        final int[] previous = g.previous(node);
        final String name = g.name(node);
        final String first = name.length() >= COLUMN ? name.substring(0, COLUMN) : name + " ".repeat(COLUMN - name.length());
        final int rows = Math.max(1, Math.max(next.size(), previous.length));
        final StringBuilder line = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.setLength(0);
            line.append(r == 0 ? first : " ".repeat(COLUMN));
            line.append(r < next.size() ? CliOutput.centreIn(next.get(r), COLUMN) : " ".repeat(COLUMN));
            if (r < previous.length)
            {
                line.append(CliOutput.centreIn(g.name(previous[r]), COLUMN));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
