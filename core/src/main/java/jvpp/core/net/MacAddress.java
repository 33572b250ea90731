package jvpp.core.net;

/**
 * MAC addresses as the low 48 bits of a {@code long}, most significant byte first on the wire.
 * Parses {@code aa:bb:cc:dd:ee:ff}, {@code aa-bb-...} and Cisco/VPP's {@code aabb.ccdd.eeff}.
 */
public final class MacAddress
{
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private MacAddress()
    {
    }

    /** Parse a MAC address; returns -1 when {@code s} is not one. */
    public static long parse(final String s)
    {
        final String[] parts;
        final int bitsPerPart;
        if (s.indexOf(':') >= 0 || s.indexOf('-') >= 0)
        {
            parts = s.split("[:-]", -1);
            bitsPerPart = 8;
            if (parts.length != 6)
            {
                return -1;
            }
        }
        else if (s.indexOf('.') >= 0)
        {
            parts = s.split("\\.", -1);
            bitsPerPart = 16;
            if (parts.length != 3)
            {
                return -1;
            }
        }
        else
        {
            return -1;
        }
        long mac = 0;
        for (final String p : parts)
        {
            if (p.isEmpty() || p.length() > bitsPerPart / 4)
            {
                return -1;
            }
            final long v;
            try
            {
                v = Long.parseLong(p, 16);
            }
            catch (final NumberFormatException ex)
            {
                return -1;
            }
            mac = (mac << bitsPerPart) | v;
        }
        return mac;
    }

    public static String format(final long mac)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int b = (int)(mac >>> shift) & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0)
            {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** The 6-byte MAC at {@code at} of {@code buffer}, as the low 48 bits. */
    public static long read(final org.agrona.concurrent.UnsafeBuffer buffer, final int at)
    {
        final long hi = buffer.getShort(at, java.nio.ByteOrder.BIG_ENDIAN) & 0xffffL;
        final long lo = buffer.getInt(at + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
        return (hi << 32) | lo;
    }

    /** Write {@code mac} as 6 bytes at {@code at} of {@code buffer}. */
    public static void write(final org.agrona.concurrent.UnsafeBuffer buffer, final int at, final long mac)
    {
        buffer.putShort(at, (short)(mac >>> 32), java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putInt(at + 2, (int)mac, java.nio.ByteOrder.BIG_ENDIAN);
    }

    /** A random locally administered unicast MAC, 02:fe:xx:xx:xx:xx (as VPP gives its taps and host-interfaces). */
    public static long randomLocal()
    {
        return 0x02fe_0000_0000L | (java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffff_ffffL);
    }

    public static boolean isMulticast(final long mac)
    {
        return ((mac >>> 40) & 1) != 0;
    }
}
