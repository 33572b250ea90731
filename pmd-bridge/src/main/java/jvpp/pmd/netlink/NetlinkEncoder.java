package jvpp.pmd.netlink;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes one netlink request into a socket's send buffer: the {@code nlmsghdr}, the family header
 * ({@code ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}) and {@code rtattr}s, nested ones included, each
 * padded to 4 bytes. Netlink is in host byte order ({@code *LE} writes, see {@link NetlinkSocket}) except
 * addresses, which the kernel wants in network order (ByteBuf's own big-endian writes).
 *
 * <p>Thread: the thread owning the buffer.
 */
final class NetlinkEncoder
{
    static final int NLMSG_HDRLEN = 16;
    static final int RTA_HDRLEN = 4;
    private static final int AF_UNSPEC = 0;

    private ByteBuf buffer;

    static int align(final int length)
    {
        return (length + 3) & ~3;
    }

    /** Start a request in {@code buffer}; {@link #finish} gives its length. */
    NetlinkEncoder header(final ByteBuf buffer, final int type, final int flags, final int seq)
    {
        this.buffer = buffer.clear();
        buffer.writeIntLE(0); // nlmsg_len: written by finish()
        buffer.writeShortLE(type);
        buffer.writeShortLE(flags);
        buffer.writeIntLE(seq);
        buffer.writeIntLE(0); // nlmsg_pid: the kernel fills in the sender
        return this;
    }

    /** {@code struct ifinfomsg}: family, pad, type, index, flags, change. */
    NetlinkEncoder ifinfomsg(final int index, final int flags, final int change)
    {
        buffer.writeByte(AF_UNSPEC);
        buffer.writeByte(0);
        buffer.writeShortLE(0);
        buffer.writeIntLE(index);
        buffer.writeIntLE(flags);
        buffer.writeIntLE(change);
        return this;
    }

    /** {@code struct ifaddrmsg}: family, prefixlen, flags, scope, index. */
    NetlinkEncoder ifaddrmsg(final int family, final int prefixLen, final int scope, final int index)
    {
        buffer.writeByte(family);
        buffer.writeByte(prefixLen);
        buffer.writeByte(0);
        buffer.writeByte(scope);
        buffer.writeIntLE(index);
        return this;
    }

    /** {@code struct rtmsg}: family, dst_len, src_len, tos, table, protocol, scope, type, flags. */
    NetlinkEncoder rtmsg(final int family, final int dstLen, final int table, final int protocol, final int scope,
        final int type)
    {
        buffer.writeByte(family);
        buffer.writeByte(dstLen);
        buffer.writeByte(0);
        buffer.writeByte(0);
        buffer.writeByte(table);
        buffer.writeByte(protocol);
        buffer.writeByte(scope);
        buffer.writeByte(type);
        buffer.writeIntLE(0);
        return this;
    }

    /**
     * Open an attribute: its payload is what is written until {@link #attrEnd}, nested attributes included.
     * Returns where it starts, for {@code attrEnd}.
     */
    int attrStart(final int type)
    {
        final int start = buffer.writerIndex();
        buffer.writeShortLE(0); // rta_len: written by attrEnd()
        buffer.writeShortLE(type);
        return start;
    }

    /** Close the attribute opened at {@code start}: write its length and pad to 4 bytes. */
    NetlinkEncoder attrEnd(final int start)
    {
        buffer.setShortLE(start, buffer.writerIndex() - start);
        buffer.writeZero(align(buffer.writerIndex()) - buffer.writerIndex());
        return this;
    }

    NetlinkEncoder attrInt(final int type, final int value)
    {
        final int start = attrStart(type);
        buffer.writeIntLE(value);
        return attrEnd(start);
    }

    /** An IPv4 address ({@code a.b.c.d} as {@code 0xaabbccdd}) in network order. */
    NetlinkEncoder attrIp4(final int type, final int address)
    {
        final int start = attrStart(type);
        buffer.writeInt(address);
        return attrEnd(start);
    }

    /** A 48-bit MAC, first octet first. */
    NetlinkEncoder attrMac(final int type, final long mac)
    {
        final int start = attrStart(type);
        buffer.writeShort((int)(mac >>> 32));
        buffer.writeInt((int)mac);
        return attrEnd(start);
    }

    /** A NUL-terminated string. */
    NetlinkEncoder attrString(final int type, final String value)
    {
        final int start = attrStart(type);
        buffer.writeCharSequence(value, StandardCharsets.UTF_8);
        buffer.writeByte(0);
        return attrEnd(start);
    }

    /** Write {@code nlmsg_len}; returns the message length. */
    int finish()
    {
        final int length = buffer.writerIndex();
        buffer.setIntLE(0, length);
        return length;
    }
}
