package jvpp.conf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;

/**
 * The syntax of VPP's startup.conf alone: text into the tree of {@link ConfigItem}s with their line numbers,
 * which the sections then read. {@code section { key value ... nested { ... } }}; words are separated by white
 * space, a brace is a word of its own even when it touches another ({@code unix{nodaemon}}), {@code #} starts
 * a comment that runs to the end of the line. Unbalanced braces are errors with the file and line:
 * {@code missing `}' to close `unix {'} (the line of the brace left open), {@code unexpected `}'},
 * {@code unexpected `{'}.
 *
 * <p>The tree and its cursor are core's ({@code jvpp.core.config}) so that any module can read its section;
 * this text parser stays here, with the file.
 *
 * <p>Thread: any (stateless).
 */
public final class ConfigTreeParser
{
    private ConfigTreeParser()
    {
    }

    /** The top-level items of {@code text}, each section with its block; {@code fileName} names it in errors. */
    public static List<ConfigItem> parse(final String text, final String fileName) throws ConfigException
    {
        final List<ConfigItem> top = new ArrayList<>();
        final Deque<Open> open = new ArrayDeque<>();
        List<ConfigItem> current = top;
        boolean lastWasWord = false;
        int line = 1;
        int i = 0;
        final int n = text.length();
        while (i < n)
        {
            final char c = text.charAt(i);
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < n && text.charAt(i) != '\n')
                {
                    i++;
                }
            }
            else if (c == '{')
            {
                if (!lastWasWord)
                {
                    throw ConfigException.at(fileName, line, "unexpected `{'");
                }
                final ConfigItem owner = current.remove(current.size() - 1);
                open.push(new Open(owner, current));
                current = new ArrayList<>();
                lastWasWord = false;
                i++;
            }
            else if (c == '}')
            {
                if (open.isEmpty())
                {
                    throw ConfigException.at(fileName, line, "unexpected `}'");
                }
                final Open o = open.pop();
                o.parent.add(new ConfigItem(o.owner.word(), o.owner.line(), List.copyOf(current)));
                current = o.parent;
                lastWasWord = false;
                i++;
            }
            else
            {
                final int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && "{}#".indexOf(text.charAt(i)) < 0)
                {
                    i++;
                }
                current.add(new ConfigItem(text.substring(start, i), line, null));
                lastWasWord = true;
            }
        }
        if (!open.isEmpty())
        {
            final ConfigItem owner = open.peek().owner;
            throw ConfigException.at(fileName, owner.line(), "missing `}' to close `" + owner.word() + " {'");
        }
        return List.copyOf(top);
    }

    private record Open(ConfigItem owner, List<ConfigItem> parent)
    {
    }
}
