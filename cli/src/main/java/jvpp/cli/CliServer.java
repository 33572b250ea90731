package jvpp.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliResult;
import jvpp.core.log.Log;

/**
 * The daemon's CLI socket ({@code unix { cli-listen <path> }}): accepts {@code jvppctl} sessions on an
 * AF_UNIX stream socket (mode 0660, group {@code unix { gid }}) and answers their requests (see {@link
 * CliProtocol}). With {@code cli-listen <host>:<port>} it listens on TCP there instead, as VPP does.
 *
 * <p>Session threads only move bytes: every request is handed to main through {@link
 * jvpp.core.thread.MainConductor#submit}, so a command runs between two graph loops exactly as one typed at
 * the console, and one session's command never runs concurrently with another's.
 *
 * <p>Thread: {@link #start} and {@link #close} from any thread (the daemon calls them on main); an acceptor
 * thread {@code jvpp-cli-0} and one thread per session {@code jvpp-cli-<n>}, all daemon threads.
 */
public final class CliServer implements AutoCloseable
{
    private static final long POLL_MILLIS = 200;
    /** The size of sun_path, terminating NUL included. */
    private static final int MAX_SOCKET_PATH = 108;
    private static final AtomicInteger STAGING = new AtomicInteger();

    private final Jvpp vpp;
    /** The Unix socket's path, or null on TCP. */
    private final Path socketPath;
    /** What the log and errors call it: the path, or {@code tcp:<host>:<port>}. */
    private final String address;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessionCount = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private CliServer(final Jvpp vpp, final Path socketPath, final String address, final ServerSocketChannel server)
    {
        this.vpp = vpp;
        this.socketPath = socketPath;
        this.address = address;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "jvpp-cli-0");
        acceptor.setDaemon(true);
    }

    /** {@link #start(Jvpp, Path, String)} with the daemon's own group. */
    public static CliServer start(final Jvpp vpp, final Path socketPath) throws IOException
    {
        return start(vpp, socketPath, null);
    }

    /**
     * Listen on {@code socketPath}: create its directory, replace a stale socket file left by a daemon that
     * died, refuse when another daemon is live on it, and make the socket mode 0660, its group {@code gid}
     * ({@code unix { gid }}: a name or number; null keeps the daemon's): only the owner (root) and that group
     * may connect.
     */
    public static CliServer start(final Jvpp vpp, final Path socketPath, final String gid) throws IOException
    {
        final Path path = socketPath.toAbsolutePath();
        if (path.getParent() != null)
        {
            Files.createDirectories(path.getParent());
        }
        removeStaleSocket(path);
        final GroupPrincipal group = gid == null ? null : group(path, gid);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            bindWithMode(server, path, group);
        }
        catch (final IOException | RuntimeException ex)
        {
            server.close();
            throw new IOException("cli-listen " + path + ": " + ex.getMessage(), ex);
        }
        final CliServer s = new CliServer(vpp, path, path.toString(), server);
        s.acceptor.start();
        return s;
    }

    /**
     * Listen on TCP at {@code address} ({@code cli-listen <host>:<port>}), bound there and nowhere else. There is
     * no authentication on it: whoever reaches the port controls the router (the daemon warns at boot).
     */
    public static CliServer startTcp(final Jvpp vpp, final InetSocketAddress address) throws IOException
    {
        final String name = "tcp:" + address.getHostString() + ":" + address.getPort();
        if (address.isUnresolved())
        {
            throw new IOException("cli-listen " + name + ": unknown host");
        }
        // The address's own family: an IPv4 address on a dual-stack socket would show as ::ffff:a.b.c.d.
        final ServerSocketChannel server = ServerSocketChannel.open(address.getAddress() instanceof java.net.Inet4Address
            ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try
        {
            server.bind(address);
        }
        catch (final IOException | RuntimeException ex)
        {
            server.close();
            throw new IOException("cli-listen " + name + ": " + ex.getMessage(), ex);
        }
        final CliServer s = new CliServer(vpp, null, name, server);
        s.acceptor.start();
        return s;
    }

    private static GroupPrincipal group(final Path path, final String gid) throws IOException
    {
        try
        {
            return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(gid);
        }
        catch (final UserPrincipalNotFoundException ex)
        {
            throw new IOException("unix { gid " + gid + " }: no such group");
        }
    }

    /**
     * Bind so that the socket appears at {@code path} already mode 0660: bind inside a private (0700)
     * directory next to it, set the mode, then rename it into place. Binding at {@code path} directly would
     * leave it connectable with the umask's mode until the chmod.
     */
    private static void bindWithMode(final ServerSocketChannel server, final Path path, final GroupPrincipal group)
        throws IOException
    {
        final Path staging = path.resolveSibling(
            ".jvpp-cli." + ProcessHandle.current().pid() + "." + STAGING.incrementAndGet());
        final Path staged = staging.resolve("s");
        if (staged.toString().getBytes(StandardCharsets.UTF_8).length >= MAX_SOCKET_PATH)
        {
            // too long for sun_path: bind in place and close the window right after
            server.bind(UnixDomainSocketAddress.of(path));
            setMode(path, group);
            return;
        }
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try
        {
            server.bind(UnixDomainSocketAddress.of(staged));
            setMode(staged, group);
            Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE);
        }
        finally
        {
            Files.deleteIfExists(staged);
            Files.deleteIfExists(staging);
        }
    }

    private static void setMode(final Path path, final GroupPrincipal group) throws IOException
    {
        if (group != null)
        {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
    }

    private static void removeStaleSocket(final Path path) throws IOException
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IOException("cli-listen " + path + ": exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            probe.connect(UnixDomainSocketAddress.of(path));
        }
        catch (final IOException deadDaemon)
        {
            // nobody answers: the file is left over from a daemon that did not close; bind in its place
            Files.deleteIfExists(path);
            return;
        }
        throw new IOException("cli-listen " + path + ": another jvpp is already listening");
    }

    /** The absolute path of the socket, or null on TCP. */
    public Path socketPath()
    {
        return socketPath;
    }

    /** Where it listens, for the log and for {@code jvppctl -s}: the socket path, or {@code tcp:<host>:<port>}. */
    public String address()
    {
        return address;
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
            }
            catch (final ClosedChannelException ex)
            {
                return;
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    Log.warn("cli-listen %s: accept: %s", address, ex.getMessage());
                }
                return;
            }
            sessions.add(channel);
            if (closed)
            {
                closeQuietly(channel);
                return;
            }
            final Thread t = new Thread(() -> session(channel), "jvpp-cli-" + sessionCount.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void session(final SocketChannel channel)
    {
        try
        {
            final DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            while (!closed)
            {
                final CliProtocol.Frame request = CliProtocol.read(in);
                if (request == null)
                {
                    return;
                }
                final CliReply reply = answer(request);
                CliProtocol.write(out, reply.status(), reply.output());
                if (reply.quit())
                {
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            // the client went away, or we are closing: either way this session is over
        }
        finally
        {
            sessions.remove(channel);
            closeQuietly(channel);
        }
    }

    private CliReply answer(final CliProtocol.Frame request) throws IOException
    {
        final String text = request.text();
        try
        {
            switch (request.type())
            {
                case CliProtocol.EXECUTE:
                {
                    final CliResult r = await(vpp.main().execute(text));
                    return CliReply.of(r);
                }
                case CliProtocol.COMPLETE:
                {
                    final List<String> candidates = await(vpp.main().submit(() -> vpp.cli().complete(text)));
                    return new CliReply(CliProtocol.STATUS_OK, String.join("\n", candidates));
                }
                case CliProtocol.HELP:
                {
                    final String help = await(vpp.main().submit(() -> vpp.cli().help(text)));
                    return new CliReply(CliProtocol.STATUS_OK, help);
                }
                default:
                    return new CliReply(CliProtocol.STATUS_FAILED, "unknown request type " + (request.type() & 0xff) + "\n");
            }
        }
        catch (final ExecutionException ex)
        {
            return new CliReply(CliProtocol.STATUS_FAILED, "internal error: " + ex.getCause() + "\n");
        }
    }

    /** Wait for main to answer, giving up when the server closes (main may have stopped for good). */
    private <T> T await(final CompletableFuture<T> f) throws IOException, ExecutionException
    {
        while (true)
        {
            try
            {
                return f.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException ex)
            {
                if (closed)
                {
                    throw new IOException("CLI server closed");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    /** Stop accepting, end every session and remove the socket file. Idempotent. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (final SocketChannel s : sessions)
        {
            closeQuietly(s);
        }
        try
        {
            acceptor.join(1000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (socketPath == null)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(socketPath);
        }
        catch (final IOException ex)
        {
            Log.warn("cli-listen %s: cannot remove socket file: %s", socketPath, ex.getMessage());
        }
    }

    private static void closeQuietly(final Channel c)
    {
        try
        {
            c.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }
}
