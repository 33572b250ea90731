package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A UDP header (RFC 768): static accessors over the buffer and the header's offset, as {@link Ip4Flyweight}'s.
 * Nothing reads more than a field or two of it yet, so there is no instance to wrap.
 *
 * <p>Thread: any.
 */
public final class UdpFlyweight
{
    public static final int HEADER_LENGTH = 8;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private UdpFlyweight()
    {
    }

    /** The UDP length: header and data. */
    public static int length(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static void length(final UnsafeBuffer buffer, final int offset, final int length)
    {
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
    }
}
