package jvpp.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code show vlib graph}'s output read back from VPP's three 26-column fields (Name, Next, Previous), for tests that
 * follow a packet's path through a booted instance, in-process or over the CLI socket.
 */
public final class VlibGraph
{
    /** The width of each of VPP's columns. */
    public static final int COLUMN = 26;

    /** One node's block: its next nodes as printed ({@code ip4-lookup [1]}) and the nodes that lead to it. */
    public record Block(List<String> next, List<String> previous)
    {
        /** The arc index printed for {@code node} among the next nodes, or -1 when it is not one of them. */
        public int arcTo(final String node)
        {
            for (final String n : next)
            {
                if (n.startsWith(node + " [") && n.endsWith("]"))
                {
                    return Integer.parseInt(n.substring(node.length() + 2, n.length() - 1));
                }
            }
            return -1;
        }
    }

    private final Map<String, Block> blocks;

    private VlibGraph(final Map<String, Block> blocks)
    {
        this.blocks = blocks;
    }

    /** Read {@code out}, the whole output of {@code show vlib graph} (header line first). */
    public static VlibGraph parse(final String out)
    {
        final Map<String, Block> blocks = new LinkedHashMap<>();
        Block current = null;
        final String[] lines = out.split("\n");
        for (int l = 1; l < lines.length; l++)
        {
            final String line = lines[l];
            if (line.isEmpty())
            {
                continue;
            }
            if (line.charAt(0) != ' ')
            {
                current = new Block(new ArrayList<>(), new ArrayList<>());
                blocks.put(column(line, 0), current);
            }
            else if (current == null)
            {
                throw new AssertionError("a continuation line before any node: `" + line + "'");
            }
            final String next = column(line, 1);
            final String previous = column(line, 2);
            if (!next.isEmpty())
            {
                current.next().add(next);
            }
            if (!previous.isEmpty())
            {
                current.previous().add(previous);
            }
        }
        return new VlibGraph(blocks);
    }

    /** The block of {@code node}; fails when the output has none. */
    public Block node(final String node)
    {
        final Block b = blocks.get(node);
        if (b == null)
        {
            throw new AssertionError("no node `" + node + "' in show vlib graph; nodes: " + blocks.keySet());
        }
        return b;
    }

    /**
     * Fails unless each node of {@code path} has the next one among its next nodes and the next one names it among
     * its previous nodes; returns the arc index of each step.
     */
    public int[] assertPath(final String... path)
    {
        final int[] arcs = new int[path.length - 1];
        for (int i = 0; i + 1 < path.length; i++)
        {
            arcs[i] = node(path[i]).arcTo(path[i + 1]);
            if (arcs[i] < 0)
            {
                throw new AssertionError(path[i] + " has no arc to " + path[i + 1] + ": " + node(path[i]));
            }
            if (!node(path[i + 1]).previous().contains(path[i]))
            {
                throw new AssertionError(path[i + 1] + " does not list " + path[i] + " as previous: " + node(path[i + 1]));
            }
        }
        return arcs;
    }

    private static String column(final String line, final int i)
    {
        final int from = i * COLUMN;
        return from >= line.length() ? "" : line.substring(from, Math.min(line.length(), from + COLUMN)).strip();
    }
}
