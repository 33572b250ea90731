package jvpp.nodes.ip4;

import java.util.function.ToIntFunction;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Graph;
import jvpp.core.net.EthernetFlyweight;
import jvpp.nodes.arp.ArpInputNode;
import jvpp.nodes.ethernet.EthernetTypes;

/**
 * Wires IPv4 into a jvpp: the {@link Ip4Main} and {@link Ip4ReassemblyConfig} services, the ip4 and ARP nodes,
 * their EtherTypes, the neighbor, ARP-retry and reassembly expire-walk processes ({@link Ip4NeighborProcess},
 * {@link Ip4ArpRetryProcess}, {@link Ip4FullReassExpireProcess}), and the commands.
 * Thread: main, at boot.
 */
public final class Ip4Nodes
{
    private Ip4Nodes()
    {
    }

    public static void register(final Jvpp vpp, final EthernetTypes types)
    {
        final Ip4Main ip4 = new Ip4Main(vpp.interfaces());
        vpp.registerService(Ip4Main.class, ip4);
        vpp.interfaces().addListener(ip4);
        final Ip4ReassemblyConfig reassembly = new Ip4ReassemblyConfig();
        vpp.registerService(Ip4ReassemblyConfig.class, reassembly);
        final Graph g = vpp.graph();
        g.register(Ip4InputNode.registration(ip4));
        g.register(Ip4LookupNode.registration(ip4));
        g.register(Ip4RewriteNode.registration(ip4));
        g.register(Ip4FragNode.registration(ip4));
        g.register(Ip4LocalNode.registration(ip4));
        g.register(Ip4FullReassNode.registration(reassembly));
        g.register(Ip4IcmpErrorNode.registration(ip4));
        g.register(Ip4ArpNode.registration(ip4, vpp.interfaces()));
        g.register(ArpInputNode.registration(ip4, vpp.interfaces()));
        types.register(EthernetFlyweight.TYPE_IP4, Ip4InputNode.NAME);
        types.register(EthernetFlyweight.TYPE_ARP, ArpInputNode.NAME);
        Ip4NeighborProcess.register(vpp, ip4);
        Ip4ArpRetryProcess.register(vpp);
        Ip4FullReassExpireProcess.register(vpp, reassembly);
        // Packets parked for ARP and fragments waiting for the rest of their datagram are in use but in nobody's
        // frame: show buffers says where they are.
        addHolder(vpp, "ip4-arp (waiting for ARP)", d -> Ip4ArpNode.of(d).heldBuffers());
        addHolder(vpp, "ip4-local-full-reassembly (fragments waiting)", d -> Ip4FullReassNode.of(d).heldBuffers());
        Ip4Commands.register(vpp, ip4);
        Ip4ReassemblyCommands.register(vpp, reassembly);
        Ping.register(vpp, ip4);
    }

    /** Name what every thread's instance of a node holds, summed over the threads, for {@code show buffers}. */
    private static void addHolder(final Jvpp vpp, final String name, final ToIntFunction<Dispatcher> perThread)
    {
        vpp.pool().addHolder(name, () -> {
            long held = 0;
            for (final Dispatcher d : vpp.dispatchers())
            {
                held += perThread.applyAsInt(d);
            }
            return held;
        });
    }
}
