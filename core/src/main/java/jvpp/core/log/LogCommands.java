package jvpp.core.log;

import jvpp.core.Jvpp;

/**
 * {@code show log}: the recent lines {@link Log} keeps.
 *
 * <p>Thread: main.
 */
public final class LogCommands
{
    private LogCommands()
    {
    }

    /** Register the command in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        vpp.cli().register("show log", "Show the recent log", "show log", in -> out -> {
            for (final String line : Log.recent())
            {
                out.println(line);
            }
        });
    }
}
