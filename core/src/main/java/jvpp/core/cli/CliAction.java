package jvpp.core.cli;

/**
 * The effect of a parsed command. It runs only after the whole input was understood; it must check
 * everything that can fail before it changes anything, so that a failed command changes nothing.
 */
@FunctionalInterface
public interface CliAction
{
    void run(CliOutput out) throws CliException;
}
