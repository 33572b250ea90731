package jvpp.core.trace;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliOutput;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.NodeType;

/**
 * {@code trace add <input-node> <count>} (on every thread), {@code show trace [max <n>]} (each thread's records,
 * packet by packet, as vppctl prints them) and {@code clear trace}.
 *
 * <p>Thread: main.
 */
public final class TraceCommands
{
    private TraceCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        vpp.cli().register("trace add", "Trace the next <count> packets of an input node", "trace add <input-node> <count>",
            in -> {
                final String name = in.next("node name");
                final int count = in.nextInt("packet count", 1, 100_000);
                final int index = vpp.graph().index(name);
                if (index < 0)
                {
                    throw new CliException("unknown node `" + name + "'");
                }
                if (vpp.graph().registration(index).type() != NodeType.INPUT)
                {
                    throw new CliException("node `" + name + "' is not an input node");
                }
                return out -> {
                    for (final Dispatcher d : vpp.dispatchers())
                    {
                        d.traceAdd(index, count);
                    }
                };
            });
        vpp.cli().register("clear trace", "Clear the packet trace", "clear trace", in -> out -> {
            for (final Dispatcher d : vpp.dispatchers())
            {
                d.traceClear();
            }
        });
        vpp.cli().register("show trace", "Show the packet trace", "show trace [max <n>]", in -> {
            final int max = in.accept("max") ? in.nextInt("packet count", 1, Integer.MAX_VALUE) : 50;
            return out -> showTrace(vpp, out, max);
        });
    }

    private static void showTrace(final Jvpp vpp, final CliOutput out, final int max)
    {
        boolean any = false;
        for (final Dispatcher d : vpp.dispatchers())
        {
            final TraceBuffer t = d.trace();
            if (t.count() == 0)
            {
                continue;
            }
            any = true;
            out.printf("------------------- Start of thread %d %s -------------------%n", d.threadIndex(), d.threadName());
            final TraceBuffer.Record view = t.new Record();
            int lastPacket = -1;
            int packets = 0;
            for (final int i : t.orderByPacket())
            {
                t.view(i, view);
                if (view.packet() != lastPacket)
                {
                    if (++packets > max)
                    {
                        break;
                    }
                    out.printf("%sPacket %d%n%n", lastPacket < 0 ? "" : "\n", view.packet());
                    lastPacket = view.packet();
                }
                final long us = (view.nanoTime() - vpp.bootNanos()) / 1000;
                out.printf("%02d:%02d:%02d:%06d: %s%n", us / 3_600_000_000L, us / 60_000_000 % 60, us / 1_000_000 % 60,
                    us % 1_000_000, d.graph().name(view.node()));
                final StringBuilder sb = new StringBuilder();
                d.node(view.node()).formatTrace(sb, view);
                if (sb.length() > 0)
                {
                    out.println(sb);
                }
            }
            if (t.overflow() > 0)
            {
                out.printf("(trace buffer full: %d records not kept)%n", t.overflow());
            }
        }
        if (!any)
        {
            out.println("No packets in trace buffer");
        }
    }
}
