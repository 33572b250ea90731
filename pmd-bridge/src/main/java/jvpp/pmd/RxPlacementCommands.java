package jvpp.pmd;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Node;
import jvpp.core.iface.Interface;
import jvpp.core.iface.RxMode;

/**
 * {@code show interface rx-placement}, {@code set interface rx-placement <if> [queue <n>] {worker <n>|main}} and
 * {@code set interface rx-mode <if> [queue <n>] polling|interrupt|adaptive} in vppctl's format: which thread
 * reads each rx queue and how ({@code (polling)}, {@code (interrupt)}, {@code (adaptive)}), grouped by thread and
 * input node. New ports place
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
        registerRxMode(vpp);
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
                                    .append(" (").append(RxMode.values()[p[3]].word()).append(")\n");
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
     * {@code set interface rx-mode <if> [queue <n>] polling|interrupt|adaptive}, as VPP's (words in any order, its
     * error texts): every rx queue of the interface, or queue n. Only queues with a descriptor to wait on (TAP,
     * AF_PACKET) may leave polling; anything else (DPDK) is {@code unsupported}, and then nothing changes.
     */
    static void registerRxMode(final Jvpp vpp)
    {
        vpp.cli().register("set interface rx-mode", "Poll an interface's rx queues, or wait for frames (interrupt, adaptive)",
            "set interface rx-mode <interface> [queue <n>] [polling | interrupt | adaptive]", in -> {
                Interface ifc = null;
                int queue = -1;
                RxMode mode = null;
                while (!in.atEnd())
                {
                    final String w = in.peek();
                    if (in.accept("queue"))
                    {
                        queue = in.nextInt("queue", 0, Integer.MAX_VALUE);
                    }
                    else if (RxMode.of(w) != null)
                    {
                        mode = RxMode.of(in.next("rx-mode"));
                    }
                    else if (ifc == null && vpp.interfaces().get(w) != null)
                    {
                        ifc = vpp.interfaces().parse(in);
                    }
                    else
                    {
                        throw new CliException("parse error: '" + in.rest() + "'");
                    }
                }
                if (ifc == null)
                {
                    throw new CliException("please specify valid interface name");
                }
                if (mode == null)
                {
                    throw new CliException("please specify valid rx-mode");
                }
                final Interface target = ifc;
                final int q = queue;
                final RxMode m = mode;
                final List<PortInputNode.RxQueues> tables = new ArrayList<>();
                boolean found = false;
                for (final PortInputNode node : inputNodes(vpp))
                {
                    final PortInputNode.RxQueues t = node.rxQueues();
                    for (final int id : t.queueIds(target))
                    {
                        if (q < 0 || id == q)
                        {
                            found = true;
                            if (m != RxMode.POLLING && t.mode(target, id) != m && !t.canWait(target, id))
                            {
                                throw new CliException("unsupported: " + target.name() + " queue " + id
                                    + " has no descriptor to wait on and is always polled");
                            }
                            if (!tables.contains(t))
                            {
                                tables.add(t);
                            }
                        }
                    }
                }
                if (!found)
                {
                    throw new CliException(q >= 0 ? "unknown queue " + q + " on interface " + target.name()
                        : "unsupported: " + target.name() + " has no rx queues");
                }
                return out -> {
                    for (final PortInputNode.RxQueues t : tables)
                    {
                        t.mode(target, q, m);
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
