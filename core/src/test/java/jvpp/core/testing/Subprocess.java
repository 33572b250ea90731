package jvpp.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started (a host command, a background ping, a jvpp daemon, a script), with its stdout and
 * stderr each drained by a thread of its own into memory while it runs, or written straight into files: a
 * child that prints more than a pipe holds (64 KiB) never blocks, and {@link #await} always returns by its
 * timeout. When the time runs out, and on {@link #close()}, the process and the processes it started are
 * killed, each by its PID: only what this one started, never anything found by name.
 *
 * <p>Any thread may call it; a test usually starts it, waits for it, and closes it in {@code @AfterEach} or
 * try-with-resources. {@link Commands#run} is the one-shot form.
 */
public final class Subprocess implements AutoCloseable
{
    /** The files of {@link #start(Map, List, Path)}'s output directory. */
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";

    /** How long output may keep coming once the process is gone (or killed) before what there is is returned. */
    private static final long DRAIN_GRACE_MS = 2_000;

    private final String command;
    private final Process process;
    private final Output stdout;
    private final Output stderr;

    private Subprocess(final String command, final Process process, final Path outputDir)
    {
        this.command = command;
        this.process = process;
        if (outputDir == null)
        {
            this.stdout = new Drain(process.getInputStream(), "subprocess-" + process.pid() + "-stdout");
            this.stderr = new Drain(process.getErrorStream(), "subprocess-" + process.pid() + "-stderr");
        }
        else
        {
            this.stdout = new FileOutput(outputDir.resolve(STDOUT));
            this.stderr = new FileOutput(outputDir.resolve(STDERR));
        }
    }

    /** Start {@code command}. */
    public static Subprocess start(final String... command)
    {
        return start(Map.of(), List.of(command), null);
    }

    /**
     * Start {@code command} with {@code env} added to this JVM's environment; its output goes into files
     * {@code stdout} and {@code stderr} of {@code outputDir} (for a daemon whose log should outlive it), or into
     * memory when that is null.
     *
     * @throws UncheckedIOException when it cannot be started (no such program), naming it
     */
    public static Subprocess start(final Map<String, String> env, final List<String> command, final Path outputDir)
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (outputDir != null)
        {
            builder.redirectOutput(outputDir.resolve(STDOUT).toFile()).redirectError(outputDir.resolve(STDERR).toFile());
        }
        final String line = String.join(" ", command);
        try
        {
            return new Subprocess(line, builder.start(), outputDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + line, ex);
        }
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** What it printed on stdout so far. */
    public String stdout()
    {
        return stdout.text();
    }

    /** What it printed on stderr so far. */
    public String stderr()
    {
        return stderr.text();
    }

    /**
     * Wait up to {@code timeout} for it to exit and its output to end. When it has not exited by then it is
     * killed with what it started, and the result says {@link Commands.Result#timedOut()} with status -1.
     */
    public Commands.Result await(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS))
        {
            kill();
            drained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_GRACE_MS));
            return new Commands.Result(-1, stdout(), stderr() + "timed out after " + timeout.toMillis() + " ms: "
                + command + "\n", true);
        }
        // A descendant it left running may hold the pipes open: wait for the end of the output within the
        // time left, no longer.
        drained(Math.max(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)));
        return new Commands.Result(process.exitValue(), stdout(), stderr(), false);
    }

    /** SIGTERM (let it clean up), then {@link #await} it. */
    public Commands.Result terminate(final Duration timeout) throws InterruptedException
    {
        process.destroy();
        return await(timeout);
    }

    /** Kill it and what it started, if still running; then collect what is left of its output. */
    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
        drained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_GRACE_MS));
    }

    private void kill() throws InterruptedException
    {
        // Its descendants are known only while it lives (they are re-parented once it dies): take them first.
        final List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        for (final ProcessHandle p : descendants)
        {
            p.destroyForcibly();
        }
        process.waitFor(DRAIN_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private void drained(final long deadlineNanos) throws InterruptedException
    {
        stdout.join(deadlineNanos);
        stderr.join(deadlineNanos);
    }

    /** Where one of its streams goes. */
    private interface Output
    {
        /** What it printed so far. */
        String text();

        /** Wait until the stream has ended, or the deadline. */
        void join(long deadlineNanos) throws InterruptedException;
    }

    /** A stream the kernel writes into a file: nothing to drain. */
    private record FileOutput(Path file) implements Output
    {
        @Override
        public String text()
        {
            try
            {
                return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void join(final long deadlineNanos)
        {
        }
    }

    /** A pipe copied into memory by a daemon thread until its end. */
    private static final class Drain implements Runnable, Output
    {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(final InputStream in, final String name)
        {
            this.in = in;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run()
        {
            final byte[] chunk = new byte[8192];
            try (in)
            {
                int n;
                while ((n = in.read(chunk)) >= 0)
                {
                    synchronized (bytes)
                    {
                        bytes.write(chunk, 0, n);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the stream was closed under us: what was read is kept
            }
        }

        @Override
        public String text()
        {
            synchronized (bytes)
            {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void join(final long deadlineNanos) throws InterruptedException
        {
            final long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (millis > 0)
            {
                thread.join(millis);
            }
        }
    }
}
