package jvpp.core.cli;

/**
 * Parses a command's arguments and returns the action to run. Parsing must not change any state: the
 * registry rejects input the handler left unread ({@code unknown input `...'}) before running the action.
 */
@FunctionalInterface
public interface CliHandler
{
    CliAction parse(CliInput in) throws CliException;
}
