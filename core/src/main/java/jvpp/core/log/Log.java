package jvpp.core.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's log: each line timestamped to stderr, to the {@code unix { log <file> }} file when set,
 * and into a ring of recent lines that {@code show log} prints. Control plane only; never on the hot path.
 *
 * <p>Thread: any.
 */
public final class Log
{
    private static final int KEEP = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss:SSS");
    private static final ArrayDeque<String> RECENT = new ArrayDeque<>();
    private static PrintStream file;
    private static boolean console = true;

    private Log()
    {
    }

    /** Also append to {@code path} (created with its directories). */
    public static synchronized void toFile(final Path path) throws IOException
    {
        if (path.getParent() != null)
        {
            Files.createDirectories(path.getParent());
        }
        file = new PrintStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            true, StandardCharsets.UTF_8);
    }

    /** Whether lines go to stderr too (off in tests that boot many instances). */
    public static synchronized void console(final boolean on)
    {
        console = on;
    }

    public static void info(final String format, final Object... args)
    {
        write("info", format, args);
    }

    public static void warn(final String format, final Object... args)
    {
        write("warn", format, args);
    }

    public static void error(final String format, final Object... args)
    {
        write("error", format, args);
    }

    private static synchronized void write(final String level, final String format, final Object... args)
    {
        final String msg = args.length == 0 ? format : String.format(format, args);
        final String line = TIME.format(LocalDateTime.now()) + " jvpp[" + ProcessHandle.current().pid() + "]: "
            + level + ": " + msg;
        if (console)
        {
            System.err.println(line);
        }
        if (file != null)
        {
            file.println(line);
        }
        RECENT.addLast(line);
        if (RECENT.size() > KEEP)
        {
            RECENT.removeFirst();
        }
    }

    public static synchronized List<String> recent()
    {
        return new ArrayList<>(RECENT);
    }
}
