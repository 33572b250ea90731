package jvpp.pmd.netlink;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes one netlink request into a native buffer: the {@code nlmsghdr}, the family header
 * ({@code ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}) and {@code rtattr}s, nested ones included, each
 * aligned to 4 bytes. Host byte order except where the kernel wants network order (addresses).
 *
 * <p>Thread: the thread owning the buffer.
 */
final class NetlinkEncoder
{
    static final int NLMSG_HDRLEN = 16;
    static final int RTA_HDRLEN = 4;

    private UnsafeBuffer buffer;
    private int limit;

    static int align(final int length)
    {
        return (length + 3) & ~3;
    }

    NetlinkEncoder wrap(final UnsafeBuffer buffer)
    {
        this.buffer = buffer;
        this.limit = 0;
        return this;
    }

    NetlinkEncoder header(final int type, final int flags, final int seq)
    {
        buffer.setMemory(0, NLMSG_HDRLEN, (byte)0);
        buffer.putShort(4, (short)type);
        buffer.putShort(6, (short)flags);
        buffer.putInt(8, seq);
        limit = NLMSG_HDRLEN;
        return this;
    }

    /** {@code struct ifinfomsg}: family, type, index, flags, change. */
    NetlinkEncoder ifinfomsg(final int index, final int flags, final int change)
    {
        buffer.setMemory(limit, 16, (byte)0);
        buffer.putByte(limit, (byte)0); // AF_UNSPEC
        buffer.putInt(limit + 4, index);
        buffer.putInt(limit + 8, flags);
        buffer.putInt(limit + 12, change);
        limit += 16;
        return this;
    }

    /** {@code struct ifaddrmsg}: family, prefixlen, flags, scope, index. */
    NetlinkEncoder ifaddrmsg(final int family, final int prefixLen, final int scope, final int index)
    {
        buffer.setMemory(limit, 8, (byte)0);
        buffer.putByte(limit, (byte)family);
        buffer.putByte(limit + 1, (byte)prefixLen);
        buffer.putByte(limit + 3, (byte)scope);
        buffer.putInt(limit + 4, index);
        limit += 8;
        return this;
    }

    /** {@code struct rtmsg}: family, dst_len, src_len, tos, table, protocol, scope, type, flags. */
    NetlinkEncoder rtmsg(final int family, final int dstLen, final int table, final int protocol, final int scope,
        final int type)
    {
        buffer.setMemory(limit, 12, (byte)0);
        buffer.putByte(limit, (byte)family);
        buffer.putByte(limit + 1, (byte)dstLen);
        buffer.putByte(limit + 4, (byte)table);
        buffer.putByte(limit + 5, (byte)protocol);
        buffer.putByte(limit + 6, (byte)scope);
        buffer.putByte(limit + 7, (byte)type);
        limit += 12;
        return this;
    }

    private int attrHeader(final int type, final int payloadLength)
    {
        final int start = limit;
        buffer.putShort(start, (short)(RTA_HDRLEN + payloadLength));
        buffer.putShort(start + 2, (short)type);
        final int padded = align(RTA_HDRLEN + payloadLength);
        buffer.setMemory(start + RTA_HDRLEN, padded - RTA_HDRLEN, (byte)0);
        limit = start + padded;
        return start + RTA_HDRLEN;
    }

    NetlinkEncoder attrInt(final int type, final int value)
    {
        buffer.putInt(attrHeader(type, 4), value);
        return this;
    }

    /** An IPv4 address ({@code a.b.c.d} as {@code 0xaabbccdd}) in network order. */
    NetlinkEncoder attrIp4(final int type, final int address)
    {
        buffer.putInt(attrHeader(type, 4), address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** A 48-bit MAC, first octet first. */
    NetlinkEncoder attrMac(final int type, final long mac)
    {
        final int at = attrHeader(type, 6);
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(at + i, (byte)(mac >>> (40 - 8 * i)));
        }
        return this;
    }

    /** A NUL-terminated string. */
    NetlinkEncoder attrString(final int type, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final int at = attrHeader(type, bytes.length + 1);
        buffer.putBytes(at, bytes);
        return this;
    }

    /** Open a nested attribute; close it with {@link #nestEnd}. */
    int nestStart(final int type)
    {
        final int start = limit;
        attrHeader(type, 0);
        return start;
    }

    NetlinkEncoder nestEnd(final int start)
    {
        buffer.putShort(start, (short)(limit - start));
        return this;
    }

    /** Write {@code nlmsg_len}; returns the message length. */
    int finish()
    {
        buffer.putInt(0, limit);
        return limit;
    }
}
