package jvpp.nodes.ip4;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.Ip4;
import jvpp.core.net.MacAddress;

/**
 * The IPv4 commands, with vppctl's syntax and texts: interface addresses, routes, the FIB, neighbors,
 * MTU. Each parses fully and checks before it changes anything.
 *
 * <p>Thread: main.
 */
public final class Ip4Commands
{
    private Ip4Commands()
    {
    }

    /** Parse {@code a.b.c.d/len}; vppctl's error otherwise. */
    static int[] prefix(final String text) throws CliException
    {
        final int slash = text.indexOf('/');
        try
        {
            if (slash < 0)
            {
                throw new IllegalArgumentException();
            }
            final int len = Integer.parseInt(text.substring(slash + 1));
            if (len < 0 || len > 32)
            {
                throw new IllegalArgumentException();
            }
            return new int[] {Ip4.parse(text.substring(0, slash)), len};
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException("expected IP4/IP6 address/length `" + text + "'");
        }
    }

    static int address(final String text) throws CliException
    {
        try
        {
            return Ip4.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException("expected IP4 address `" + text + "'");
        }
    }

    public static void register(final Jvpp vpp, final Ip4Main ip4)
    {
        final InterfaceTable ifs = vpp.interfaces();

        vpp.cli().register("set interface ip address", "Add or delete an IPv4 address on an interface",
            "set interface ip address [del] <interface> <address>/<length> | del <interface> all", in -> {
                final boolean del = in.accept("del");
                final Interface ifc = ifs.parse(in);
                if (del && in.accept("all"))
                {
                    return out -> ip4.deleteAllAddresses(ifc);
                }
                final int[] p = prefix(in.next("address/length"));
                return out -> {
                    if (del)
                    {
                        ip4.deleteAddress(ifc, p[0], p[1]);
                    }
                    else
                    {
                        ip4.addAddress(ifc, p[0], p[1]);
                    }
                };
            });

        vpp.cli().register("show interface address", "Show interface addresses", "show interface address [<interface>]",
            in -> {
                final Interface only = in.atEnd() ? null : ifs.parse(in);
                return out -> {
                    for (final Interface ifc : ifs.all())
                    {
                        if (only != null && only != ifc)
                        {
                            continue;
                        }
                        out.println(ifc.name() + " (" + (ifc.adminUp() ? "up" : "dn") + "):");
                        for (final Ip4Main.IfAddress a : ip4.addresses(ifc.swIfIndex()))
                        {
                            out.println("  L3 " + a);
                        }
                    }
                };
            });

        vpp.cli().register("ip route", "Add or delete an IPv4 route",
            "ip route [add|del] [count <n>] <dst>/<len> {via <next-hop> [<interface>] | via <interface> | drop} ...",
            in -> parseRoute(in, ifs, ip4));

        vpp.cli().register("show ip fib", "Show the IPv4 FIB", "show ip fib [summary] [<address>[/<length>]]", in -> {
            final boolean summary = in.accept("summary");
            final String which = in.atEnd() ? null : in.next("prefix");
            final int[] p;
            if (which == null)
            {
                p = null;
            }
            else if (which.indexOf('/') >= 0)
            {
                p = prefix(which);
            }
            else
            {
                p = new int[] {address(which), -1};
            }
            return out -> Ip4Show.fib(out, vpp, ip4, summary, p);
        });

        vpp.cli().register("set ip neighbor", "Add or delete an IPv4 neighbor",
            "set ip neighbor [del] <interface> <address> <mac-address> [static]", in -> {
                final boolean del = in.accept("del");
                final Interface ifc = ifs.parse(in);
                final int address = address(in.next("IP4 address"));
                final String macText = in.atEnd() ? null : in.peek();
                long mac = -1;
                if (macText != null && MacAddress.parse(macText) >= 0)
                {
                    in.next("mac");
                    mac = MacAddress.parse(macText);
                }
                else if (!del)
                {
                    throw new CliException("expected MAC address, got `" + (macText == null ? "" : macText) + "'");
                }
                final boolean isStatic = in.accept("static");
                final long m = mac;
                return out -> {
                    if (del)
                    {
                        if (!ip4.deleteNeighbor(ifc.swIfIndex(), address))
                        {
                            throw new CliException("no neighbor " + Ip4.format(address) + " on " + ifc.name());
                        }
                    }
                    else
                    {
                        ip4.learn(ifc.swIfIndex(), address, m, isStatic);
                    }
                };
            });

        vpp.cli().register("show ip neighbors", "Show IPv4 neighbors", "show ip neighbors [<interface>]", in -> {
            final Interface only = in.atEnd() ? null : ifs.parse(in);
            return out -> Ip4Show.neighbors(out, vpp, ip4, only);
        });

        vpp.cli().register("set interface mtu", "Set an interface's MTU", "set interface mtu [packet|ip4] <value> <interface>",
            in -> {
                final boolean ip4Only = in.accept("ip4");
                if (!ip4Only)
                {
                    in.accept("packet");
                }
                final int mtu = in.nextInt("MTU", 64, Interface.MAX_MTU);
                final Interface ifc = ifs.parse(in);
                // What the driver can do (Interface.maxMtu, set from Port.maxMtu): never advertise more.
                if (mtu > ifc.maxMtu())
                {
                    throw new CliException("MTU " + mtu + " is more than " + ifc.name() + " ("
                        + ifc.driver().driverName() + ") can do: at most " + ifc.maxMtu());
                }
                return out -> {
                    if (ip4Only)
                    {
                        ifc.mtu()[1] = mtu;
                    }
                    else
                    {
                        ifc.l3Mtu(mtu);
                    }
                    ip4.mtuChanged(ifc.swIfIndex());
                };
            });
    }

