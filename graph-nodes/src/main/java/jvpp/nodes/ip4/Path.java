package jvpp.nodes.ip4;

import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.Ip4;

/**
 * One way to reach a prefix (VPP's fib_path_t).
 *
 * @param kind     how: via a neighbor on an interface, attached (glean), recursive, receive, drop
 * @param swIfIndex the interface, or -1
 * @param nextHop  the next hop's address, or 0
 */
public record Path(Kind kind, int swIfIndex, int nextHop)
{
    /** Path kinds. */
    public enum Kind
    {
        /** {@code via <nh> <if>}: a neighbor on an interface. */
        ATTACHED_NEXTHOP,
        /** {@code via <if>} or a connected subnet: every destination is a neighbor (glean). */
        ATTACHED,
        /** {@code via <nh>}: resolved through the FIB entry that covers the next hop. */
        RECURSIVE,
        /** One of our own addresses. */
        RECEIVE,
        /** {@code drop}. */
        DROP
    }

    public static Path drop()
    {
        return new Path(Kind.DROP, -1, 0);
    }

    public String describe(final InterfaceTable interfaces)
    {
        switch (kind)
        {
            case ATTACHED_NEXTHOP:
                return "via " + Ip4.format(nextHop) + " " + interfaces.name(swIfIndex);
            case ATTACHED:
                return "attached " + interfaces.name(swIfIndex);
            case RECURSIVE:
                return "via " + Ip4.format(nextHop) + " (recursive)";
            case RECEIVE:
                return "receive " + Ip4.format(nextHop) + " " + interfaces.name(swIfIndex);
            default:
                return "drop";
        }
    }
}
