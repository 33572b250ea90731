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
}
