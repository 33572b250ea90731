package jvpp.pmd.netlink;

import com.sun.jna.LastErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One {@code AF_NETLINK/NETLINK_ROUTE} socket and the native buffers it sends from and receives into.
 * The socket belongs to the network namespace of the thread that opened it, for its whole life, whichever
 * thread uses it later.
 *
 * <p>The send and receive buffers are netty {@link ByteBuf}s, allocated once per socket and freed by
 * {@link #close}: {@link NetlinkEncoder} writes requests into one, {@link NetlinkReader} and
 * {@link RtAttrReader} read replies out of the other, and the native calls take their memory addresses.
 * Netlink is in host byte order; those classes use ByteBuf's little-endian accessors, so a socket refuses to
 * open on a big-endian host rather than send the kernel garbage.
 *
 * <p>Thread: one thread at a time (the buffers are not shared); {@link #close} from the thread using it.
 */
final class NetlinkSocket implements AutoCloseable
{
    static final int SOCKADDR_NL_LENGTH = 12;

    private static final int SEND_CAPACITY = 8192;
    private static final int RECV_CAPACITY = 65536;

    private final int fd;
    private final ByteBuf sendBuffer = Unpooled.directBuffer(SEND_CAPACITY, SEND_CAPACITY);
    private final ByteBuf recvBuffer = Unpooled.directBuffer(RECV_CAPACITY, RECV_CAPACITY);
    /** sockaddr_nl, timeval and int option values handed to bind and setsockopt. */
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()));
    private boolean closed;

    private NetlinkSocket(final int fd)
    {
        this.fd = fd;
    }

    /**
     * Open and bind a socket in the calling thread's network namespace.
     *
     * @param groups        multicast groups to join (RTMGRP_* bits), 0 for a request socket
     * @param recvTimeoutMs SO_RCVTIMEO, 0 for none (block)
     * @param recvBufBytes  SO_RCVBUF, 0 for the kernel's default
     */
    static NetlinkSocket open(final int groups, final int recvTimeoutMs, final int recvBufBytes)
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new UnsupportedOperationException("netlink: messages are encoded little-endian, this host is "
                + ByteOrder.nativeOrder());
        }
        final int fd;
        try
        {
            fd = NetlinkLibC.socket(NetlinkLibC.AF_NETLINK, NetlinkLibC.SOCK_RAW | NetlinkLibC.SOCK_CLOEXEC,
                NetlinkLibC.NETLINK_ROUTE);
        }
        catch (final LastErrorException ex)
        {
            throw new NetlinkException("netlink", "open socket", ex.getErrorCode());
        }
        final NetlinkSocket socket = new NetlinkSocket(fd);
        try
        {
            socket.setIntOption(NetlinkLibC.SOL_NETLINK, NetlinkLibC.NETLINK_EXT_ACK, 1, true);
            socket.setIntOption(NetlinkLibC.SOL_NETLINK, NetlinkLibC.NETLINK_CAP_ACK, 1, true);
            if (recvBufBytes > 0)
            {
                socket.setIntOption(NetlinkLibC.SOL_SOCKET, NetlinkLibC.SO_RCVBUF, recvBufBytes, false);
            }
            if (recvTimeoutMs > 0)
            {
                final UnsafeBuffer tv = socket.scratch;
                tv.putLong(0, recvTimeoutMs / 1000);
                tv.putLong(8, (recvTimeoutMs % 1000) * 1000L);
                try
                {
                    NetlinkLibC.setsockopt(fd, NetlinkLibC.SOL_SOCKET, NetlinkLibC.SO_RCVTIMEO, tv.addressOffset(), 16);
                }
                catch (final LastErrorException ex)
                {
                    throw new NetlinkException("netlink", "set receive timeout", ex.getErrorCode());
                }
            }
            final UnsafeBuffer sa = socket.scratch;
            sa.setMemory(0, 16, (byte)0);
            sa.putShort(0, (short)NetlinkLibC.AF_NETLINK);
            sa.putInt(8, groups);
            try
            {
                NetlinkLibC.bind(fd, sa.addressOffset(), SOCKADDR_NL_LENGTH);
            }
            catch (final LastErrorException ex)
            {
                throw new NetlinkException("netlink", "bind socket", ex.getErrorCode());
            }
            return socket;
        }
        catch (final RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    private void setIntOption(final int level, final int name, final int value, final boolean optional)
    {
        scratch.putInt(0, value);
        try
        {
            NetlinkLibC.setsockopt(fd, level, name, scratch.addressOffset(), 4);
        }
        catch (final LastErrorException ex)
        {
            if (!optional)
            {
                throw new NetlinkException("netlink", "setsockopt " + level + "/" + name, ex.getErrorCode());
            }
        }
    }

    /** Where {@link NetlinkEncoder} writes the next request. */
    ByteBuf sendBuffer()
    {
        return sendBuffer;
    }

    /** What the last {@link #recv} received: its readable bytes are the datagram. */
    ByteBuf recvBuffer()
    {
        return recvBuffer;
    }

    /** Send the first {@code length} bytes of the send buffer to the kernel; returns 0 or an errno. */
    int send(final int length)
    {
        while (true)
        {
            try
            {
                NetlinkLibC.send(fd, sendBuffer.memoryAddress(), length, 0);
                return 0;
            }
            catch (final LastErrorException ex)
            {
                if (ex.getErrorCode() != NetlinkLibC.EINTR)
                {
                    return ex.getErrorCode();
                }
            }
        }
    }

    /**
     * Receive one datagram into the receive buffer, which then reads it from its start; returns its length, or
     * minus the errno (the buffer is then empty).
     */
    int recv()
    {
        recvBuffer.clear();
        try
        {
            final int length = (int)NetlinkLibC.recv(fd, recvBuffer.memoryAddress(), recvBuffer.capacity(), 0);
            recvBuffer.writerIndex(length);
            return length;
        }
        catch (final LastErrorException ex)
        {
            return -ex.getErrorCode();
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            sendBuffer.release();
            recvBuffer.release();
            try
            {
                NetlinkLibC.close(fd);
            }
            catch (final LastErrorException ignore)
            {
                // nothing to do: the descriptor is gone either way
            }
        }
    }
}