    private static jvpp.core.cli.CliAction parseRoute(final CliInput in, final InterfaceTable ifs, final Ip4Main ip4)
        throws CliException
    {
        boolean del = false;
        if (in.accept("del"))
        {
            del = true;
        }
        else
        {
            in.accept("add");
        }
        int count = 1;
        if (in.accept("count"))
        {
            count = in.nextInt("count", 1, 10_000_000);
        }
        final int[] p = prefix(in.next("destination/length"));
        final List<Path> paths = new ArrayList<>();
        while (!in.atEnd())
        {
            if (in.accept("via"))
            {
                final String target = in.next("next hop or interface");
                if (Ip4.isAddress(target))
                {
                    final int nh = Ip4.parse(target);
                    final Interface ifc = in.atEnd() ? null : ifs.get(in.peek());
                    if (ifc != null)
                    {
                        in.next("interface");
                        paths.add(new Path(Path.Kind.ATTACHED_NEXTHOP, ifc.swIfIndex(), nh));
                    }
                    else
                    {
                        paths.add(new Path(Path.Kind.RECURSIVE, -1, nh));
                    }
                }
                else
                {
                    final Interface ifc = ifs.get(target);
                    if (ifc == null)
                    {
                        throw new CliException("unknown input `" + target + (in.atEnd() ? "" : " " + in.rest()) + "'");
                    }
                    paths.add(new Path(Path.Kind.ATTACHED, ifc.swIfIndex(), 0));
                }
            }
            else if (in.accept("drop"))
            {
                paths.add(Path.drop());
            }
            else
            {
                throw in.unknown();
            }
        }
        if (!del && paths.isEmpty())
        {
            throw new CliException("no paths (via <next-hop> [<interface>], via <interface> or drop)");
        }
        final int length = p[1];
        final int step = length == 0 ? 0 : 1 << (32 - length);
        if (count > 1 && length == 0)
        {
            throw new CliException("count needs a prefix length above 0");
        }
        final int first = p[0] & Ip4Main.mask(length);
        final int n = count;
        final boolean remove = del;
        if (remove)
        {
            for (int i = 0; i < n; i++)
            {
                final int dst = first + i * step;
                final Ip4Main.PathSet ps = ip4.route(Ip4Main.SOURCE_CLI, dst, length);
                if (ps == null || !ps.paths().containsAll(paths))
                {
                    throw new CliException("route " + Ip4.format(dst) + "/" + length + (paths.isEmpty() ? "" : " with that path")
                        + " not found");
                }
            }
        }
        return out -> {
            for (int i = 0; i < n; i++)
            {
                final int dst = first + i * step;
                if (remove)
                {
                    ip4.removeRoute(Ip4Main.SOURCE_CLI, dst, length, paths);
                }
                else
                {
                    ip4.addRoute(Ip4Main.SOURCE_CLI, dst, length, paths);
                }
            }
        };
    }
}
