package jvpp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jvpp.core.cli.CliScript;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code jvppctl}: the command-line client of a running daemon (vppctl).
 *
 * <pre>
 * jvppctl [-s &lt;socket&gt;] &lt;command words&gt;   run one command; exit 0 on success, 1 when it failed
 * jvppctl [-s &lt;socket&gt;]                   an interactive session (or, stdin not a terminal, one command a line)
 * </pre>
 *
 * Exit status 2 when no daemon answers on the socket. The socket is {@code -s}, else {@code $JVPP_CLI_SOCKET},
 * else {@link CliProtocol#defaultSocket()}.
 *
 * <p>Thread: the JVM's main thread.
 */
public final class JvppCtl
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_NO_DAEMON = 2;

    private JvppCtl()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    /** Run as the command {@code jvppctl args} with stdin not a terminal; returns the exit status. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return run(args, InputStream.nullInputStream(), out, err, false);
    }

    /**
     * Run as the command {@code jvppctl args}; returns the exit status.
     *
     * @param interactive stdin and stdout are a terminal: with no command words, open the line editor on it
     */
    public static int run(final String[] args, final InputStream in, final PrintStream out, final PrintStream err,
        final boolean interactive)
    {
        final String env = System.getenv(CliProtocol.SOCKET_ENV);
        String socket = env != null && !env.isEmpty() ? env : CliProtocol.defaultSocket().toString();
        final List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            if (!words.isEmpty())
            {
                words.add(a);
            }
            else if (a.equals("-s") || a.equals("--socket"))
            {
                if (i + 1 == args.length)
                {
                    err.println("jvppctl: " + a + " needs a socket path");
                    return EXIT_FAILED;
                }
                socket = args[++i];
            }
            else if (a.equals("-h") || a.equals("--help"))
            {
                out.println("usage: jvppctl [-s <socket>] [<command words>...]");
                out.println("  with words: run one command and exit (status 1 when it failed)");
                out.println("  without: an interactive session (Tab completes, ? helps, quit or Ctrl-D leaves)");
                out.println("  socket: -s, else $" + CliProtocol.SOCKET_ENV + ", else " + CliProtocol.defaultSocket());
                return EXIT_OK;
            }
            else
            {
                words.add(a);
            }
        }
        final String path = socket;
        final CliClient client;
        try
        {
            client = CliClient.connect(CliProtocol.address(socket));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("jvppctl: -s " + ex.getMessage());
            return EXIT_NO_DAEMON;
        }
        catch (final IOException ex)
        {
            if (ex.getMessage() != null && ex.getMessage().contains("Permission denied"))
            {
                err.println("jvppctl: cannot connect to " + path + ": permission denied (the socket is for root and the "
                    + "group of unix { gid } in startup.conf: run as root or as a member of that group)");
            }
            else
            {
                err.println("jvppctl: cannot connect to " + path + ": is jvpp running? (start it with bin/jvpp -c "
                    + "<startup.conf>)");
            }
            return EXIT_NO_DAEMON;
        }
        try (client)
        {
            if (!words.isEmpty())
            {
                final CliReply reply = client.execute(String.join(" ", words));
                printOutput(out, reply.output());
                return reply.ok() ? EXIT_OK : EXIT_FAILED;
            }
            if (interactive)
            {
                repl(client);
                return EXIT_OK;
            }
            return lines(client, in, out);
        }
        catch (final IOException ex)
        {
            err.println("jvppctl: lost connection to " + path + ": " + ex.getMessage());
            return EXIT_NO_DAEMON;
        }
    }

    private static void printOutput(final PrintStream out, final String output)
    {
        out.print(output);
        if (!output.isEmpty() && !output.endsWith("\n"))
        {
            out.println();
        }
        out.flush();
    }

    /** Commands from a pipe: each runs whatever the one before did; a command with open braces continues. */
    private static int lines(final CliClient client, final InputStream in, final PrintStream out) throws IOException
    {
        final List<String> text = new ArrayList<>();
        final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine())
        {
            text.add(line);
        }
        int status = EXIT_OK;
        for (final CliScript.Line line : CliScript.parse(text))
        {
            final String trimmed = line.text().trim();
            if (trimmed.equals("quit") || trimmed.equals("exit"))
            {
                break;
            }
            final CliReply reply = client.execute(line.text());
            printOutput(out, reply.output());
            if (!reply.ok())
            {
                status = EXIT_FAILED;
            }
            if (reply.quit())
            {
                break;
            }
        }
        return status;
    }

    private static void repl(final CliClient client) throws IOException
    {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build())
        {
            final String home = System.getenv("HOME");
            final Path history = Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"),
                ".jvppctl_history");
            new Repl(terminal, client, history).run();
        }
    }
}
