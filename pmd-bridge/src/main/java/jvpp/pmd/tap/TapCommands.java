package jvpp.pmd.tap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.iface.Interface;
import jvpp.core.log.Log;
import jvpp.core.net.Ip4;
import jvpp.core.net.MacAddress;
import jvpp.pmd.netlink.NetNs;
import jvpp.pmd.netlink.NetlinkCommands;
import jvpp.pmd.netlink.NetlinkException;
import jvpp.pmd.netlink.RtNetlink;

/**
 * {@code create tap} and {@code delete tap} with vppctl's syntax, names and errors. The host side of the tap
 * is configured through rtnetlink: MAC, MTU, bridge, or moved into {@code host-ns} and there named,
 * addressed, given its gateway and brought up. Everything is checked before anything is done; when a step
 * fails half way, what was done is undone, so a failed command leaves neither an interface nor a host device.
 *
 * <p>Thread: main.
 */
public final class TapCommands
{
    private static final int MAX_ID = 16383;

    private TapCommands()
    {
    }

    /** A parsed {@code create tap}. */
    private record Spec(int id, long mac, String hostIfName, String hostNs, String hostBridge, int hostIp4, int hostIp4Len,
        int hostGw, long hostMac, int hostMtu, int queues, int offloads)
    {
    }

    /** How often the {@code tap-revive} process looks for taps whose host device went away. */
    static final long REVIVE_PERIOD_NANOS = 1_000_000_000L;

    public static void register(final Jvpp vpp, final TapPorts taps)
    {
        // What each tap was created with, to re-create its host side: sw_if_index -> spec.
        final Map<Integer, Spec> specs = new HashMap<>();
        final Set<Integer> told = new HashSet<>();
        vpp.processes().register("tap-revive", now -> {
            revive(vpp, taps, specs, told);
            return now + REVIVE_PERIOD_NANOS;
        }, System.nanoTime() + REVIVE_PERIOD_NANOS);
        vpp.cli().register("create tap", "Create a tap interface and configure its host side",
            "create tap [id <n>] [hw-addr <mac>] [host-if-name <name>] [host-ns <netns>] [host-bridge <br>] "
                + "[host-ip4-addr <a/len>] [host-ip4-gw <a>] [host-mac-addr <mac>] [host-mtu-size <n>] "
                + "[num-rx-queues <n>] [rx-ring-size <n>] [tx-ring-size <n>] [gso | no-gso] "
                + "[csum-offload | no-csum-offload]", in -> {
                final Spec spec = parse(vpp, in);
                return out -> {
                    specs.put(create(vpp, taps, spec).swIfIndex(), spec);
                    out.println("tap" + spec.id());
                };
            });
        vpp.cli().register("delete tap", "Delete a tap interface", "delete tap <interface>", in -> {
            final Interface ifc = vpp.interfaces().parse(in);
            if (taps.port(ifc) == null)
            {
                throw new CliException("not a tap interface");
            }
            return out -> {
                specs.remove(ifc.swIfIndex());
                taps.delete(ifc);
            };
        });
    }

    /**
     * The {@code tap-revive} process (main, once a second): a tap whose host device went away (deleted, or its
     * namespace died with a container) is opened again under the same name and its host side configured as at
     * {@code create tap}, as soon as that can work (its namespace exists again). The jvpp interface keeps its
     * index, so its addresses, routes and bridge domain stay; it is link-down with the reason meanwhile.
     */
    private static void revive(final Jvpp vpp, final TapPorts taps, final Map<Integer, Spec> specs,
        final Set<Integer> told)
    {
        for (final var it = specs.entrySet().iterator(); it.hasNext();)
        {
            final Map.Entry<Integer, Spec> e = it.next();
            final Interface ifc = vpp.interfaces().get(e.getKey());
            final TapPort port = ifc == null ? null : taps.port(ifc);
            if (port == null)
            {
                it.remove();
                continue;
            }
            if (!port.deviceGone())
            {
                told.remove(e.getKey());
                continue;
            }
            final Spec s = e.getValue();
            if (s.hostNs() != null && !NetNs.exists(s.hostNs()))
            {
                if (told.add(e.getKey()))
                {
                    Log.warn("%s: host device %s gone with netns %s; configuration kept, re-created when the netns "
                        + "exists again", ifc.name(), s.hostIfName(), s.hostNs());
                }
                continue;
            }
            try
            {
                final TapPort fresh = taps.reopen(ifc, s.hostIfName(), s.queues(), s.mac(), s.offloads());
                try
                {
                    configureHost(s);
                }
                catch (final NetlinkException | CliException ex)
                {
                    // Half a host side is no use: give the device back and try again next time.
                    fresh.markDeviceGone();
                    vpp.syncThreads();
                    fresh.close();
                    throw new IllegalStateException(ex instanceof NetlinkException ne ? ne.detail() : ex.getMessage());
                }
                told.remove(e.getKey());
                Log.info("%s: host device %s re-created%s; configuration kept", ifc.name(), s.hostIfName(),
                    s.hostNs() == null ? "" : " in netns " + s.hostNs());
            }
            catch (final RuntimeException ex)
            {
                if (told.add(e.getKey()))
                {
                    Log.warn("%s: host device %s gone; cannot re-create it yet: %s", ifc.name(), s.hostIfName(),
                        ex.getMessage());
                }
            }
        }
    }

