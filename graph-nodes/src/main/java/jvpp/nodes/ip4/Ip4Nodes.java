package jvpp.nodes.ip4;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Graph;
import jvpp.core.net.EthernetFlyweight;
import jvpp.nodes.arp.ArpInputNode;
import jvpp.nodes.ethernet.EthernetTypes;

/**
 * Wires IPv4 into a jvpp: the {@link Ip4Main} service, the ip4 and ARP nodes, their EtherTypes, the
 * neighbor and ARP-retry processes, and the commands. Thread: main, at boot.
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
        g.register(Ip4LocalNode.registration(ip4));
        g.register(Ip4IcmpErrorNode.registration(ip4));
        g.register(Ip4ArpNode.registration(ip4, vpp.interfaces()));
        g.register(ArpInputNode.registration(ip4, vpp.interfaces()));
        types.register(EthernetFlyweight.TYPE_IP4, Ip4InputNode.NAME);
        types.register(EthernetFlyweight.TYPE_ARP, ArpInputNode.NAME);
        // What ARP learned reaches the neighbor table on main within a millisecond.
        final long learnPeriod = 1_000_000L;
        // Both change what workers read (adjacencies, the FIB, ip4-arp's hold queues): at the barrier.
        vpp.processes().register("ip4-neighbor", now -> {
            if (ip4.learnRing().size() > 0)
            {
                vpp.withBarrier(ip4::drainLearned);
            }
            return now + learnPeriod;
        }, System.nanoTime() + learnPeriod);
        vpp.processes().register("ip4-arp-retry", now -> {
            vpp.withBarrier(() -> {
                for (final Dispatcher d : vpp.dispatchers())
                {
                    ((Ip4ArpNode)d.node(Ip4ArpNode.NAME)).retry(now);
                }
            });
            return now + Ip4ArpNode.RETRY_NANOS / 4;
        }, System.nanoTime() + Ip4ArpNode.RETRY_NANOS);
        Ip4Commands.register(vpp, ip4);
        Ping.register(vpp, ip4);
    }
}
