package jvpp.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of CLI commands ({@code exec}, {@code unix { startup-config }}): one command a line, a command
 * whose braces are open continues on the following lines (a {@code packet-generator new { ... }} block),
 * {@code #} starts a comment line.
 */
public final class CliScript
{
    /** One command and the line it starts on. */
    public record Line(int number, String text)
    {
    }

    private CliScript()
    {
    }

    public static List<Line> read(final Path file) throws IOException
    {
        return parse(Files.readAllLines(file));
    }

    public static List<Line> parse(final List<String> lines)
    {
        final List<Line> out = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        int depth = 0;
        for (int i = 0; i < lines.size(); i++)
        {
            final String raw = lines.get(i);
            final String trimmed = raw.trim();
            if (pending == null && (trimmed.isEmpty() || trimmed.startsWith("#")))
            {
                continue;
            }
            if (pending == null)
            {
                pending = new StringBuilder();
                start = i + 1;
            }
            else
            {
                pending.append(' ');
            }
            pending.append(trimmed);
            for (int c = 0; c < trimmed.length(); c++)
            {
                if (trimmed.charAt(c) == '{')
                {
                    depth++;
                }
                else if (trimmed.charAt(c) == '}')
                {
                    depth--;
                }
            }
            if (depth <= 0)
            {
                out.add(new Line(start, pending.toString()));
                pending = null;
                depth = 0;
            }
        }
        if (pending != null)
        {
            out.add(new Line(start, pending.toString()));
        }
        return out;
    }
}
