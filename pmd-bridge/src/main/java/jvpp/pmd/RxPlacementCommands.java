package jvpp.pmd;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Node;
import jvpp.core.iface.Interface;

/**
 * {@code show interface rx-placement} and {@code set interface rx-placement <if> [queue <n>] {worker <n>|main}}
 * in vppctl's format: which thread polls each rx queue, grouped by thread and input node. New ports place
 * queue i on worker i mod n ({@code Jvpp.placeQueues}); this command moves them.
 *
 * <p>Thread: main (moves happen at the barrier, as every command runs).
 */
public final class RxPlacementCommands
{
    private RxPlacementCommands()
    {
    }

    public static void register(final Jvpp vpp)
    {
        registerHandoff(vpp);
        vpp.cli().register("show interface rx-placement", "Which thread polls each rx queue",
            "show interface rx-placement", in -> out -> {
                for (final Dispatcher d : vpp.dispatchers())
                {
                    final StringBuilder sb = new StringBuilder();
                    for (final PortInputNode node : inputNodes(vpp))
                    {
                        final StringBuilder lines = new StringBuilder();
                        for (final int[] p : node.rxQueues().placement())
                        {
                            if (p[2] == d.threadIndex())
                            {
                                lines.append("    ").append(vpp.interfaces().name(p[0])).append(" queue ").append(p[1])
                                    .append(" (polling)\n");
                            }
                        }
                        if (lines.length() > 0)
                        {
                            sb.append("  node ").append(node.name()).append(":\n").append(lines);
                        }
                    }
                    if (sb.length() > 0)
                    {
                        out.print("Thread " + d.threadIndex() + " (" + d.threadName() + "):\n" + sb);
                    }
                }
            });
        vpp.cli().register("set interface rx-placement", "Move rx queues to a worker or to main",
            "set interface rx-placement <interface> [queue <n>] {worker <n>|main}", in -> {
                final Interface ifc = vpp.interfaces().parse(in);
                final int queue = in.accept("queue") ? in.nextInt("queue", 0, 1023) : -1;
                final int thread;
                if (in.accept("main"))
                {
                    thread = 0;
                }
                else if (in.accept("worker"))
                {
                    final int w = in.nextInt("worker", 0, 1023);
                    if (w >= vpp.workers())
                    {
                        throw new CliException("worker " + w + " does not exist (" + vpp.workers() + " workers)");
                    }
                    thread = w + 1;
                }
                else
                {
                    throw in.unknown();
                }
                final List<PortInputNode> nodes = inputNodes(vpp);
                return out -> {
                    boolean moved = false;
                    for (final PortInputNode node : nodes)
                    {
                        moved |= node.rxQueues().move(ifc, queue, thread);
                    }
                    if (!moved)
                    {
                        throw new CliException(ifc.name() + " has no rx queue" + (queue < 0 ? "s" : " " + queue));
                    }
                };
            });
    }

    /**
     * {@code set interface handoff <if> [disable]}: spread what {@code <if>} receives (a single-queue tap or
     * host-interface) over the workers by flow hash (VPP's command; jvpp always uses every worker).
     */
    static void registerHandoff(final Jvpp vpp)
    {
        vpp.cli().register("set interface handoff", "Spread an interface's received frames over the workers by flow",
            "set interface handoff <interface> [workers all] [disable]", in -> {
                final Interface ifc = vpp.interfaces().parse(in);
                if (in.accept("workers"))
                {
                    in.expect("all");
                }
                final boolean disable = in.accept("disable");
                if (vpp.graph().index("worker-handoff") < 0)
                {
                    throw new CliException("no worker-handoff node (graph-nodes is not loaded)");
                }
                if (!disable && vpp.workers() < 2)
                {
                    throw new CliException("handoff needs at least 2 workers (cpu { workers <n> })");
                }
                final List<PortInputNode> nodes = inputNodes(vpp);
                return out -> {
                    boolean found = false;
                    for (final PortInputNode node : nodes)
                    {
                        final int arc = disable ? -1 : vpp.graph().addNext(node.name(), "worker-handoff");
                        found |= node.rxQueues().handoff(ifc, arc);
                    }
                    if (!found)
                    {
                        throw new CliException(ifc.name() + " has no rx queues");
                    }
                    for (final Dispatcher d : vpp.dispatchers())
                    {
                        final Node input = d.node("handoff-input");
                        if (input != null && !disable)
                        {
                            input.polling(true);
                        }
                    }
                };
            });
    }

    private static List<PortInputNode> inputNodes(final Jvpp vpp)
    {
        final List<PortInputNode> out = new ArrayList<>();
        final Dispatcher main = vpp.mainDispatcher();
        for (int i = 0; i < main.nodeCount(); i++)
        {
            final Node n = main.node(i);
            if (n instanceof PortInputNode p)
            {
                out.add(p);
            }
        }
        return out;
    }
}
