package jvpp.pmd.afpacket;


import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.iface.Interface;
import jvpp.core.net.MacAddress;
import jvpp.core.sys.Capabilities;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.Ports;
import jvpp.pmd.netlink.NetlinkCommands;

/**
 * vppctl's host-interface commands and the {@code af-packet-input} node behind them:
 * <pre>
 *   create host-interface name &lt;ifname&gt; [v2] [hw-addr &lt;mac&gt;] [num-rx-queues &lt;n&gt;] [rx-size &lt;frames&gt;] [frame-size &lt;bytes&gt;]
 *       [qdisc-bypass-disable] [cksum-gso-disable]
 *   delete host-interface name &lt;ifname&gt;
 * </pre>
 * The interface is {@code host-<ifname>}; its MAC is {@code hw-addr} or a random locally administered
 * {@code 02:fe:xx:xx:xx:xx}, never the kernel interface's (frames to the kernel's MAC would also climb the
 * kernel's stack). {@code num-rx-queues} opens that many sockets in one fanout group, each with its own TX
 * ring too. {@code rx-size} is the frame count of every ring (default 4096). Offloads are on unless
 * {@code cksum-gso-disable} (VPP 23.x's default and word): the sockets carry virtio-net headers, so TCP from a veth
 * with its default TSO arrives as GSO super-frames and leaves the same way; with it, the port takes no offload and
 * interface-output and gso complete checksums and segment in software. {@code qdisc-bypass-disable} sends through
 * the device's qdisc (tc rules on the host device then apply to jvpp's frames).
 *
 * <p>Thread: main.
 */
public final class AfPacketCommands
{
    private static final String PREFIX = "host-";

    private final Jvpp vpp;
    private final Ports ports;
    private final PortInputNode.RxQueues rxQueues = new PortInputNode.RxQueues();
    private final java.util.Map<String, Attached> attached = new java.util.HashMap<>();
    private boolean watching;

    /** What a host-interface was opened with, to open it again when its kernel device comes back. */
    private static final class Attached
    {
        final Interface ifc;
        final int queues;
        final long mac;
        final int frames;
        final int frameSize;
        final boolean offloads;
        final boolean qdiscBypass;
        AfPacketPort port;

        Attached(final Interface ifc, final AfPacketPort port, final int queues, final long mac, final int frames,
            final int frameSize)
        {
            this.ifc = ifc;
            this.port = port;
            this.queues = queues;
            this.mac = mac;
            this.frames = frames;
            this.frameSize = frameSize;
            this.offloads = port.offloads();
            this.qdiscBypass = port.qdiscBypass();
        }
    }

    private AfPacketCommands(final Jvpp vpp, final Ports ports)
    {
        this.vpp = vpp;
        this.ports = ports;
        rxQueues.defaultMode(vpp.context().rxMode());
    }

    /** Register the commands; {@code af-packet-input} is registered with the first host-interface. */
    public static void register(final Jvpp vpp, final Ports ports)
    {
        final AfPacketCommands c = new AfPacketCommands(vpp, ports);
        vpp.cli().register("create host-interface", "Create a host interface (AF_PACKET)",
            "create host-interface name <ifname> [v2] [hw-addr <mac>] [num-rx-queues <n>] [rx-size <frames>]"
                + " [frame-size <bytes>] [qdisc-bypass-disable] [cksum-gso-disable]",
            in -> {
                String hostIf = null;
                long mac = -1;
                int queues = 1;
                int frames = AfPacketPort.DEFAULT_FRAME_COUNT;
                int frameSize = AfPacketPort.DEFAULT_FRAME_SIZE;
                boolean offloads = true;
                boolean qdiscBypass = true;
                while (!in.atEnd())
                {
                    if (in.accept("name"))
                    {
                        hostIf = NetlinkCommands.requireIfName(in.next("interface name"));
                    }
                    else if (in.accept("hw-addr"))
                    {
                        final String text = in.next("mac address");
                        mac = MacAddress.parse(text);
                        if (mac < 0)
                        {
                            throw new CliException("expected MAC address, got `" + text + "'");
                        }
                    }
                    else if (in.accept("num-rx-queues"))
                    {
                        queues = in.nextInt("queue count", 1, AfPacketPort.MAX_QUEUES);
                    }
                    else if (in.accept("rx-size") || in.accept("tx-size"))
                    {
                        frames = in.nextInt("ring size", 32, 1 << 20);
                        if (Integer.bitCount(frames) != 1)
                        {
                            throw new CliException("ring size must be power of 2");
                        }
                    }
                    else if (in.accept("frame-size"))
                    {
                        frameSize = in.nextInt("frame size", 256, 65536);
                        if (Integer.bitCount(frameSize) != 1)
                        {
                            throw new CliException("frame size must be power of 2");
                        }
                    }
                    else if (in.accept("cksum-gso-disable"))
                    {
                        offloads = false;
                    }
                    else if (in.accept("qdisc-bypass-disable"))
                    {
                        qdiscBypass = false;
                    }
                    else if (!in.accept("v2"))
                    {
                        throw in.unknown();
                    }
                }
                if (hostIf == null)
                {
                    throw new CliException("missing host interface name");
                }
                if (AfPacketPort.ifIndex(hostIf) <= 0)
                {
                    throw new CliException("Invalid interface name");
                }
                NetlinkCommands.require(Capabilities.Cap.NET_RAW);
                final String name = PREFIX + hostIf;
                if (vpp.interfaces().get(name) != null)
                {
                    throw new CliException("Interface already exists");
                }
                final long address = mac >= 0 ? mac : jvpp.core.net.MacAddress.randomLocal();
                final String host = hostIf;
                final int q = queues;
                final int fc = frames;
                final int fs = frameSize;
                final boolean off = offloads;
                final boolean bypass = qdiscBypass;
                return out -> {
                    c.create(host, address, q, fc, fs, off, bypass);
                    out.println(name);
                };
            });
        vpp.cli().register("delete host-interface", "Delete a host interface", "delete host-interface name <ifname>",
            in -> {
                in.expect("name");
                final String hostIf = NetlinkCommands.requireIfName(in.next("interface name"));
                final Interface ifc = vpp.interfaces().get(PREFIX + hostIf);
                if (ifc == null || !(ports.port(ifc) instanceof AfPacketPort))
                {
                    throw new CliException("Invalid interface name");
                }
                return out -> c.delete(ifc);
            });
    }


