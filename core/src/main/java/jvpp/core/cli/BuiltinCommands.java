package jvpp.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import jvpp.core.Jvpp;

/**
 * The CLI's own commands: {@code comment}, {@code echo}, {@code quit}, {@code exec <file>} and
 * {@code show version}.
 *
 * <p>Thread: main.
 */
public final class BuiltinCommands
{
    private BuiltinCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI. */
    public static void register(final Jvpp vpp)
    {
        final CliRegistry cli = vpp.cli();
        cli.register("comment", "Comment, ignored", "comment <text>", in -> {
            in.takeRest();
            return out -> { };
        });
        cli.register("echo", "Print the rest of the line", "echo <text>", in -> {
            final String text = in.takeRest();
            return out -> out.println(text);
        });
        cli.register("quit", "End this CLI session", "quit", in -> CliOutput::requestQuit);
        cli.register("exec", "Run the CLI commands in a file", "exec <filename>", in -> {
            final String file = in.next("file name");
            return out -> exec(vpp, Path.of(file), out);
        });
        cli.register("show version", "Show the jvpp version", "show version", in -> out -> out.println(version()));
    }

    /** Run a file of commands, stopping at the first that fails. */
    public static void exec(final Jvpp vpp, final Path file, final CliOutput out) throws CliException
    {
        final List<CliScript.Line> lines;
        try
        {
            lines = CliScript.read(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new CliException("failed to open `" + file + "'");
        }
        catch (final IOException ex)
        {
            throw new CliException("failed to open `" + file + "': " + ex.getMessage());
        }
        for (final CliScript.Line line : lines)
        {
            final CliResult r = vpp.execute(line.text());
            if (!r.ok())
            {
                final String output = r.output().strip();
                final int lastLine = output.lastIndexOf('\n');
                out.print(lastLine < 0 ? "" : output.substring(0, lastLine + 1));
                throw new CliException("CLI line error: " + (lastLine < 0 ? output : output.substring(lastLine + 1))
                    + " [" + file + ":" + line.number() + "]");
            }
            out.print(r.output());
        }
    }

    /** {@code jvpp v<version> built on <date> (Java <version>)}, from the build's version resource. */
    public static String version()
    {
        final Properties p = new Properties();
        try (InputStream in = BuiltinCommands.class.getResourceAsStream("/jvpp-version.properties"))
        {
            if (in != null)
            {
                p.load(in);
            }
        }
        catch (final IOException ignore)
        {
            // no version resource: say so below
        }
        return "jvpp v" + p.getProperty("version", "unknown") + " built on " + p.getProperty("built", "unknown")
            + " (Java " + System.getProperty("java.version") + ")";
    }
}
