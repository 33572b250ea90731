package jvpp.nodes.l2;

import jvpp.core.Jvpp;
import jvpp.core.graph.Graph;

/**
 * Wires L2 bridging into an instance: the {@link BridgeDomains} service, the nodes l2-input, l2-learn,
 * l2-fwd, l2-flood and l2-output, the MAC aging process and the commands ({@link L2Commands}).
 * ethernet-input reaches l2-input through the arc this adds.
 *
 * <p>Thread: main, at boot.
 */
public final class L2Nodes
{
    /** How often the aging process scans (VPP scans about once a minute; ages are whole minutes). */
    public static final long AGING_PERIOD_NANOS = 10_000_000_000L;

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
        // Removing entries is done with the workers stopped: they look entries up without a lock.
        vpp.processes().register("l2fib-mac-age-scanner", now -> {
            if (bds.fib().size() > 0 && bds.anyAging())
            {
                vpp.withBarrier(() -> bds.age(now));
            }
            return now + AGING_PERIOD_NANOS;
        }, System.nanoTime() + AGING_PERIOD_NANOS);
        L2Commands.register(vpp, bds);
    }
}
