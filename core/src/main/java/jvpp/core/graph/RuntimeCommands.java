package jvpp.core.graph;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliOutput;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.thread.CpuTopology;
import jvpp.core.thread.ProcessScheduler;
import jvpp.core.thread.ThreadInfo;

/**
 * {@code show runtime [verbose]} (each thread's node calls, vectors and clocks, and main's processes, in
 * vppctl's columns; a summary of all threads when there are workers) and {@code clear runtime}.
 *
 * <p>Thread: main.
 */
public final class RuntimeCommands
{
    private RuntimeCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        // What "clear runtime" resets besides the nodes' counters (VPP's clear runtime restarts Time and the
        // rates): when, and each thread's loops and tx packets then. Main only, as the CLI.
        final Since since = new Since(vpp.bootNanos(), vpp.dispatchers().size());
        vpp.cli().register("show runtime", "Show per-node runtime counters", "show runtime [verbose]", in -> {
            final boolean verbose = in.accept("verbose");
            return out -> showRuntime(vpp, out, verbose, since);
        });
        vpp.cli().register("clear runtime", "Clear per-node runtime counters", "clear runtime", in -> out -> {
            since.nanos = System.nanoTime();
            for (final Dispatcher d : vpp.dispatchers())
            {
                d.clearRuntime();
                if (d.threadIndex() < since.loops.length)
                {
                    since.loops[d.threadIndex()] = d.loops();
                    since.tx[d.threadIndex()] = txPackets(vpp, d);
                }
            }
            vpp.processes().clearRuntime();
        });
    }

    /** The start of the runtime counters: boot, or the last clear runtime. */
    private static final class Since
    {
        long nanos;
        final long[] loops;
        final long[] tx;

        Since(final long nanos, final int threads)
        {
            this.nanos = nanos;
            this.loops = new long[threads];
            this.tx = new long[threads];
        }

        long loops(final Dispatcher d)
        {
            return d.threadIndex() < loops.length ? loops[d.threadIndex()] : 0;
        }

        long tx(final Dispatcher d)
        {
            return d.threadIndex() < tx.length ? tx[d.threadIndex()] : 0;
        }
    }

    private static void showRuntime(final Jvpp vpp, final CliOutput out, final boolean verbose, final Since since)
    {
        final double ghz = CpuTopology.cpuGhz();
        final double seconds = Math.max(1e-9, (System.nanoTime() - since.nanos) / 1e9);
        for (final Dispatcher d : vpp.dispatchers())
        {
            final ThreadInfo info = d.threadIndex() < vpp.threads().size() ? vpp.threads().get(d.threadIndex()) : null;
            out.printf("Thread %d %s (lcore %d)%n", d.threadIndex(), d.threadName(), info == null ? 0 : info.lcore());
            long in = 0;
            long drop = 0;
            for (int i = 0; i < d.nodeCount(); i++)
            {
                final Node n = d.node(i);
                if (n.type() == NodeType.INPUT)
                {
                    in += n.vectors();
                }
                else if (n.name().equals("error-drop"))
                {
                    drop += n.vectors();
                }
            }
            out.printf("Time %.1f, average vectors/node %.2f, loops/sec %.2f%n", seconds, averageVectors(d),
                (d.loops() - since.loops(d)) / seconds);
            out.printf("  vector rates in %.4e, out %.4e, drop %.4e, punt %.4e%n", in / seconds,
                (txPackets(vpp, d) - since.tx(d)) / seconds, drop / seconds, 0.0);
            header(out);
            for (int i = 0; i < d.nodeCount(); i++)
            {
                final Node n = d.node(i);
                if (n.calls() == 0 && !verbose)
                {
                    continue;
                }
                final String state = n.type() == NodeType.INPUT ? (n.polling() ? "polling" : "disabled") : "active";
                row(out, n.name(), state, n.calls(), n.vectors(), n.nanos(), ghz);
            }
            if (d.threadIndex() == 0)
            {
                for (final ProcessScheduler.Handle h : vpp.processes().handles())
                {
                    if (h.calls() > 0 || verbose)
                    {
                        row(out, h.name(), h.scheduled() ? "time wait" : "event wait", h.calls(), 0, h.nanos(), ghz);
                    }
                }
            }
        }
        if (vpp.dispatchers().size() > 1)
        {
            out.println("Summary of all threads");
            header(out);
            final Dispatcher main = vpp.mainDispatcher();
            for (int i = 0; i < main.nodeCount(); i++)
            {
                long calls = 0;
                long vectors = 0;
                long nanos = 0;
                for (final Dispatcher d : vpp.dispatchers())
                {
                    final Node n = d.node(i);
                    calls += n.calls();
                    vectors += n.vectors();
                    nanos += n.nanos();
                }
                if (vectors > 0 || verbose)
                {
                    final Node n = main.node(i);
                    row(out, n.name(), n.type() == NodeType.INPUT ? "polling" : "active", calls, vectors, nanos, ghz);
                }
            }
        }
    }

    private static void header(final CliOutput out)
    {
        out.printf("%-30s%-17s%16s%16s%16s%16s%16s%n", "             Name", "     State", "Calls", "Vectors",
            "Suspends", "Clocks", "Vectors/Call");
    }

    private static void row(final CliOutput out, final String name, final String state, final long calls,
        final long vectors, final long nanos, final double ghz)
    {
        final double clocks = nanos * ghz / Math.max(1, vectors > 0 ? vectors : calls);
        out.printf("%-30s%-17s%16d%16d%16d%16.2e%16.2f%n", name, CliOutput.centre(state, 17), calls, vectors, 0, clocks,
            calls == 0 ? 0.0 : (double)vectors / calls);
    }

    private static double averageVectors(final Dispatcher d)
    {
        long calls = 0;
        long vectors = 0;
        for (int i = 0; i < d.nodeCount(); i++)
        {
            final Node n = d.node(i);
            if (n.type() == NodeType.INTERNAL)
            {
                calls += n.calls();
                vectors += n.vectors();
            }
        }
        return calls == 0 ? 0 : (double)vectors / calls;
    }

    private static long txPackets(final Jvpp vpp, final Dispatcher d)
    {
        long sum = 0;
        for (final Interface ifc : vpp.interfaces().all())
        {
            sum += d.interfaceCounters().get(ifc.swIfIndex(), InterfaceCounters.TX_PACKETS);
        }
        return sum;
    }
}
