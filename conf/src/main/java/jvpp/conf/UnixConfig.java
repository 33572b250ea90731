package jvpp.conf;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import jvpp.cli.CliProtocol;
import jvpp.core.Jvpp;

/**
 * What startup.conf's {@code unix { }} set: how the daemon ({@link Main}) talks to the world, not what the
 * instance is. {@link UnixSection} fills it while the file is read (it lives in the {@link Jvpp.Context}
 * under {@code UnixConfig.class}); then it is only read.
 *
 * <p>Thread: the one reading the file, then any.
 */
public final class UnixConfig
{
    /** {@code cli-listen} when the file says nothing: the socket jvppctl finds by the same rule. */
    public static final Path CLI_LISTEN_DEFAULT = CliProtocol.defaultSocket();
    /** Where a relative {@code cli-listen} path goes, as VPP puts it under its runtime directory. */
    public static final Path RUNTIME_DIR = CLI_LISTEN_DEFAULT.getParent();

    private boolean interactive;
    private Path cliListen = CLI_LISTEN_DEFAULT;
    private InetSocketAddress cliListenTcp;
    private Path startupConfig;
    private Path log;
    private String gid;

    /** The unix settings of {@code context}: what its file's {@code unix { }} set, or the defaults. */
    public static UnixConfig of(final Jvpp.Context context)
    {
        final UnixConfig unix = context.settings(UnixConfig.class);
        return unix != null ? unix : new UnixConfig();
    }

    /** {@code interactive}: a console on the process's terminal. */
    public boolean interactive()
    {
        return interactive;
    }

    /** {@code cli-listen}: the CLI socket, or null when the CLI is on TCP. */
    public Path cliListen()
    {
        return cliListen;
    }

    /** {@code cli-listen <host>:<port>}: the CLI on TCP there instead of the socket, or null. */
    public InetSocketAddress cliListenTcp()
    {
        return cliListenTcp;
    }

    /** {@code startup-config}: CLI commands to run at boot (resolved against the config's directory), or null. */
    public Path startupConfig()
    {
        return startupConfig;
    }

    /** {@code log}: a file the log is appended to as well, or null. */
    public Path log()
    {
        return log;
    }

    /** {@code gid}: the group (number or name) meant to own the CLI socket, or null. */
    public String gid()
    {
        return gid;
    }

    void interactive(final boolean on)
    {
        interactive = on;
    }

    void cliListen(final Path socket)
    {
        cliListen = socket;
        cliListenTcp = null;
    }

    void cliListenTcp(final InetSocketAddress tcp)
    {
        cliListenTcp = tcp;
        cliListen = null;
    }

    void startupConfig(final Path file)
    {
        startupConfig = file;
    }

    void log(final Path file)
    {
        log = file;
    }

    void gid(final String group)
    {
        gid = group;
    }
}
