package jvpp.nodes.ip4;

import java.util.List;

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
        // The barrier only when some thread is waiting on a neighbor: workers are not stopped four times a
        // second for nothing (and the idle main loop allocates nothing).
        final long[] retryNow = new long[1];
        final Runnable retry = () -> {
            final List<Dispatcher> ds = vpp.dispatchers();
            for (int i = 0; i < ds.size(); i++)
            {
                ((Ip4ArpNode)ds.get(i).node(Ip4ArpNode.NAME)).retry(retryNow[0]);
            }
        };
        vpp.processes().register("ip4-arp-retry", now -> {
            final List<Dispatcher> ds = vpp.dispatchers();
            for (int i = 0; i < ds.size(); i++)
            {
                if (((Ip4ArpNode)ds.get(i).node(Ip4ArpNode.NAME)).anyPending())
                {
                    retryNow[0] = now;
                    vpp.withBarrier(retry);
                    break;
                }
            }
            return now + Ip4ArpNode.RETRY_NANOS / 4;
        }, System.nanoTime() + Ip4ArpNode.RETRY_NANOS);
        // Packets parked for ARP are in use but in nobody's frame: show buffers says where they are.
        vpp.pool().addHolder("ip4-arp (waiting for ARP)", () -> {
            long held = 0;
            for (final Dispatcher d : vpp.dispatchers())
            {
                held += ((Ip4ArpNode)d.node(Ip4ArpNode.NAME)).heldPackets();
            }
            return held;
        });
        Ip4Commands.register(vpp, ip4);
        Ping.register(vpp, ip4);
    }
}
