package jvpp.conf;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import jvpp.cli.CliProtocol;
import jvpp.core.Jvpp;
import jvpp.core.config.ConfigCursor;
import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.core.config.ConfigSection;

/**
 * startup.conf's {@code unix { }}, owned by conf since it configures the daemon: {@code nodaemon},
 * {@code interactive}, {@code cli-listen <socket>|<host>:<port>}, {@code startup-config <file>},
 * {@code log <file>}, {@code gid <group>}, into {@link UnixConfig}.
 *
 * <p>Thread: the one reading the file.
 */
final class UnixSection implements ConfigSection
{
    @Override
    public String name()
    {
        return "unix";
    }

    @Override
    public void read(final ConfigCursor in, final Jvpp.Context context) throws ConfigException
    {
        // A later unix { } adds to what an earlier one set.
        final UnixConfig unix = UnixConfig.of(context);
        context.settings(UnixConfig.class, unix);
        for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
        {
            switch (key.word())
            {
                case "nodaemon":
                    // jvpp always runs in the foreground; accepted so that VPP configs need no edit
                    break;
                case "interactive":
                    unix.interactive(true);
                    break;
                case "cli-listen":
                    cliListen(in, key, in.value(key, "a socket path or <host>:<port>"), unix);
                    break;
                case "startup-config":
                    unix.startupConfig(startupConfig(in, key, in.value(key, "a file name")));
                    break;
                case "log":
                    unix.log(path(in, key, "log", in.value(key, "a file name")));
                    break;
                case "gid":
                    unix.gid(gid(in, key, in.value(key, "a group id or name")));
                    break;
                default:
                    throw in.unknown(key);
            }
        }
    }

    /** A socket path, or (as VPP) {@code <host>:<port>} for TCP, bound only there. */
    private static void cliListen(final ConfigCursor in, final ConfigItem key, final String value, final UnixConfig unix)
        throws ConfigException
    {
        final SocketAddress address;
        try
        {
            address = CliProtocol.address(value);
        }
        catch (final InvalidPathException ex)
        {
            throw in.error(key, "cli-listen: not a valid path: " + ex.getReason());
        }
        catch (final IllegalArgumentException ex)
        {
            throw in.error(key, "cli-listen: " + ex.getMessage());
        }
        if (address instanceof InetSocketAddress tcp)
        {
            if (tcp.isUnresolved())
            {
                throw in.error(key, "cli-listen: unknown host `" + tcp.getHostString() + "'");
            }
            unix.cliListenTcp(tcp);
            return;
        }
        final Path p = path(in, key, "cli-listen", value);
        unix.cliListen(p.isAbsolute() ? p : UnixConfig.RUNTIME_DIR.resolve(p));
    }

    /** {@code value} as a path; a name the file system cannot have (a NUL in it) is the config's error. */
    private static Path path(final ConfigCursor in, final ConfigItem key, final String what, final String value)
        throws ConfigException
    {
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw in.error(key, what + ": not a valid path: " + ex.getReason());
        }
    }

    private static Path startupConfig(final ConfigCursor in, final ConfigItem key, final String value)
        throws ConfigException
    {
        final Path resolved = in.resolve(path(in, key, "startup-config", value));
        if (!Files.isRegularFile(resolved) || !Files.isReadable(resolved))
        {
            throw in.error(key, "startup-config: cannot read `" + resolved + "'");
        }
        return resolved;
    }

    private static String gid(final ConfigCursor in, final ConfigItem key, final String value) throws ConfigException
    {
        if (!value.matches("[0-9]+|[a-z_][a-z0-9_.-]*\\$?"))
        {
            throw in.error(key, "gid: expected a group id or name, got `" + value + "'");
        }
        return value;
    }
}
