package jvpp.core.graph;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliOutput;

/**
 * {@code show errors [verbose]} (every thread's drop counts summed per node and reason; verbose: the zeros too)
 * and {@code clear errors}.
 *
 * <p>Thread: main.
 */
public final class ErrorCommands
{
    private ErrorCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        vpp.cli().register("show errors", "Show error counters", "show errors [verbose]", in -> {
            final boolean verbose = in.accept("verbose");
            return out -> showErrors(vpp, out, verbose);
        });
        vpp.cli().register("clear errors", "Clear error counters", "clear errors", in -> out -> {
            for (final Dispatcher d : vpp.dispatchers())
            {
                d.clearErrors();
            }
        });
    }

    private static void showErrors(final Jvpp vpp, final CliOutput out, final boolean verbose)
    {
        final Graph g = vpp.graph();
        out.printf("%10s  %-30s %s%n", "Count", "Node", "Reason");
        for (int e = 0; e < g.errorCount(); e++)
        {
            long sum = 0;
            for (final Dispatcher d : vpp.dispatchers())
            {
                sum += d.errorCount(e);
            }
            if (sum != 0 || verbose)
            {
                out.printf("%10d  %-30s %s%n", sum, g.errorNode(e), g.errorReason(e));
            }
        }
    }
}