    private static Spec parse(final Jvpp vpp, final CliInput in) throws CliException
    {
        int id = -1;
        long mac = -1;
        String hostIfName = null;
        String hostNs = null;
        String hostBridge = null;
        int hostIp4 = 0;
        int hostIp4Len = -1;
        int hostGw = 0;
        long hostMac = -1;
        int hostMtu = 0;
        int queues = 1;
        int offloads = TapPort.DEFAULT_OFFLOADS;
        while (!in.atEnd())
        {
            if (in.accept("id"))
            {
                id = in.nextInt("id", 0, MAX_ID);
            }
            else if (in.accept("hw-addr"))
            {
                mac = mac(in.next("mac address"));
            }
            else if (in.accept("host-if-name"))
            {
                hostIfName = in.next("host interface name");
                if (!NetlinkCommands.isValidIfName(hostIfName))
                {
                    throw new CliException("invalid host-if-name `" + hostIfName + "'");
                }
            }
            else if (in.accept("host-ns"))
            {
                hostNs = NetlinkCommands.requireNetnsName(in.next("netns name"));
            }
            else if (in.accept("host-bridge"))
            {
                hostBridge = NetlinkCommands.requireIfName(in.next("bridge name"));
            }
            else if (in.accept("host-ip4-addr"))
            {
                final String a = in.next("address/length");
                final int slash = a.indexOf('/');
                try
                {
                    hostIp4 = Ip4.parse(a.substring(0, slash));
                    hostIp4Len = Integer.parseInt(a.substring(slash + 1));
                    if (hostIp4Len < 0 || hostIp4Len > 32)
                    {
                        throw new IllegalArgumentException();
                    }
                }
                catch (final RuntimeException ex)
                {
                    throw new CliException("expected IP4 address/length `" + a + "'");
                }
            }
            else if (in.accept("host-ip4-gw"))
            {
                final String g = in.next("gateway");
                try
                {
                    hostGw = Ip4.parse(g);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new CliException("expected IP4 address `" + g + "'");
                }
            }
            else if (in.accept("host-mac-addr"))
            {
                hostMac = mac(in.next("mac address"));
            }
            else if (in.accept("host-mtu-size"))
            {
                hostMtu = in.nextInt("host-mtu-size", 68, 65535);
            }
            else if (in.accept("num-rx-queues"))
            {
                queues = in.nextInt("num-rx-queues", 1, TapPort.MAX_QUEUES);
            }
            else if (in.accept("gso"))
            {
                offloads |= TapPort.OFFLOAD_GSO | TapPort.OFFLOAD_CSUM;
            }
            else if (in.accept("no-gso"))
            {
                offloads &= ~TapPort.OFFLOAD_GSO;
            }
            else if (in.accept("csum-offload"))
            {
                offloads |= TapPort.OFFLOAD_CSUM;
            }
            else if (in.accept("no-csum-offload"))
            {
                // GSO needs the checksum offload (the kernel's TSO implies it): off goes with it.
                offloads = 0;
            }
            else if (in.accept("rx-ring-size") || in.accept("tx-ring-size"))
            {
                final int size = in.nextInt("ring size", 1, 32768);
                if (Integer.bitCount(size) != 1)
                {
                    throw new CliException("ring size must be power of 2");
                }
            }
            else
            {
                throw in.unknown();
            }
        }
        if ((offloads & TapPort.OFFLOAD_GSO) == 0 && hostMtu > TapPort.MAX_JUMBO_MTU)
        {
            throw new CliException("host-mtu-size " + hostMtu + " is more than a tap without gso receives ("
                + TapPort.MAX_JUMBO_MTU + ")");
        }
        if (hostIp4Len >= 0 && hostBridge != null)
        {
            throw new CliException("Please specify either host ip address or host bridge");
        }
        NetlinkCommands.requireForLink(hostNs);
        final int inst = id >= 0 ? id : vpp.interfaces().nextInstance("tap");
        if (vpp.interfaces().get("tap" + inst) != null)
        {
            throw new CliException("interface already exists");
        }
        final String host = hostIfName != null ? hostIfName : "tap" + inst;
        try (RtNetlink root = RtNetlink.open())
        {
            if (root.linkExists(host))
            {
                throw new CliException("host interface " + host + " already exists");
            }
            if (hostBridge != null && root.linkInfo(hostBridge) == null)
            {
                throw new CliException("host-bridge " + hostBridge + " not found");
            }
        }
        catch (final NetlinkException ex)
        {
            throw new CliException(ex.getMessage());
        }
        if (hostNs != null && !NetNs.exists(hostNs))
        {
            throw new CliException("host-ns " + hostNs + " not found (create netns " + hostNs + ")");
        }
        final long jvppMac = mac >= 0 ? mac : MacAddress.randomLocal();
        return new Spec(inst, jvppMac, host, hostNs, hostBridge, hostIp4, hostIp4Len, hostGw, hostMac, hostMtu, queues, offloads);
    }

