package jvpp.conf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jvpp.cli.CliServer;
import jvpp.cli.Console;
import jvpp.core.Jvpp;
import jvpp.core.cli.BuiltinCommands;
import jvpp.core.cli.CliResult;
import jvpp.core.cli.CliScript;
import jvpp.core.config.ConfigException;
import jvpp.core.log.Log;
import jvpp.pmd.dpdk.DpdkBoot;

/**
 * The daemon: {@code jvpp -c <startup.conf>}. Boots in this order, and stops at the first step that fails
 * with a message and exit status 1, releasing whatever it had started:
 *
 * <ol>
 * <li>parse and validate the whole startup.conf (nothing has started yet);</li>
 * <li>open the {@code log} file;</li>
 * <li>create the instance: buffers, plugins, graph (and pin main when {@code main-core} is set);</li>
 * <li>let the plugins bring up what their sections asked for ({@code dpdk { }}: the EAL and its devices);</li>
 * <li>listen on {@code cli-listen};</li>
 * <li>run {@code startup-config} line by line on main; the first failing line names its file and line and
 *     the process exits, never running half-configured (sessions that connected meanwhile wait);</li>
 * <li>open the console when {@code interactive};</li>
 * <li>run the main loop on this thread until SIGTERM/SIGINT (or {@code quit} at the console).</li>
 * </ol>
 *
 * Shutdown stops the main loop, then closes the console, the CLI socket (removing its file) and the instance.
 * jvpp always runs in the foreground ({@code nodaemon} is accepted and changes nothing).
 *
 * <p>Thread: the JVM's main thread, which becomes jvpp's main thread.
 */
