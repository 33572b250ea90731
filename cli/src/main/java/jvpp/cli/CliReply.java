package jvpp.cli;

import jvpp.core.cli.CliResult;

/**
 * The answer to one command line as it crossed the socket.
 *
 * @param status {@link CliProtocol#STATUS_OK}, {@link CliProtocol#STATUS_FAILED} or {@link CliProtocol#STATUS_QUIT}
 * @param output everything the command printed, its error included
 */
public record CliReply(byte status, String output)
{
    public static CliReply of(final CliResult result)
    {
        final byte status = !result.ok() ? CliProtocol.STATUS_FAILED
            : result.quit() ? CliProtocol.STATUS_QUIT : CliProtocol.STATUS_OK;
        return new CliReply(status, result.output());
    }

    /** The command succeeded (quit included). */
    public boolean ok()
    {
        return status != CliProtocol.STATUS_FAILED;
    }

    /** The command ended the session. */
    public boolean quit()
    {
        return status == CliProtocol.STATUS_QUIT;
    }
}
