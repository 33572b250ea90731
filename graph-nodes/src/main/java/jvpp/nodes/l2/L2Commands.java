package jvpp.nodes.l2;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.cli.CliOutput;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.MacAddress;

/**
 * The L2 bridging commands with vppctl's syntax: {@code create bridge-domain}, {@code set interface l2 bridge},
 * {@code set interface l3}, {@code show bridge-domain}, {@code show l2fib}, {@code l2fib add},
 * {@code clear l2fib}. Each parses fully and checks before it changes anything.
 *
 * <p>Thread: main (the CLI runs with the workers at the barrier).
 */
public final class L2Commands
{
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private L2Commands()
    {
    }

    private static boolean bool01(final CliInput in, final String what) throws CliException
    {
        return in.nextInt(what + " (0 or 1)", 0, 1) == 1;
    }

    private static long mac(final String text) throws CliException
    {
        try
        {
            return MacAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException("expected MAC address `" + text + "'");
        }
    }

    public static void register(final Jvpp vpp, final BridgeDomains bds)
    {
        final InterfaceTable ifs = vpp.interfaces();

        vpp.cli().register("create bridge-domain", "Create or delete a bridge domain",
            "create bridge-domain <bd-id> [learn 0|1] [forward 0|1] [flood 0|1] [uu-flood 0|1] [mac-age <min>] [del]",
            in -> {
                final int id = (int)in.nextLong("bridge domain id", 0, BridgeDomains.MAX_ID);
                BridgeDomains.checkId(id);
                int flags = BridgeDomains.DEFAULT_FLAGS;
                int age = 0;
                boolean del = false;
                while (!in.atEnd())
                {
                    if (in.accept("learn"))
                    {
                        flags = bool01(in, "learn") ? flags | BridgeDomains.FLAG_LEARN : flags & ~BridgeDomains.FLAG_LEARN;
                    }
                    else if (in.accept("forward"))
                    {
                        flags = bool01(in, "forward") ? flags | BridgeDomains.FLAG_FORWARD : flags & ~BridgeDomains.FLAG_FORWARD;
                    }
                    else if (in.accept("flood"))
                    {
                        flags = bool01(in, "flood") ? flags | BridgeDomains.FLAG_FLOOD : flags & ~BridgeDomains.FLAG_FLOOD;
                    }
                    else if (in.accept("uu-flood"))
                    {
                        flags = bool01(in, "uu-flood") ? flags | BridgeDomains.FLAG_UU_FLOOD : flags & ~BridgeDomains.FLAG_UU_FLOOD;
                    }
                    else if (in.accept("mac-age"))
                    {
                        age = in.nextInt("mac age in minutes", 0, 255);
                    }
                    else if (in.accept("del"))
                    {
                        del = true;
                    }
                    else
                    {
                        throw in.unknown();
                    }
                }
                final int f = flags;
                final int a = age;
                if (del)
                {
                    return out -> bds.delete(id);
                }
                return out -> {
                    bds.create(id, f, a);
                    out.println("bridge-domain " + id);
                };
            });

        vpp.cli().register("set interface l2 bridge", "Add an interface to a bridge domain",
            "set interface l2 bridge <interface> <bd-id> [bvi] [<shg>]", in -> {
                final Interface ifc = ifs.parse(in);
                final int id = (int)in.nextLong("bridge domain id", 0, BridgeDomains.MAX_ID);
                BridgeDomains.checkId(id);
                final boolean bvi = in.accept("bvi");
                final int shg = in.atEnd() ? 0 : in.nextInt("split-horizon group", 0, 255);
                in.end();
                if (bvi && (ifc.driver() == null || !"loopback".equals(ifc.driver().driverName())))
                {
                    throw new CliException("BVI must be a loopback interface (create loopback interface): "
                        + ifc.name());
                }
                return out -> bds.bridge(ifc, id, bvi, shg);
            });

        registerSetBridgeDomain(vpp, bds);

        vpp.cli().register("set interface l2 xconnect", "Cross-connect an interface's input to another's output",
            "set interface l2 xconnect <interface> <peer-interface>", in -> {
                final Interface ifc = ifs.parse(in);
                final Interface peer = ifs.parse(in);
                BridgeDomains.checkXconnect(ifc, peer);
                return out -> bds.xconnect(ifc, peer);
            });

        vpp.cli().register("set interface l3", "Put an interface back in L3 (routed) mode",
            "set interface l3 <interface>", in -> {
                final Interface ifc = ifs.parse(in);
                return out -> bds.l3(ifc);
            });

        vpp.cli().register("show bridge-domain", "Show bridge domains",
            "show bridge-domain [<bd-id> [detail]]", in -> {
                final int id = in.atEnd() ? -1 : (int)in.nextLong("bridge domain id", 0, BridgeDomains.MAX_ID);
                final boolean detail = id >= 0 && in.accept("detail");
                return out -> showBridgeDomains(out, bds, ifs, id, detail);
            });

        vpp.cli().register("show l2fib", "Show the L2 forwarding table",
            "show l2fib [bd_id <bd-id>] [verbose]", in -> {
                int id = -1;
                boolean verbose = false;
                while (!in.atEnd())
                {
                    if (in.accept("bd_id"))
                    {
                        id = (int)in.nextLong("bridge domain id", 0, BridgeDomains.MAX_ID);
                        verbose = true;
                    }
                    else if (in.accept("verbose") || in.accept("all"))
                    {
                        verbose = true;
                    }
                    else
                    {
                        throw in.unknown();
                    }
                }
                final int bdId = id;
                final boolean v = verbose;
                return out -> showL2fib(out, bds, ifs, bdId, v, System.nanoTime());
            });

        vpp.cli().register("l2fib add", "Add a MAC entry to a bridge domain's L2 forwarding table",
            "l2fib add <mac> <bd-id> <interface> [static]", in -> {
                final long mac = mac(in.next("MAC address"));
                final int id = (int)in.nextLong("bridge domain id", 0, BridgeDomains.MAX_ID);
                final Interface ifc = ifs.parse(in);
                final boolean st = in.accept("static");
                if (MacAddress.isMulticast(mac))
                {
                    throw new CliException("MAC " + MacAddress.format(mac) + " is multicast; l2fib takes unicast MACs");
                }
                return out -> bds.addMac(mac, id, ifc, st, System.nanoTime());
            });

        vpp.cli().register("clear l2fib", "Remove every L2 forwarding entry, static ones included (as VPP)",
            "clear l2fib", in -> out -> bds.clearFib());
    }

