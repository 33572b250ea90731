package jvpp.pmd;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.Plugin;
import jvpp.core.cli.CliException;
import jvpp.core.config.ConfigSection;
import jvpp.core.iface.Interface;
import jvpp.core.net.MacAddress;
import jvpp.pmd.dpdk.DpdkBoot;
import jvpp.pmd.dpdk.DpdkSection;

/**
 * pmd-bridge's entry point: the {@code dpdk { }} section and DPDK's bring-up, the {@link Ports} service and
 * the commands that create and delete loopback and null interfaces.
 */
public final class PmdBridgePlugin implements Plugin
{
    /** VPP's loopback MAC base: de:ad:00:00:00:00 plus the instance. */
    private static final long LOOPBACK_MAC_BASE = 0xdead_0000_0000L;
    /** Locally administered MACs for null interfaces: 02:fe:00:00:00:00 plus the instance. */
    private static final long NULL_MAC_BASE = 0x02fe_0000_0000L;

    @Override
    public String name()
    {
        return "pmd-bridge";
    }

    @Override
    public int order()
    {
        return 20;
    }

    /** {@code dpdk { }}: read beside the DPDK code, brought up by {@link #start}. */
    @Override
    public List<ConfigSection> configSections()
    {
        return List.of(new DpdkSection());
    }

    /** DPDK's EAL and devices when the config has a {@code dpdk { }} section. */
    @Override
    public void start(final Jvpp vpp)
    {
        DpdkBoot.start(vpp);
    }

    @Override
    public void init(final Jvpp vpp)
    {
        final Ports ports = new Ports(vpp);
        vpp.registerService(Ports.class, ports);
        jvpp.pmd.netlink.NetlinkCommands.register(vpp);
        final jvpp.pmd.tap.TapPorts taps = new jvpp.pmd.tap.TapPorts(vpp, ports);
        taps.register();
        jvpp.pmd.tap.TapCommands.register(vpp, taps);
        jvpp.pmd.afpacket.AfPacketCommands.register(vpp, ports);
        jvpp.pmd.doctor.DoctorCommands.register(vpp);
        RxPlacementCommands.register(vpp);

        vpp.cli().register("create loopback interface", "Create a loopback interface",
            "create loopback interface [mac <mac-address>] [instance <n>]", in -> {
                long mac = -1;
                int instance = -1;
                while (!in.atEnd())
                {
                    if (in.accept("mac"))
                    {
                        final String text = in.next("mac address");
                        mac = MacAddress.parse(text);
                        if (mac < 0)
                        {
                            throw new CliException("expected MAC address, got `" + text + "'");
                        }
                    }
                    else if (in.accept("instance"))
                    {
                        instance = in.nextInt("instance", 0, 16383);
                    }
                    else
                    {
                        throw in.unknown();
                    }
                }
                final int inst = instance >= 0 ? instance : vpp.interfaces().nextInstance("loop");
                final String name = "loop" + inst;
                if (vpp.interfaces().get(name) != null)
                {
                    throw new CliException("instance " + inst + " already in use");
                }
                final long address = mac >= 0 ? mac : LOOPBACK_MAC_BASE + inst;
                return out -> {
                    ports.create(name, new LoopbackPort(address), slot -> LoopbackTxNode.registration(name, slot));
                    out.println(name);
                };
            });
        vpp.cli().register("delete loopback interface", "Delete a loopback interface",
            "delete loopback interface intfc <interface>", in -> {
                in.expect("intfc");
                final Interface ifc = vpp.interfaces().parse(in);
                if (!(ports.port(ifc) instanceof LoopbackPort))
                {
                    throw new CliException("not a loopback interface: " + ifc.name());
                }
                return out -> ports.delete(ifc);
            });
        vpp.cli().register("create null interface", "Create an interface that discards what it sends (jvpp)",
            "create null interface [instance <n>]", in -> {
                final int instance = in.accept("instance") ? in.nextInt("instance", 0, 16383)
                    : vpp.interfaces().nextInstance("null");
                final String name = "null" + instance;
                if (vpp.interfaces().get(name) != null)
                {
                    throw new CliException("instance " + instance + " already in use");
                }
                return out -> {
                    ports.create(name, new NullPort(NULL_MAC_BASE + instance));
                    out.println(name);
                };
            });
        vpp.cli().register("delete null interface", "Delete a null interface", "delete null interface <interface>", in -> {
            final Interface ifc = vpp.interfaces().parse(in);
            if (!(ports.port(ifc) instanceof NullPort))
            {
                throw new CliException("not a null interface: " + ifc.name());
            }
            return out -> ports.delete(ifc);
        });
    }
}
