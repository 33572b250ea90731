package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv4 addresses as {@code int} (network order's most significant byte first) and the Internet checksum.
 */
public final class Ip4
{
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    private Ip4()
    {
    }

    /** Parse dotted-quad; throws {@link IllegalArgumentException} when {@code s} is not one. */
    public static int parse(final String s)
    {
        final String[] p = s.split("\\.", -1);
        if (p.length != 4)
        {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        int a = 0;
        for (final String part : p)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            final int v = Integer.parseInt(part);
            if (v > 255)
            {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            a = (a << 8) | v;
        }
        return a;
    }

    public static boolean isAddress(final String s)
    {
        try
        {
            parse(s);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    public static String format(final int a)
    {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /**
     * The ones-complement sum of {@code length} bytes at {@code offset}, folded to 16 bits, not inverted.
     * Reads 32-bit words in native order and swaps once at the end (RFC 1071's byte-order independence),
     * which is what makes it cheap.
     */
    public static int onesSum(final UnsafeBuffer buffer, final int offset, final int length)
    {
        long sum = 0;
        int i = 0;
        for (; i + 4 <= length; i += 4)
        {
            sum += buffer.getInt(offset + i, ByteOrder.LITTLE_ENDIAN) & 0xffff_ffffL;
        }
        if (i + 2 <= length)
        {
            sum += buffer.getShort(offset + i, ByteOrder.LITTLE_ENDIAN) & 0xffff;
            i += 2;
        }
        if (i < length)
        {
            sum += buffer.getByte(offset + i) & 0xff;
        }
        sum = (sum & 0xffff_ffffL) + (sum >>> 32);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        // The sum was taken over little-endian words: swap to network order.
        return Short.reverseBytes((short)sum) & 0xffff;
    }

    /** The Internet checksum (inverted ones-complement sum) of {@code length} bytes at {@code offset}. */
    public static int checksum(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return ~onesSum(buffer, offset, length) & 0xffff;
    }

    /**
     * Patch the Internet checksum stored (big-endian) at {@code checksumOffset} after a change that lowered one
     * 16-bit word of the data it covers by {@code delta}, without summing the data again (RFC 1624: the checksum
     * rises by what the sum fell by, with end-around carry). The one incremental update: a TTL decrement (the
     * TTL is a word's high byte: 0x0100) and an echo request turned into its reply (type 8 to 0: 0x0800) use it.
     */
    public static void adjustChecksum(final UnsafeBuffer buffer, final int checksumOffset, final int delta)
    {
        int sum = (buffer.getShort(checksumOffset, ByteOrder.BIG_ENDIAN) & 0xffff) + delta;
        sum = (sum & 0xffff) + (sum >>> 16);
        buffer.putShort(checksumOffset, (short)sum, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Fill in the TCP, UDP or ICMP checksum of the IPv4 packet at {@code ip} (its L4 data within the
     * {@code available} bytes from {@code ip}): what a receiver must do for frames whose checksum the sender
     * left to offload (AF_PACKET's TP_STATUS_CSUMNOTREADY), and what a generator does for its packets.
     * Fragments and other protocols are left alone. Returns whether a checksum was written.
     */
    public static boolean fillL4Checksum(final UnsafeBuffer buffer, final int ip, final int available)
    {
        if (available < Ip4Flyweight.MIN_HEADER_LENGTH)
        {
            return false;
        }
        final int ihl = Ip4Flyweight.headerLength(buffer, ip);
        final int total = Math.min(Ip4Flyweight.totalLength(buffer, ip), available);
        final int proto = Ip4Flyweight.protocol(buffer, ip);
        final int l4 = ip + ihl;
        final int l4Length = total - ihl;
        final int at;
        if (Ip4Flyweight.isFragment(buffer, ip) || ihl < Ip4Flyweight.MIN_HEADER_LENGTH)
        {
            return false;
        }
        switch (proto)
        {
            case PROTO_UDP:
                at = UdpFlyweight.CHECKSUM_OFFSET;
                break;
            case PROTO_TCP:
                at = TcpFlyweight.CHECKSUM_OFFSET;
                break;
            case PROTO_ICMP:
                at = Icmp4Flyweight.CHECKSUM_OFFSET;
                break;
            default:
                return false;
        }
        if (l4Length < at + 2)
        {
            return false;
        }
        buffer.putShort(l4 + at, (short)0);
        long sum = onesSum(buffer, l4, l4Length);
        if (proto != PROTO_ICMP)
        {
            sum += pseudoHeaderSum(buffer, ip, l4Length);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        int checksum = ~(int)sum & 0xffff;
        if (checksum == 0 && proto == PROTO_UDP)
        {
            checksum = 0xffff; // 0 means "no checksum" in UDP
        }
        buffer.putShort(l4 + at, (short)checksum, ByteOrder.BIG_ENDIAN);
        return true;
    }

    /**
     * The ones-complement sum (folded, not inverted) of the IPv4 pseudo-header (RFC 9293 3.1, RFC 768) of the packet
     * at {@code ip} for an L4 message of {@code l4Length} bytes: source, destination, protocol, length. What a
     * partial checksum's field holds for the offload to finish (the kernel's {@code CHECKSUM_PARTIAL}).
     */
    public static int pseudoHeaderSum(final UnsafeBuffer buffer, final int ip, final int l4Length)
    {
        int sum = onesSum(buffer, ip + Ip4Flyweight.SRC_OFFSET, 8) + Ip4Flyweight.protocol(buffer, ip) + l4Length;
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum & 0xffff) + (sum >>> 16);
    }
}
