package jvpp.core.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's arguments as a stream of words (VPP's unformat_input_t). Braces are words of their own,
 * so that {@code name { a b }} reads as {@code name}, {@code {}, {@code a}, {@code b}, {@code }}.
 *
 * <p>Thread: the thread running the command.
 */
public final class CliInput
{
    private final List<String> words;
    private int pos;

    public CliInput(final List<String> words)
    {
        this.words = words;
    }

    public static CliInput of(final String line)
    {
        return new CliInput(tokenize(line));
    }

    /** Split a line into words at white space; each brace is a word of its own. */
    public static List<String> tokenize(final String line)
    {
        final List<String> out = new ArrayList<>();
        final StringBuilder w = new StringBuilder();
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (Character.isWhitespace(c) || c == '{' || c == '}')
            {
                if (w.length() > 0)
                {
                    out.add(w.toString());
                    w.setLength(0);
                }
                if (c == '{' || c == '}')
                {
                    out.add(String.valueOf(c));
                }
            }
            else
            {
                w.append(c);
            }
        }
        if (w.length() > 0)
        {
            out.add(w.toString());
        }
        return out;
    }

    public boolean atEnd()
    {
        return pos >= words.size();
    }

    /** The next word without consuming it, or null at the end. */
    public String peek()
    {
        return atEnd() ? null : words.get(pos);
    }

    /** Consume the next word; fails with {@code expected <what>} at the end. */
    public String next(final String what) throws CliException
    {
        if (atEnd())
        {
            throw new CliException("expected " + what);
        }
        return words.get(pos++);
    }

    /** Consume the next word when it equals {@code word}. */
    public boolean accept(final String word)
    {
        if (!atEnd() && words.get(pos).equals(word))
        {
            pos++;
            return true;
        }
        return false;
    }

    /** Consume {@code word} or fail with {@code expected `word'}. */
    public void expect(final String word) throws CliException
    {
        if (!accept(word))
        {
            throw new CliException(atEnd() ? "expected `" + word + "'" : "expected `" + word + "', got `" + peek() + "'");
        }
    }

    /** Consume a decimal (or 0x hex) integer in {@code [min, max]}. */
    public long nextLong(final String what, final long min, final long max) throws CliException
    {
        final String w = next(what);
        final long v;
        try
        {
            v = w.startsWith("0x") ? Long.parseLong(w.substring(2), 16) : Long.parseLong(w);
        }
        catch (final NumberFormatException ex)
        {
            throw new CliException("expected " + what + ", got `" + w + "'");
        }
        if (v < min || v > max)
        {
            throw new CliException(what + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public int nextInt(final String what, final int min, final int max) throws CliException
    {
        return (int)nextLong(what, min, max);
    }

    /** The words of a {@code { ... }} block (braces balanced), consumed; fails when no block follows. */
    public CliInput block(final String what) throws CliException
    {
        if (!accept("{"))
        {
            throw new CliException("expected `{' after " + what);
        }
        final int from = pos;
        int depth = 1;
        while (!atEnd())
        {
            final String w = words.get(pos++);
            if (w.equals("{"))
            {
                depth++;
            }
            else if (w.equals("}") && --depth == 0)
            {
                return new CliInput(new ArrayList<>(words.subList(from, pos - 1)));
            }
        }
        throw new CliException("missing `}' after " + what);
    }

    /** Everything not yet consumed, words joined by one space (for error messages). */
    public String rest()
    {
        return atEnd() ? "" : String.join(" ", words.subList(pos, words.size()));
    }

    /** Consume and return everything not yet consumed. */
    public String takeRest()
    {
        final String r = rest();
        pos = words.size();
        return r;
    }

    /** The VPP error for input a parser does not understand: {@code unknown input `<rest>'}. */
    public CliException unknown()
    {
        return new CliException("unknown input `" + rest() + "'");
    }

    /** Fail unless all input was consumed. */
    public void end() throws CliException
    {
        if (!atEnd())
        {
            throw unknown();
        }
    }
}