    /** {@code set bridge-domain learn|forward|flood|uu-flood <bd-id> [disable]} and {@code mac-age <bd-id> <min>}. */
    private static void registerSetBridgeDomain(final Jvpp vpp, final BridgeDomains bds)
    {
        final String[] words = {"learn", "forward", "flood", "uu-flood"};
        final int[] flagOf = {BridgeDomains.FLAG_LEARN, BridgeDomains.FLAG_FORWARD, BridgeDomains.FLAG_FLOOD,
            BridgeDomains.FLAG_UU_FLOOD};
        for (int w = 0; w < words.length; w++)
        {
            final int flag = flagOf[w];
            vpp.cli().register("set bridge-domain " + words[w], "Enable or disable " + words[w] + " in a bridge domain",
                "set bridge-domain " + words[w] + " <bd-id> [disable]", in -> {
                    final int index = existingIndex(in, bds);
                    final boolean on = !in.accept("disable");
                    in.end();
                    return out -> bds.flag(index, flag, on);
                });
        }
        vpp.cli().register("set bridge-domain mac-age", "Set a bridge domain's MAC age in minutes (0: never)",
            "set bridge-domain mac-age <bd-id> <minutes>", in -> {
                final int index = existingIndex(in, bds);
                final int minutes = in.nextInt("mac age in minutes", 0, 255);
                in.end();
                return out -> bds.macAge(index, minutes);
            });
    }

    private static int existingIndex(final CliInput in, final BridgeDomains bds) throws CliException
    {
        final int id = (int)in.nextLong("bridge domain id", 0, BridgeDomains.MAX_ID);
        final int index = bds.indexOf(id);
        if (index < 0)
        {
            throw new CliException("bridge domain id " + id + " does not exist");
        }
        return index;
    }

    private static String onOff(final int flags, final int flag)
    {
        return (flags & flag) != 0 ? "on" : "off";
    }

