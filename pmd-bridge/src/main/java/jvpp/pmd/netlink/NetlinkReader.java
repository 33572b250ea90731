package jvpp.pmd.netlink;

import io.netty.buffer.ByteBuf;

/**
 * Walks the netlink messages of one received datagram: {@code while (reader.next())} gives each
 * {@code nlmsghdr} in turn, its type, flags and sequence number, and its attributes after a family header.
 * A truncated or malformed message ends the walk, as {@code NLMSG_OK} does. Host byte order (see
 * {@link NetlinkSocket}).
 *
 * <p>Thread: the thread owning the socket's receive buffer.
 */
final class NetlinkReader
{
    private ByteBuf datagram;
    private ByteBuf message;

    /** Read the readable bytes of {@code datagram} (what {@link NetlinkSocket#recv} received). */
    NetlinkReader wrap(final ByteBuf datagram)
    {
        this.datagram = datagram;
        this.message = null;
        return this;
    }

    /** Move to the next message; false at the end of the datagram. */
    boolean next()
    {
        if (datagram.readableBytes() < NetlinkEncoder.NLMSG_HDRLEN)
        {
            return false;
        }
        final int length = datagram.getIntLE(datagram.readerIndex());
        if (length < NetlinkEncoder.NLMSG_HDRLEN || length > datagram.readableBytes())
        {
            return false;
        }
        message = datagram.readSlice(length);
        skipPadding(datagram, length);
        return true;
    }

    /** {@code nlmsg_type}. */
    int type()
    {
        return message.getUnsignedShortLE(4);
    }

    /** {@code nlmsg_flags}. */
    int flags()
    {
        return message.getUnsignedShortLE(6);
    }

    /** {@code nlmsg_seq}. */
    int seq()
    {
        return message.getIntLE(8);
    }

    /** The whole message, header first. */
    ByteBuf message()
    {
        return message;
    }

    /**
     * The errno of an {@code NLMSG_ERROR} (0 for an ack) or of an {@code NLMSG_DONE} that carries one (0 when
     * it does not): the kernel writes it negated after the header.
     */
    int errno()
    {
        return message.readableBytes() >= NetlinkEncoder.NLMSG_HDRLEN + 4 ? -message.getIntLE(NetlinkEncoder.NLMSG_HDRLEN) : 0;
    }

    /** Point {@code attributes} at this message's rtattrs, which start {@code offset} bytes into it. */
    RtAttrReader attributes(final int offset, final RtAttrReader attributes)
    {
        final int from = Math.min(offset, message.readableBytes());
        return attributes.wrap(message.slice(from, message.readableBytes() - from));
    }

    /** Skip the padding after an item of {@code length} bytes, no further than the end of {@code buffer}. */
    static void skipPadding(final ByteBuf buffer, final int length)
    {
        buffer.skipBytes(Math.min(NetlinkEncoder.align(length) - length, buffer.readableBytes()));
    }
}
