package jvpp.core.iface;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.cli.CliOutput;
import jvpp.core.graph.Dispatcher;
import jvpp.core.net.MacAddress;

/**
 * {@code show interface [<if> ...]} (counters summed over the threads), {@code show hardware-interfaces
 * [brief|verbose] [<if> ...]} (link state and what the driver describes) and {@code set interface state <if>
 * {up|down}}, in vppctl's formats.
 *
 * <p>Thread: main.
 */
public final class InterfaceCommands
{
    private InterfaceCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        final InterfaceTable ifs = vpp.interfaces();
        vpp.cli().register("show interface", "Show interfaces and their counters", "show interface [<interface> ...]",
            in -> {
                final List<Interface> which = parseInterfaces(ifs, in);
                return out -> showInterface(vpp, out, which);
            });
        vpp.cli().register("show hardware-interfaces", "Show interface hardware details",
            "show hardware-interfaces [brief|verbose] [<interface> ...]", in -> {
                final boolean brief = in.accept("brief");
                final boolean verbose = !brief && in.accept("verbose");
                final boolean all = in.atEnd();
                final List<Interface> which = parseInterfaces(ifs, in);
                // As VPP: sub-interfaces have no hardware of their own; they show when named.
                if (all)
                {
                    which.removeIf(Interface::isSub);
                }
                return out -> showHardware(out, which, brief, verbose);
            });
        vpp.cli().register("set interface state", "Set an interface up or down",
            "set interface state <interface> {up|down}", in -> {
                final Interface ifc = ifs.parse(in);
                final boolean up;
                if (in.accept("up"))
                {
                    up = true;
                }
                else if (in.accept("down"))
                {
                    up = false;
                }
                else
                {
                    throw in.unknown();
                }
                return out -> ifs.setAdminState(ifc, up);
            });
    }

    private static List<Interface> parseInterfaces(final InterfaceTable ifs, final CliInput in) throws CliException
    {
        final List<Interface> which = new ArrayList<>();
        while (!in.atEnd())
        {
            final Interface ifc = ifs.get(in.peek());
            if (ifc == null)
            {
                throw in.unknown();
            }
            in.next("interface");
            which.add(ifc);
        }
        return which.isEmpty() ? new ArrayList<>(ifs.all()) : which;
    }

    private static void showInterface(final Jvpp vpp, final CliOutput out, final List<Interface> which)
    {
        out.printf("%-32s%5s%10s  %-21s%-16s%16s%n", "              Name", "Idx", "State", "MTU (L3/IP4/IP6/MPLS)",
            "    Counter", "Count");
        for (final Interface ifc : which)
        {
            final int[] m = ifc.mtu();
            final String mtu = m[0] + "/" + m[1] + "/" + m[2] + "/" + m[3];
            final String first = String.format("%-32s%5d%10s  %-21s", ifc.name(), ifc.swIfIndex(),
                ifc.adminUp() ? "up" : "down", CliOutput.centre(mtu, 21));
            final String pad = " ".repeat(first.length());
            boolean printed = false;
            for (int c = 0; c < InterfaceCounters.STRIDE; c++)
            {
                long sum = 0;
                for (final Dispatcher d : vpp.dispatchers())
                {
                    sum += d.interfaceCounters().get(ifc.swIfIndex(), c);
                }
                if (sum != 0)
                {
                    out.printf("%s%-16s%16d%n", printed ? pad : first, InterfaceCounters.NAMES[c], sum);
                    printed = true;
                }
            }
            if (!printed)
            {
                out.println(first.stripTrailing());
            }
        }
    }

    private static void showHardware(final CliOutput out, final List<Interface> which, final boolean brief,
        final boolean verbose)
    {
        out.printf("%-32s%5s%7s  %s%n", "              Name", "Idx", "Link", "Hardware");
        for (final Interface ifc : which)
        {
            out.printf("%-32s%5d%7s  %s%n", ifc.name(), ifc.swIfIndex(), ifc.linkUp() && ifc.adminUp() ? "up" : "down",
                ifc.name());
            if (brief)
            {
                continue;
            }
            if (!ifc.linkUp() && !ifc.linkDownReason().isEmpty())
            {
                out.println("  Link down: " + ifc.linkDownReason());
            }
            if (ifc.linkDownEvents() > 0)
            {
                out.println("  Link down events: " + ifc.linkDownEvents());
            }
            out.println("  Link speed: unknown");
            if (ifc.mac() != 0)
            {
                out.println("  Ethernet address " + MacAddress.format(ifc.mac()));
            }
            out.println("  " + ifc.driver().driverName());
            final StringBuilder sb = new StringBuilder();
            ifc.driver().describe(ifc, sb, verbose);
            if (sb.length() > 0)
            {
                out.print(sb.charAt(sb.length() - 1) == '\n' ? sb : sb.append('\n'));
            }
        }
    }
}
