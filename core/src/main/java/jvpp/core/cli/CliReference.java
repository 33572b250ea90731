package jvpp.core.cli;

import java.util.List;

/**
 * The CLI reference page ({@code docs/cli-reference.md}) rendered from the command tree itself: each command's
 * path, syntax and help as registered next to the code it drives, grouped by the command's first word. Because
 * the page is produced from the registry, it cannot drift from what {@code jvppctl} accepts: the build renders it
 * and a test fails when the committed page differs.
 *
 * <p>Thread: any, once boot is over (it only reads the tree).
 */
public final class CliReference
{
    private CliReference()
    {
    }

    /** The page, in Markdown, for every command of {@code registry}. */
    public static String markdown(final CliRegistry registry, final String regenerateHint)
    {
        final List<CliCommand> commands = registry.commands();
        final StringBuilder sb = new StringBuilder(64 * commands.size());
        sb.append("# CLI reference\n\n")
            .append("Every command `jvppctl` and `startup-config` files accept, generated from the command registry (each\n")
            .append("command's syntax and help are registered beside the code it drives). Do not edit by hand: ")
            .append(regenerateHint).append("\n\n")
            .append("Syntax: `<x>` is a value, `[x]` optional, `{a|b}` one of them, `...` repeats. Every word of a command\n")
            .append("may be shortened to a unique prefix (`sh int`). ").append(commands.size()).append(" commands.\n");
        String group = null;
        for (final CliCommand c : commands)
        {
            final String first = firstWord(c.path());
            if (!first.equals(group))
            {
                group = first;
                sb.append("\n## ").append(group).append("\n");
            }
            sb.append("\n### ").append(c.path()).append("\n\n")
                .append("    ").append(c.usage()).append("\n\n")
                .append(c.shortHelp()).append("\n");
        }
        return sb.toString();
    }

    private static String firstWord(final String path)
    {
        final String trimmed = path.trim();
        final int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }
}