    static void showBridgeDomains(final CliOutput out, final BridgeDomains bds, final InterfaceTable ifs, final int id,
        final boolean detail) throws CliException
    {
        final java.util.List<Integer> ids;
        if (id >= 0)
        {
            if (bds.indexOf(id) < 0)
            {
                throw new CliException("bridge domain id " + id + " does not exist");
            }
            ids = java.util.List.of(id);
        }
        else
        {
            ids = bds.ids();
        }
        if (ids.isEmpty())
        {
            out.println("no bridge-domains in use");
            return;
        }
        final int[] learnedByIndex = new int[BridgeDomains.MAX_DOMAINS];
        final L2Fib fib = bds.fib();
        for (int s = 0; s < fib.capacity(); s++)
        {
            final long key = fib.keyAt(s);
            if (key != 0 && !fib.isStatic(s))
            {
                learnedByIndex[L2Fib.bdIndexOf(key)]++;
            }
        }
        out.println(String.format("%7s%8s%6s%10s%10s%10s%11s%10s%10s%10s%9s%10s%11s", "BD-ID", "Index", "BSN",
            "Age(min)", "Learning", "U-Forwrd", "UU-Flood", "Flooding", "ARP-Term", "arp-ufwd", "Learn-co", "Learn-li",
            "BVI-Intf"));
        final int[] flags = bds.flags();
        for (final int bdId : ids)
        {
            final int index = bds.indexOf(bdId);
            final int f = flags[index];
            final int age = bds.macAge(index);
            out.println(String.format("%7d%8d%6d%10s%10s%10s%11s%10s%10s%10s%9d%10d%11s", bdId, index, 0,
                age == 0 ? "off" : Integer.toString(age), onOff(f, BridgeDomains.FLAG_LEARN),
                onOff(f, BridgeDomains.FLAG_FORWARD), (f & BridgeDomains.FLAG_UU_FLOOD) != 0 ? "flood" : "drop",
                onOff(f, BridgeDomains.FLAG_FLOOD), "off", "off", learnedByIndex[index], fib.limit(),
                bds.bvi(index) < 0 ? "N/A" : ifs.name(bds.bvi(index))));
            if (detail)
            {
                out.println();
                out.println(String.format("%20s%17s%5s%5s%5s%9s%24s", "Interface", "If-idx", "ISN", "SHG", "BVI",
                    "TxFlood", "VLAN-Tag-Rewrite"));
                final int[] shg = bds.shgBySwIf();
                for (final int sw : bds.members()[index])
                {
                    out.println(String.format("%20s%17d%5d%5d%5s%9s%24s", ifs.name(sw), sw, 1,
                        sw < shg.length ? shg[sw] : 0, bds.bvi(index) == sw ? "*" : "-", "*", "none"));
                }
            }
        }
    }

    static void showL2fib(final CliOutput out, final BridgeDomains bds, final InterfaceTable ifs, final int id,
        final boolean verbose, final long nowNanos) throws CliException
    {
        final int onlyIndex = id < 0 ? -1 : bds.indexOf(id);
        if (id >= 0 && onlyIndex < 0)
        {
            throw new CliException("bridge domain id " + id + " not found");
        }
        final L2Fib fib = bds.fib();
        int total = 0;
        int learned = 0;
        boolean header = false;
        for (int s = 0; s < fib.capacity(); s++)
        {
            final long key = fib.keyAt(s);
            if (key == 0 || (onlyIndex >= 0 && L2Fib.bdIndexOf(key) != onlyIndex))
            {
                continue;
            }
            total++;
            final boolean st = fib.isStatic(s);
            if (!st)
            {
                learned++;
            }
            if (!verbose)
            {
                continue;
            }
            if (!header)
            {
                out.println(String.format("%19s%10s%7s%8s%9s%7s%7s%4s%23s", "Mac-Address", "BD-Idx", "If-Idx",
                    "BSN-ISN", "Age(min)", "static", "filter", "bvi", "Interface-Name"));
                header = true;
            }
            final int bdIndex = L2Fib.bdIndexOf(key);
            final int sw = fib.swIfIndex(s);
            final String age = st || bds.macAge(bdIndex) == 0 ? "-"
                : Long.toString((nowNanos - fib.lastSeen(s)) / NANOS_PER_MINUTE);
            out.println(String.format("%19s%10d%7d%8s%9s%7s%7s%4s%23s", MacAddress.format(L2Fib.macOf(key)),
                bdIndex, sw, "0/1", age, st ? "*" : "-", "-", bds.bvi(bdIndex) == sw ? "*" : "-", ifs.name(sw)));
        }
        if (verbose)
        {
            if (total == 0)
            {
                out.println("no l2fib entries");
            }
            out.println("L2FIB total/learned entries: " + total + "/" + learned + "  Learn limit: " + fib.limit());
        }
        else
        {
            out.println(total + " l2fib entries");
        }
    }
}
