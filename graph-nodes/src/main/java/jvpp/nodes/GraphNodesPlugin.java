package jvpp.nodes;

import jvpp.core.Jvpp;
import jvpp.core.Plugin;
import jvpp.nodes.ethernet.EthernetInputNode;
import jvpp.nodes.ethernet.EthernetTypes;
import jvpp.nodes.ethernet.SubInterfaces;
import jvpp.nodes.ip4.Ip4Nodes;
import jvpp.nodes.l2.BridgeDomains;
import jvpp.nodes.l2.L2Nodes;
import jvpp.nodes.output.InterfaceOutputNode;
import jvpp.nodes.pg.PacketGenerator;

/** graph-nodes' entry point: registers the protocol nodes, their services and their commands. */
public final class GraphNodesPlugin implements Plugin
{
    @Override
    public String name()
    {
        return "graph-nodes";
    }

    @Override
    public int order()
    {
        return 10;
    }

    @Override
    public void init(final Jvpp vpp)
    {
        final EthernetTypes types = new EthernetTypes(vpp.graph());
        vpp.registerService(EthernetTypes.class, types);
        // L2 bridging first: ethernet-input's L2 hook reads its per-interface modes.
        final BridgeDomains bridgeDomains = new BridgeDomains();
        L2Nodes.register(vpp, bridgeDomains);
        final SubInterfaces subs = new SubInterfaces(vpp.interfaces());
        subs.register(vpp);
        vpp.graph().register(EthernetInputNode.registration(types, vpp.interfaces(), bridgeDomains, subs));
        InterfaceOutputNode.register(vpp);
        Ip4Nodes.register(vpp, types);
        jvpp.nodes.handoff.HandoffNode.register(vpp);
        final PacketGenerator pg = new PacketGenerator(vpp);
        vpp.registerService(PacketGenerator.class, pg);
        pg.register();
    }
}
