package jvpp.pmd.netlink;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Walks a run of {@code rtattr}s (a message's, or a nested attribute's payload):
 * {@code while (attrs.next()) switch (attrs.type()) ...}, then read the payload as an int, a string or a
 * MAC. A truncated attribute ends the walk, as {@code RTA_OK} does. Host byte order (see
 * {@link NetlinkSocket}).
 *
 * <p>Thread: the thread owning the buffer.
 */
final class RtAttrReader
{
    /** The type bits of {@code rta_type}, without {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER}. */
    private static final int NLA_TYPE_MASK = 0x3fff;

    private ByteBuf attributes;
    private ByteBuf payload;
    private int type;

    /** Read the readable bytes of {@code attributes}. */
    RtAttrReader wrap(final ByteBuf attributes)
    {
        this.attributes = attributes;
        this.payload = null;
        return this;
    }

    /** Move to the next attribute; false at the end. */
    boolean next()
    {
        if (attributes.readableBytes() < NetlinkEncoder.RTA_HDRLEN)
        {
            return false;
        }
        final int at = attributes.readerIndex();
        final int length = attributes.getUnsignedShortLE(at);
        if (length < NetlinkEncoder.RTA_HDRLEN || length > attributes.readableBytes())
        {
            return false;
        }
        type = attributes.getUnsignedShortLE(at + 2) & NLA_TYPE_MASK;
        payload = attributes.skipBytes(NetlinkEncoder.RTA_HDRLEN).readSlice(length - NetlinkEncoder.RTA_HDRLEN);
        NetlinkReader.skipPadding(attributes, length);
        return true;
    }

    int type()
    {
        return type;
    }

    /** The payload; a nested attribute's rtattrs are read with {@code new RtAttrReader().wrap(payload())}. */
    ByteBuf payload()
    {
        return payload;
    }

    int intValue()
    {
        return payload.getIntLE(payload.readerIndex());
    }

    /** The payload as a string, up to its NUL (or its end when it has none). */
    String string()
    {
        final int nul = payload.bytesBefore((byte)0);
        return payload.toString(payload.readerIndex(), nul < 0 ? payload.readableBytes() : nul, StandardCharsets.UTF_8);
    }

    /** A 48-bit MAC, first octet in the high byte; -1 when the payload is not 6 bytes (not Ethernet). */
    long mac()
    {
        if (payload.readableBytes() != 6)
        {
            return -1;
        }
        final int at = payload.readerIndex();
        return ((long)payload.getUnsignedShort(at) << 32) | payload.getUnsignedInt(at + 2);
    }
}
