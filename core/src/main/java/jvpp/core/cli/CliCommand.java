package jvpp.core.cli;

/**
 * A registered command (VPP's VLIB_CLI_COMMAND): its path of words, a one-line help, its usage
 * (syntax) and its handler.
 *
 * @param path      the command words, e.g. {@code "set interface state"}
 * @param shortHelp what it does, one line
 * @param usage     its syntax, e.g. {@code "set interface state <interface> {up|down}"}
 * @param handler   parses the arguments into an action
 */
public record CliCommand(String path, String shortHelp, String usage, CliHandler handler)
{
}