public final class Main
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    /** {@link #run} returns it when a signal ended the daemon: the JVM is already shutting down. */
    static final int EXIT_BY_SIGNAL = -1;

    private static final String USAGE = String.join("\n",
        "usage: jvpp -c <startup.conf>      boot the router from a startup.conf",
        "       jvpp <startup.conf text>    the same, with the config on the command line: jvpp unix { interactive }",
        "       jvpp doctor [-c <startup.conf>] [--root <dir>]   what stands between this machine and dpdk { }",
        "       jvpp version                print the version",
        "       jvpp --help                 this text");

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        final int status = run(args, System.out, System.err);
        if (status != EXIT_BY_SIGNAL)
        {
            System.exit(status);
        }
    }

    /** Run as the command {@code jvpp args}; returns the exit status once the daemon has stopped. */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final StartupConfig config;
        try
        {
            if (args.length == 0)
            {
                err.println(USAGE);
                return EXIT_FAILED;
            }
            if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))
            {
                out.println(USAGE);
                return EXIT_OK;
            }
            if (args[0].equals("doctor"))
            {
                return doctor(args, out, err);
            }
            if (args.length == 1 && (args[0].equals("version") || args[0].equals("--version")))
            {
                out.println(BuiltinCommands.version());
                return EXIT_OK;
            }
            if (args[0].equals("-c"))
            {
                if (args.length != 2)
                {
                    err.println(args.length < 2 ? "jvpp: -c needs a file name" : "jvpp: unexpected `" + args[2] + "' after -c <file>");
                    return EXIT_FAILED;
                }
                config = StartupConfigParser.parse(Path.of(args[1]));
            }
            else
            {
                config = StartupConfigParser.parse(String.join(" ", args), "<command line>", null);
            }
        }
        catch (final ConfigException ex)
        {
            err.println(ex.getMessage());
            return EXIT_FAILED;
        }
        return boot(config, out, err);
    }

    /**
     * {@code jvpp doctor [-c startup.conf] [--root <dir>]}: what stands between this machine and the config's
     * {@code dpdk { }} (hugepages, drivers, bindings, IOMMU, MANA/mlx5 specifics), one line each with its fix.
     * Exit 0 when nothing is in the way, 1 otherwise, 2 for bad arguments.
     */
    private static int doctor(final String[] args, final PrintStream out, final PrintStream err)
        throws ConfigException
    {
        StartupConfig config = StartupConfig.defaults();
        String root = "/";
        for (int i = 1; i < args.length; i++)
        {
            if (args[i].equals("-c") && i + 1 < args.length)
            {
                config = StartupConfigParser.parse(Path.of(args[++i]));
            }
            else if (args[i].equals("--root") && i + 1 < args.length)
            {
                root = args[++i];
            }
            else
            {
                err.println("usage: jvpp doctor [-c <startup.conf>] [--root <dir>]");
                return 2;
            }
        }
        return jvpp.pmd.doctor.Doctor.run(root, DpdkBoot.request(config.context()), out);
    }

    private static int boot(final StartupConfig config, final PrintStream out, final PrintStream err)
    {
        final UnixConfig unix = config.unix();
        if (unix.log() != null)
        {
            try
            {
                Log.toFile(unix.log());
            }
            catch (final IOException ex)
            {
                err.println(config.file() + ": log " + unix.log() + ": " + ex.getMessage());
                return EXIT_FAILED;
            }
        }
        final Jvpp vpp;
        try
        {
            vpp = Jvpp.create(config.context());
        }
        catch (final RuntimeException ex)
        {
            err.println("jvpp: " + ex.getMessage());
            return EXIT_FAILED;
        }
        try
        {
            vpp.enterMainThread();
        }
        catch (final RuntimeException ex)
        {
            err.println("jvpp: " + ex.getMessage());
            vpp.close();
            return EXIT_FAILED;
        }
        try
        {
            vpp.startPlugins();
        }
        catch (final RuntimeException ex)
        {
            err.println(config.file() + ": " + ex.getMessage());
            vpp.close();
            return EXIT_FAILED;
        }
        final CliServer cli;
        try
        {
            cli = unix.cliListenTcp() != null ? CliServer.startTcp(vpp, unix.cliListenTcp())
                : CliServer.start(vpp, unix.cliListen(), unix.gid());
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("jvpp: " + ex.getMessage());
            vpp.close();
            return EXIT_FAILED;
        }
        if (unix.cliListenTcp() != null)
        {
            final java.net.InetSocketAddress tcp = unix.cliListenTcp();
            Log.warn("CLI listening on TCP %s:%d%s, without authentication: whoever can connect there controls this "
                + "router (jvppctl -s %s:%d)", tcp.getAddress().getHostAddress(), tcp.getPort(),
                tcp.getAddress().isAnyLocalAddress() ? " (every address of this host)" : "", tcp.getHostString(),
                tcp.getPort());
        }
        else
        {
            Log.info("CLI listening on %s (jvppctl -s %s)", cli.address(), cli.address());
        }
        if (unix.startupConfig() != null)
        {
            final String failure = runStartupConfig(vpp, unix.startupConfig(), out);
            if (failure != null)
            {
                err.println(failure);
                cli.close();
                vpp.close();
                return EXIT_FAILED;
            }
        }
        vpp.startWorkers();
        Console console = null;
        if (unix.interactive())
        {
            try
            {
                console = Console.start(vpp, () -> vpp.main().stop());
            }
            catch (final IOException ex)
            {
                err.println("jvpp: interactive: " + ex.getMessage());
                cli.close();
                vpp.close();
                return EXIT_FAILED;
            }
        }
        return runMainLoop(vpp, cli, console);
    }

    /** Run the main loop until a signal or the console ends it, then release everything on this thread. */
    private static int runMainLoop(final Jvpp vpp, final CliServer cli, final Console console)
    {
        final CountDownLatch released = new CountDownLatch(1);
        final boolean[] bySignal = new boolean[1];
        final Thread hook = new Thread(() ->
        {
            synchronized (bySignal)
            {
                bySignal[0] = true;
            }
            vpp.main().stop();
            try
            {
                // main releases the ports and the socket; the JVM must not halt before it has
                released.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "jvpp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            vpp.main().run();
        }
        finally
        {
            Log.info("shutting down");
            if (console != null)
            {
                console.close();
            }
            cli.close();
            vpp.close();
            released.countDown();
        }
        synchronized (bySignal)
        {
            return bySignal[0] ? EXIT_BY_SIGNAL : EXIT_OK;
        }
    }

    /**
     * Run a startup-config file on main before the main loop starts, as {@code exec} does; null when every
     * line succeeded, else {@code <file>:<line>: <error>} for the first that failed.
     */
    static String runStartupConfig(final Jvpp vpp, final Path file, final PrintStream out)
    {
        final List<CliScript.Line> lines;
        try
        {
            lines = CliScript.read(file);
        }
        catch (final IOException ex)
        {
            return file + ": cannot read: " + ex.getMessage();
        }
        for (final CliScript.Line line : lines)
        {
            final CliResult r = vpp.execute(line.text());
            final String output = r.output();
            if (r.ok())
            {
                out.print(output);
                continue;
            }
            final String stripped = output.strip();
            final int lastLine = stripped.lastIndexOf('\n');
            out.print(lastLine < 0 ? "" : stripped.substring(0, lastLine + 1));
            out.flush();
            return file + ":" + line.number() + ": " + (lastLine < 0 ? stripped : stripped.substring(lastLine + 1));
        }
        out.flush();
        return null;
    }
}