    private void create(final String hostIf, final long mac, final int queues, final int frames, final int frameSize,
        final boolean offloads, final boolean qdiscBypass) throws CliException
    {
        PortInputNode.ensureRegistered(vpp.graph(), PortInputNode.AF_PACKET_INPUT, rxQueues);
        final AfPacketPort port;
        try
        {
            port = AfPacketPort.open(hostIf, queues, mac, frames, frameSize, offloads, qdiscBypass);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException("Invalid interface name");
        }
        catch (final IllegalStateException ex)
        {
            throw new CliException(ex.getMessage());
        }
        final Interface ifc;
        try
        {
            ifc = ports.create(PREFIX + hostIf, port);
        }
        catch (final RuntimeException ex)
        {
            port.close();
            throw ex;
        }
        rxQueues.add(ifc, port, vpp.placeQueues(port.rxQueues(), numaNode(hostIf)));
        attached.put(hostIf, new Attached(ifc, port, queues, mac, frames, frameSize));
        watchLinks();
        vpp.syncThreads();
    }

    /**
     * Follow the kernel devices behind host-interfaces (rtnetlink link events): a device removed (a veth
     * deleted, its namespace gone) takes the jvpp interface down with that reason, its configuration kept; when
     * a device of the same name comes back, a new port is opened on it and the interface comes back up.
     * Events arrive on the monitor's thread and are handled on main.
     */
    private void watchLinks()
    {
        if (!watching)
        {
            watching = true;
            ports.watchKernelLinks((name, index, exists, up) -> linkChanged(name, exists, up));
        }
    }

    /** Thread: main. */
    void linkChanged(final String name, final boolean exists, final boolean up)
    {
        final Attached a = attached.get(name);
        if (a == null)
        {
            return;
        }
        if (!exists)
        {
            a.port.markDeviceGone();
            a.ifc.linkUp(false, "kernel device " + name + " removed");
            jvpp.core.log.Log.warn("%s: kernel device %s removed; interface down, configuration kept", a.ifc.name(), name);
            return;
        }
        if (a.port.deviceGone())
        {
            final AfPacketPort fresh;
            try
            {
                fresh = AfPacketPort.open(name, a.queues, a.mac, a.frames, a.frameSize, a.offloads, a.qdiscBypass);
            }
            catch (final RuntimeException ex)
            {
                jvpp.core.log.Log.warn("%s: kernel device %s is back but cannot be opened: %s", a.ifc.name(), name, ex.getMessage());
                return;
            }
            final jvpp.pmd.Port old = ports.replace(a.ifc, fresh, rxQueues,
                vpp.placeQueues(fresh.rxQueues(), numaNode(name)));
            if (old != null)
            {
                old.close();
            }
            a.port = fresh;
            jvpp.core.log.Log.info("%s: kernel device %s is back; reopened", a.ifc.name(), name);
        }
        a.ifc.linkUp(up, up ? "" : "kernel device " + name + " is down or has no carrier");
    }

    /** The NUMA node of the kernel device behind {@code hostIf}, -1 when it has none (a veth) or it is unknown. */
    private static int numaNode(final String hostIf)
    {
        try
        {
            return Integer.parseInt(java.nio.file.Files.readString(
                java.nio.file.Path.of("/sys/class/net", hostIf, "device", "numa_node")).trim());
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private void delete(final Interface ifc)
    {
        attached.values().removeIf(a -> a.ifc == ifc);
        rxQueues.remove(ifc);
        vpp.syncThreads();
        ports.delete(ifc);
    }
}
