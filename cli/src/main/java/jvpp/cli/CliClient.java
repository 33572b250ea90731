package jvpp.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to a daemon's CLI socket: send command lines, completion and help requests, one at a time.
 * Used by {@code jvppctl} and by tests that drive a running daemon.
 *
 * <p>Thread: one thread at a time.
 */
public final class CliClient implements CliBackend, AutoCloseable
{
    private final Path socketPath;
    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;

    private CliClient(final Path socketPath, final SocketChannel channel)
    {
        this.socketPath = socketPath;
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
    }

    /** Connect to the daemon listening on {@code socketPath}; fails when none is. */
    public static CliClient connect(final Path socketPath) throws IOException
    {
        return connect(UnixDomainSocketAddress.of(socketPath));
    }

    /** Connect to the daemon listening on {@code address} (a Unix socket, or TCP with {@code cli-listen host:port}). */
    public static CliClient connect(final java.net.SocketAddress address) throws IOException
    {
        final SocketChannel channel = address instanceof UnixDomainSocketAddress
            ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try
        {
            channel.connect(address);
            return new CliClient(address instanceof UnixDomainSocketAddress u ? u.getPath() : null, channel);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** The Unix socket's path, or null on TCP. */
    public Path socketPath()
    {
        return socketPath;
    }

    /** Run one command line on the daemon's main thread. */
    @Override
    public CliReply execute(final String line) throws IOException
    {
        final CliProtocol.Frame f = request(CliProtocol.EXECUTE, line);
        return new CliReply(f.type(), f.text());
    }

    /** Candidates for the last word of {@code partial}. */
    @Override
    public List<String> complete(final String partial) throws IOException
    {
        final String text = request(CliProtocol.COMPLETE, partial).text();
        final List<String> out = new ArrayList<>();
        for (final String s : text.split("\n"))
        {
            if (!s.isEmpty())
            {
                out.add(s);
            }
        }
        return out;
    }

    /** What {@code ?} prints after {@code partial}. */
    @Override
    public String help(final String partial) throws IOException
    {
        return request(CliProtocol.HELP, partial).text();
    }

    private CliProtocol.Frame request(final byte type, final String text) throws IOException
    {
        CliProtocol.write(out, type, text);
        final CliProtocol.Frame f = CliProtocol.read(in);
        if (f == null)
        {
            throw new IOException("the daemon closed the connection");
        }
        return f;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
