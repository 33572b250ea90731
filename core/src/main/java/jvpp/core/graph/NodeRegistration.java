package jvpp.core.graph;

import java.util.List;

/**
 * What a node is, declared next to its code (VPP's VLIB_REGISTER_NODE): its name, kind, the names of
 * its next nodes in arc order, its error reasons, and how to make a per-thread instance.
 *
 * @param name    the node's name as {@code show runtime} prints it
 * @param type    input or internal
 * @param nexts   next-node names; arc {@code i} leads to {@code nexts.get(i)}
 * @param errors  error reasons, indexed by the node's local error code
 * @param factory makes the node's instance for one thread
 */
public record NodeRegistration(String name, NodeType type, List<String> nexts, List<String> errors, NodeFactory factory)
{
    public NodeRegistration
    {
        nexts = List.copyOf(nexts);
        errors = List.copyOf(errors);
    }

    public static NodeRegistration internal(final String name, final List<String> nexts, final List<String> errors,
        final NodeFactory factory)
    {
        return new NodeRegistration(name, NodeType.INTERNAL, nexts, errors, factory);
    }

    public static NodeRegistration input(final String name, final List<String> nexts, final List<String> errors,
        final NodeFactory factory)
    {
        return new NodeRegistration(name, NodeType.INPUT, nexts, errors, factory);
    }
}
