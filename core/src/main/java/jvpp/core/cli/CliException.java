package jvpp.core.cli;

/** A command failed; the message is printed after the command path, as vppctl does. */
public final class CliException extends Exception
{
    public CliException(final String message)
    {
        super(message, null, false, false);
    }
}
