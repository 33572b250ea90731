package jvpp.core.thread;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliOutput;

/**
 * {@code show threads}: jvpp's threads in vppctl's columns.
 *
 * <p>Thread: main.
 */
public final class ThreadCommands
{
    private ThreadCommands()
    {
    }

    /** Register the command in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        vpp.cli().register("show threads", "Show jvpp's threads", "show threads", in -> out -> showThreads(vpp, out));
    }

    private static void showThreads(final Jvpp vpp, final CliOutput out)
    {
        out.printf("%-7s%-20s%-12s%-8s%-25s%-7s%-7s%-7s%n", "ID", "Name", "Type", "LWP", "Sched Policy (Priority)",
            "lcore", "Core", "Socket");
        for (final ThreadInfo t : vpp.threads())
        {
            out.printf("%-7d%-20s%-12s%-8d%-25s%-7d%-7d%-7d%n", t.id(), t.name(), t.type(), t.lwp(), "other (0)",
                t.lcore(), t.core(), t.socket());
        }
    }
}
