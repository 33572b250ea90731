package jvpp.nodes.ethernet;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.iface.Interface;
import jvpp.core.net.EthernetFlyweight;

/**
 * {@code create sub-interfaces} and {@code delete sub-interface}, with vppctl's syntax for one tag:
 * {@code <id>} alone is {@code dot1q <id> exact-match}, as in VPP.
 *
 * <p>Thread: main.
 */
final class SubInterfaceCommands
{
    private SubInterfaceCommands()
    {
    }

    static void register(final Jvpp vpp, final SubInterfaces subs)
    {
        vpp.cli().register("create sub-interfaces", "Create a VLAN sub-interface <interface>.<id>",
            "create sub-interfaces <interface> <id> [dot1q|dot1ad <vlan-id>] [exact-match]", in -> {
                final Interface sup = vpp.interfaces().parse(in);
                final long id = in.nextLong("sub-interface id", 0, Integer.MAX_VALUE);
                final int tpid = in.accept("dot1ad") ? EthernetFlyweight.TYPE_DOT1AD
                    : in.accept("dot1q") ? EthernetFlyweight.TYPE_VLAN : 0;
                final int vlan;
                boolean exact = false;
                if (tpid != 0)
                {
                    vlan = in.nextInt("vlan id", 0, SubInterfaces.MAX_VLAN);
                    exact = in.accept("exact-match");
                }
                else if (in.atEnd())
                {
                    if (id > SubInterfaces.MAX_VLAN)
                    {
                        throw new CliException("sub-interface id " + id + " is not a VLAN id (0-4095): name the "
                            + "tag with dot1q <vlan-id>");
                    }
                    vlan = (int)id;
                    exact = true;
                }
                else
                {
                    final String word = in.peek();
                    if ("inner-dot1q".equals(word) || "default".equals(word) || "untagged".equals(word)
                        || word.contains("-"))
                    {
                        throw new CliException("`" + word + "': not supported (sub-interfaces of one tag only)");
                    }
                    throw in.unknown();
                }
                if (!in.atEnd())
                {
                    final String word = in.peek();
                    if ("inner-dot1q".equals(word))
                    {
                        throw new CliException("`" + word + "': not supported (sub-interfaces of one tag only)");
                    }
                    throw in.unknown();
                }
                final int t = tpid == 0 ? EthernetFlyweight.TYPE_VLAN : tpid;
                subs.check(sup, (int)id, t, vlan);
                final boolean e = exact;
                return out -> out.println(subs.create(sup, (int)id, t, vlan, e).name());
            });

        vpp.cli().register("delete sub-interface", "Delete a VLAN sub-interface",
            "delete sub-interface <interface>", in -> {
                final Interface sub = vpp.interfaces().parse(in);
                if (!sub.isSub())
                {
                    throw new CliException(sub.name() + " is not a sub-interface");
                }
                return out -> vpp.interfaces().delete(sub);
            });
    }
}
