package jvpp.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The CLI socket's wire format, shared by {@link CliServer} and {@link CliClient}. Every message, either
 * way, is one frame: a type byte, a 4-byte big-endian length, then that many bytes of UTF-8 text.
 *
 * <p>Requests carry {@link #EXECUTE}, {@link #COMPLETE} or {@link #HELP}; responses carry a status,
 * {@link #STATUS_OK}, {@link #STATUS_FAILED} or {@link #STATUS_QUIT}. A connection carries any number of
 * request/response pairs, strictly one at a time. See cli/README.md.
 *
 * <p>Thread: any; a stream is used by one thread at a time.
 */
public final class CliProtocol
{
    /** Request: run the text as one command line. */
    public static final byte EXECUTE = 'X';
    /** Request: completion candidates for the last word of the text, answered one per line. */
    public static final byte COMPLETE = 'C';
    /** Request: what {@code ?} prints after the text. */
    public static final byte HELP = 'H';

    public static final byte STATUS_OK = 0;
    public static final byte STATUS_FAILED = 1;
    /** The command succeeded and asked for the session to end; the server closes it after this answer. */
    public static final byte STATUS_QUIT = 2;

    /** Largest text a frame may carry; a guard against a peer that is not speaking this protocol. */
    public static final int MAX_TEXT_BYTES = 64 << 20;

    /** VPP's place for the socket; root's default. */
    public static final String DEFAULT_SOCKET = "/run/jvpp/cli.sock";
    public static final String SOCKET_ENV = "JVPP_CLI_SOCKET";

    /**
     * The address {@code target} names: {@code <host>:<port>} (no slash, a colon; IPv6 as {@code [addr]:port})
     * is TCP, anything else a Unix socket path.
     *
     * @throws IllegalArgumentException for a port that is not 1-65535
     */
    public static java.net.SocketAddress address(final String target)
    {
        final int colon = target.lastIndexOf(':');
        if (target.indexOf('/') >= 0 || colon <= 0)
        {
            return java.net.UnixDomainSocketAddress.of(target);
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(target.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("`" + target + "': expected <host>:<port> or a socket path");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("`" + target + "': port out of range (1-65535)");
        }
        return new java.net.InetSocketAddress(host, port);
    }

    /**
     * Where the daemon listens and jvppctl connects when nothing says otherwise: {@value #DEFAULT_SOCKET} for
     * root; for anyone else, who cannot write /run, {@code $XDG_RUNTIME_DIR/jvpp/cli.sock} or
     * {@code /tmp/jvpp-<uid>/cli.sock}. The daemon and jvppctl apply the same rule, so they meet.
     */
    public static java.nio.file.Path defaultSocket()
    {
        if (jvpp.core.sys.LibC.isRoot())
        {
            return java.nio.file.Path.of(DEFAULT_SOCKET);
        }
        final String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty())
        {
            return java.nio.file.Path.of(xdg, "jvpp", "cli.sock");
        }
        return java.nio.file.Path.of("/tmp", "jvpp-" + jvpp.core.sys.LibC.geteuid(), "cli.sock");
    }

    /** One frame: a request type or a response status, and its text. */
    public record Frame(byte type, String text)
    {
    }

    private CliProtocol()
    {
    }

    /** Write one frame and flush it. */
    public static void write(final DataOutputStream out, final byte type, final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeByte(type);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** Read one frame; null when the peer closed the connection cleanly between frames. */
    public static Frame read(final DataInputStream in) throws IOException
    {
        final int type = in.read();
        if (type < 0)
        {
            return null;
        }
        final int length;
        try
        {
            length = in.readInt();
        }
        catch (final EOFException ex)
        {
            throw new EOFException("connection closed inside a frame header");
        }
        if (length < 0 || length > MAX_TEXT_BYTES)
        {
            throw new IOException("bad frame length " + length + " (not a jvpp CLI peer?)");
        }
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new Frame((byte)type, new String(bytes, StandardCharsets.UTF_8));
    }
}
