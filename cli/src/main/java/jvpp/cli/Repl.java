package jvpp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive command line shared by {@code jvppctl} and the daemon's console: a JLine editor with the
 * {@code jvpp# } prompt, Tab completion and {@code ?} help from the command tree, and history.
 *
 * <p>{@code ?} works as in vppctl: it prints the help for what is typed so far and redraws the line,
 * without inserting itself.
 *
 * <p>Thread: the thread that calls {@link #run}.
 */
final class Repl
{
    static final String PROMPT = "jvpp# ";
    private static final String HELP_WIDGET = "jvpp-help";

    private final Terminal terminal;
    private final CliBackend backend;
    private final LineReader reader;

    Repl(final Terminal terminal, final CliBackend backend, final Path historyFile)
    {
        this.terminal = terminal;
        this.backend = backend;
        final DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(null);
        final LineReaderBuilder b = LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("jvpp")
            .parser(parser)
            .completer((r, line, candidates) -> complete(line.line().substring(0, line.cursor()), candidates))
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.AUTO_FRESH_LINE, true);
        if (historyFile != null)
        {
            b.variable(LineReader.HISTORY_FILE, historyFile);
        }
        this.reader = b.build();
        reader.getWidgets().put(HELP_WIDGET, this::help);
        for (final String map : new String[] {LineReader.EMACS, LineReader.VIINS})
        {
            final KeyMap<Binding> keys = reader.getKeyMaps().get(map);
            if (keys != null)
            {
                keys.bind(new Reference(HELP_WIDGET), "?");
            }
        }
    }

    private void complete(final String upToCursor, final List<Candidate> candidates)
    {
        try
        {
            for (final String word : backend.complete(upToCursor))
            {
                candidates.add(new Candidate(word));
            }
        }
        catch (final IOException ex)
        {
            reader.printAbove("completion failed: " + ex.getMessage());
        }
    }

    private boolean help()
    {
        final String typed = reader.getBuffer().toString();
        String text;
        try
        {
            text = backend.help(reader.getBuffer().upToCursor());
        }
        catch (final IOException ex)
        {
            text = "help failed: " + ex.getMessage() + "\n";
        }
        // what vppctl shows: the line as typed, the help under it, then the prompt and the line again
        final String shown = PROMPT + typed + "\n" + text;
        reader.printAbove(shown.endsWith("\n") ? shown.substring(0, shown.length() - 1) : shown);
        return true;
    }

    /**
     * Read and run lines until {@code quit}, {@code exit}, Ctrl-D or a command that ends the session.
     *
     * @return true when every command succeeded
     */
    boolean run() throws IOException
    {
        final PrintWriter w = terminal.writer();
        boolean allOk = true;
        try
        {
            while (true)
            {
                final String line;
                try
                {
                    line = reader.readLine(PROMPT);
                }
                catch (final UserInterruptException ex)
                {
                    continue;
                }
                catch (final EndOfFileException ex)
                {
                    return allOk;
                }
                final String trimmed = line.trim();
                if (trimmed.equals("quit") || trimmed.equals("exit"))
                {
                    return allOk;
                }
                final CliReply reply = backend.execute(line);
                w.print(reply.output());
                w.flush();
                allOk &= reply.ok();
                if (reply.quit())
                {
                    return allOk;
                }
            }
        }
        finally
        {
            try
            {
                reader.getHistory().save();
            }
            catch (final IOException ignore)
            {
                // history is a convenience
            }
        }
    }
}
