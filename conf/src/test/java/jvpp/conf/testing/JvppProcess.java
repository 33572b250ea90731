package jvpp.conf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jvpp.cli.JvppCtl;
import jvpp.core.testing.Commands;
import jvpp.core.testing.Subprocess;

/**
 * A jvpp daemon in a child JVM, started the way bin/jvpp starts it ({@code jvpp.conf.Main -c <conf>}), with
 * its stdout and stderr in files of a test directory (a {@link Subprocess}). Ends only the process it started,
 * by PID.
 */
public final class JvppProcess implements AutoCloseable
{
    public static final long TIMEOUT_MS = 30_000;

    private static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MS);

    private final Subprocess process;

    private JvppProcess(final Subprocess process)
    {
        this.process = process;
    }

    /** Start {@code jvpp -c conf}; output goes to {@code dir/stdout} and {@code dir/stderr}. */
    public static JvppProcess start(final Path conf, final Path dir) throws IOException
    {
        return start(conf, dir, List.of());
    }

    /**
     * Start {@code jvpp -c conf} under {@code wrapper} (e.g. {@code setpriv --bounding-set=-all}: the command
     * line that runs java); output goes to {@code dir/stdout} and {@code dir/stderr}.
     */
    public static JvppProcess start(final Path conf, final Path dir, final List<String> wrapper) throws IOException
    {
        final List<String> cmd = new java.util.ArrayList<>(wrapper);
        cmd.addAll(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            "jvpp.conf.Main", "-c", conf.toString()));
        try
        {
            return new JvppProcess(Subprocess.start(Map.of(), cmd, dir));
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }

    /**
     * Boot a jvpp whose startup-config is {@code cliLines} (written to {@code dir/setup.cli}, each line ended),
     * listening on {@code socket}, with a small 4k-page buffer pool; returns once the startup config has run.
     */
    public static JvppProcess startWithCli(final Path dir, final Path socket, final String... cliLines)
        throws Exception
    {
        return startWithSections(dir, socket, "", cliLines);
    }

    /** {@link #startWithCli}, with {@code sections} (e.g. a {@code cpu { }} section) added to its startup.conf. */
    public static JvppProcess startWithSections(final Path dir, final Path socket, final String sections,
        final String... cliLines) throws Exception
    {
        Files.writeString(dir.resolve("setup.cli"), String.join("\n", cliLines) + "\n");
        final Path conf = dir.resolve("router.conf");
        Files.writeString(conf, "unix { cli-listen " + socket + " startup-config setup.cli }\n"
            + "buffers { buffers-per-numa 4096 page-size 4k }\n" + sections);
        final JvppProcess jvpp = start(conf, dir);
        jvpp.awaitReady(socket);
        return jvpp;
    }

    /** The daemon's process: its PID, whether it is alive. */
    public Subprocess process()
    {
        return process;
    }

    /** What the daemon printed on stdout so far. */
    public String stdout()
    {
        return process.stdout();
    }

    /** What the daemon printed on stderr so far. */
    public String stderr()
    {
        return process.stderr();
    }

    /** Wait until the daemon's CLI socket exists; fails if the daemon exits or the time runs out. */
    public void awaitSocket(final Path socket) throws Exception
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!Files.exists(socket))
        {
            if (!process.isAlive())
            {
                throw new AssertionError("jvpp exited with " + process.await(TIMEOUT).status() + ": " + stderr());
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("no socket after " + TIMEOUT_MS + " ms: " + stderr());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Wait until the daemon has booted: its socket exists and it answers a command. The socket appears
     * before the startup-config runs; commands queue until the main loop starts, after it.
     */
    public void awaitReady(final Path socket) throws Exception
    {
        awaitSocket(socket);
        final Ctl r = ctl(socket, "show", "version");
        if (r.status() != 0)
        {
            throw new AssertionError("jvpp does not answer: " + r.out() + r.err() + "\n" + stderr());
        }
    }

    /** Wait for the daemon to exit; returns its exit code. */
    public int awaitExit() throws InterruptedException
    {
        return exitCode(process.await(TIMEOUT));
    }

    /** SIGTERM, then wait; returns the exit code. */
    public int terminate() throws InterruptedException
    {
        return exitCode(process.terminate(TIMEOUT));
    }

    private int exitCode(final Commands.Result exit)
    {
        if (exit.timedOut())
        {
            throw new AssertionError("jvpp did not exit within " + TIMEOUT_MS + " ms (killed): " + stderr());
        }
        return exit.status();
    }

    /** What one jvppctl invocation printed and its exit status. */
    public record Ctl(int status, String out, String err)
    {
    }

    /** Run {@code jvppctl -s socket words...} in this JVM. */
    public static Ctl ctl(final Path socket, final String... words)
    {
        return ctl(socket.toString(), words);
    }

    /** Run {@code jvppctl -s target words...} in this JVM: a socket path or {@code <host>:<port>}. */
    public static Ctl ctl(final String target, final String... words)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] args = new String[words.length + 2];
        args[0] = "-s";
        args[1] = target;
        System.arraycopy(words, 0, args, 2, words.length);
        final int status = JvppCtl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ctl(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException
    {
        process.close();
    }
}
