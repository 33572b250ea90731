package jvpp.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import jvpp.core.Jvpp;
import jvpp.core.log.Log;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The daemon's own console ({@code unix { interactive }}): a {@code jvpp# } line editor on the process's
 * terminal whose commands run on main like any CLI session's. {@code quit}, {@code exit} or end of input
 * end the daemon, as they do VPP in interactive mode.
 *
 * <p>Thread: {@link #start} and {@link #close} from any thread; the editor runs on its own daemon thread
 * {@code jvpp-console}.
 */
public final class Console implements AutoCloseable
{
    private final Terminal terminal;
    private final Thread thread;
    private volatile boolean closed;

    private Console(final Jvpp vpp, final Terminal terminal, final Runnable onQuit)
    {
        this.terminal = terminal;
        final Repl repl = new Repl(terminal, new LocalBackend(vpp), null);
        this.thread = new Thread(() -> loop(repl, onQuit), "jvpp-console");
        thread.setDaemon(true);
    }

    /** Open the console on the process's terminal (a plain line reader on stdin when it is not a terminal). */
    public static Console start(final Jvpp vpp, final Runnable onQuit) throws IOException
    {
        final Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build();
        final Console c = new Console(vpp, terminal, onQuit);
        c.thread.start();
        return c;
    }

    private void loop(final Repl repl, final Runnable onQuit)
    {
        try
        {
            repl.run();
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closed)
            {
                Log.error("console: %s", ex);
            }
        }
        if (!closed)
        {
            onQuit.run();
        }
    }

    /** Stop reading and give the terminal back as it was. */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            terminal.close();
        }
        catch (final IOException ignore)
        {
            // the process is ending
        }
    }

    private static final class LocalBackend implements CliBackend
    {
        private final Jvpp vpp;

        LocalBackend(final Jvpp vpp)
        {
            this.vpp = vpp;
        }

        @Override
        public CliReply execute(final String line) throws IOException
        {
            return CliReply.of(await(vpp.main().execute(line)));
        }

        @Override
        public List<String> complete(final String partial) throws IOException
        {
            return await(vpp.main().submit(() -> vpp.cli().complete(partial)));
        }

        @Override
        public String help(final String partial) throws IOException
        {
            return await(vpp.main().submit(() -> vpp.cli().help(partial)));
        }

        private static <T> T await(final CompletableFuture<T> f) throws IOException
        {
            try
            {
                return f.get();
            }
            catch (final ExecutionException ex)
            {
                throw new IOException(ex.getCause());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }
}
