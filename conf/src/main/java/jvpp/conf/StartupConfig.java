package jvpp.conf;

import jvpp.core.Jvpp;

/**
 * A checked startup.conf: the file's name for messages and the {@link Jvpp.Context} its sections filled
 * (core's settings, and each module's under its own type: {@link UnixConfig}, {@code DpdkConfig}).
 * {@link StartupConfigParser} builds it; {@link #defaults()} is what an empty file means.
 *
 * @param file    the file it came from, as named by the user ({@code <command line>} for arguments)
 * @param context what the instance is created with, concluded
 *
 * <p>Thread: any, once built.
 */
public record StartupConfig(String file, Jvpp.Context context)
{
    /** What an empty startup.conf means. */
    public static StartupConfig defaults()
    {
        return new StartupConfig("<defaults>", new Jvpp.Context().conclude());
    }

    /** What {@code unix { }} set, or its defaults. */
    public UnixConfig unix()
    {
        return UnixConfig.of(context);
    }
}