    private static Interface create(final Jvpp vpp, final TapPorts taps, final Spec s) throws CliException
    {
        final Interface ifc;
        try
        {
            ifc = taps.create("tap" + s.id(), s.hostIfName(), s.queues(), s.mac(), s.offloads());
        }
        catch (final RuntimeException ex)
        {
            throw new CliException(ex.getMessage());
        }
        try
        {
            configureHost(s);
        }
        catch (final NetlinkException | CliException ex)
        {
            taps.delete(ifc);
            throw new CliException("host side of tap" + s.id() + ": "
                + (ex instanceof NetlinkException ne ? ne.detail() : ex.getMessage()));
        }
        Log.info("created tap%d: host %s%s", s.id(), s.hostIfName(), s.hostNs() == null ? "" : " in netns " + s.hostNs());
        return ifc;
    }

    private static void configureHost(final Spec s) throws CliException
    {
        final String host = s.hostIfName();
        try (RtNetlink root = RtNetlink.open())
        {
            if (s.hostMac() >= 0)
            {
                root.setMac(host, s.hostMac());
            }
            if (s.hostMtu() > 0)
            {
                root.setMtu(host, s.hostMtu());
            }
            if (s.hostBridge() != null)
            {
                root.setMaster(host, s.hostBridge());
            }
            if (s.hostNs() == null)
            {
                configureInside(root, s);
                return;
            }
            final int fd = NetNs.open(s.hostNs());
            try
            {
                root.setLinkNetns(host, fd);
            }
            finally
            {
                NetNs.close(fd);
            }
        }
        try (RtNetlink inNs = RtNetlink.open(s.hostNs()))
        {
            configureInside(inNs, s);
        }
    }

    /** Address, gateway and link up, in whichever namespace {@code nl} talks to. */
    private static void configureInside(final RtNetlink nl, final Spec s)
    {
        final String host = s.hostIfName();
        nl.setLinkUp(host, true);
        if (s.hostIp4Len() >= 0)
        {
            nl.addAddress(host, s.hostIp4(), s.hostIp4Len());
        }
        if (s.hostGw() != 0)
        {
            nl.addRoute(0, 0, s.hostGw());
        }
    }

    private static long mac(final String text) throws CliException
    {
        final long m = MacAddress.parse(text);
        if (m < 0)
        {
            throw new CliException("expected MAC address `" + text + "'");
        }
        return m;
    }

}
