package jvpp.core.cli;

/**
 * The outcome of one command line.
 *
 * @param ok     false when the command failed (its error is the last line of {@code output})
 * @param output everything the command printed, error included
 * @param quit   the command asked its session to end
 */
public record CliResult(boolean ok, String output, boolean quit)
{
}
