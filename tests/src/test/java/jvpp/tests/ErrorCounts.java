package jvpp.tests;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;

/**
 * {@code show errors} of a running jvpp as counts by {@code node|reason}, for tests that send traffic and check
 * which reasons moved (the difference of two readings). Called from the test thread.
 */
final class ErrorCounts
{
    private static final Pattern ERROR_LINE = Pattern.compile("^\\s*(\\d+)\\s+(\\S+)\\s+(.+?)\\s*$");

    private ErrorCounts()
    {
    }

    /** Every counter {@code show errors} lists on the CLI socket {@code socket}, summed over threads. */
    static Map<String, Long> read(final Path socket)
    {
        final Map<String, Long> m = new HashMap<>();
        for (final String line : JvppProcess.ctl(socket, "show", "errors").out().split("\n"))
        {
            final Matcher x = ERROR_LINE.matcher(line);
            if (x.matches())
            {
                m.merge(x.group(2) + "|" + x.group(3), Long.parseLong(x.group(1)), Long::sum);
            }
        }
        return m;
    }
}
