package jvpp.nodes.ip4;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Graph;
import jvpp.core.net.EthernetFlyweight;
import jvpp.nodes.arp.ArpInputNode;
import jvpp.nodes.ethernet.EthernetTypes;

/**
 * Wires IPv4 into a jvpp: the {@link Ip4Main} service, the ip4 and ARP nodes, their EtherTypes, the
 * neighbor and ARP-retry processes ({@link Ip4NeighborProcess}, {@link Ip4ArpRetryProcess}), and the commands.
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
        final Graph g = vpp.graph();
        g.register(Ip4InputNode.registration());
        g.register(Ip4LookupNode.registration(ip4));
        g.register(Ip4RewriteNode.registration(ip4));
        g.register(Ip4FragNode.registration(ip4));
        g.register(Ip4LocalNode.registration(ip4));
        g.register(Ip4IcmpErrorNode.registration(ip4));
        g.register(Ip4ArpNode.registration(ip4, vpp.interfaces()));
        g.register(ArpInputNode.registration(ip4, vpp.interfaces()));
        types.register(EthernetFlyweight.TYPE_IP4, Ip4InputNode.NAME);
        types.register(EthernetFlyweight.TYPE_ARP, ArpInputNode.NAME);
        Ip4NeighborProcess.register(vpp, ip4);
        Ip4ArpRetryProcess.register(vpp);
        // Packets parked for ARP are in use but in nobody's frame: show buffers says where they are.
        vpp.pool().addHolder("ip4-arp (waiting for ARP)", () -> {
            long held = 0;
            for (final Dispatcher d : vpp.dispatchers())
            {
                held += Ip4ArpNode.of(d).heldPackets();
            }
            return held;
        });
        Ip4Commands.register(vpp, ip4);
        Ping.register(vpp, ip4);
    }
}
