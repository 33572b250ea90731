package jvpp.nodes.l2;

import jvpp.core.Jvpp;
import jvpp.core.graph.Graph;

/**
 * Wires L2 bridging into an instance: the {@link BridgeDomains} service, the nodes l2-input, l2-learn,
 * l2-fwd, l2-flood and l2-output, the MAC aging process ({@link L2MacAgeScanner}) and the commands
 * ({@link L2Commands}). ethernet-input reaches l2-input through the arc this adds.
 *
 * <p>Thread: main, at boot.
 */
public final class L2Nodes
{
    private L2Nodes()
    {
    }

    /** Register everything over {@code bds}, which becomes the {@code BridgeDomains.class} service. */
    public static void register(final Jvpp vpp, final BridgeDomains bds)
    {
        vpp.registerService(BridgeDomains.class, bds);
        vpp.interfaces().addListener(bds);
        final Graph g = vpp.graph();
        g.register(L2InputNode.registration(bds));
        g.register(L2LearnNode.registration(bds));
        g.register(L2FwdNode.registration(bds));
        g.register(L2FloodNode.registration(bds));
        g.register(L2OutputNode.registration(bds));
        L2MacAgeScanner.register(vpp, bds);
        L2Commands.register(vpp, bds);
    }
}
