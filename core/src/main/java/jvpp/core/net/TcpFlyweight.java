package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A TCP header (RFC 9293): static accessors over the buffer and the header's offset, as {@link Ip4Flyweight}'s.
 * jvpp forwards TCP and cuts GSO super-frames into segments (gso), so it reads and writes the sequence number,
 * the data offset and the flags; the checksum's place is what {@link Ip4#fillL4Checksum} fills in. The ports are
 * where UDP's are, which is what {@link Ip4Flyweight#flowHash} relies on.
 *
 * <p>Thread: any.
 */
public final class TcpFlyweight
{
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_ECE = 0x40;
    public static final int FLAG_CWR = 0x80;

    private TcpFlyweight()
    {
    }

    /** The header's length in bytes, options included (the data offset × 4). */
    public static int headerLength(final UnsafeBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + DATA_OFFSET_OFFSET) & 0xf0) >>> 2;
    }

    public static int sequence(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static void sequence(final UnsafeBuffer buffer, final int offset, final int sequence)
    {
        buffer.putInt(offset + SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
    }

    /** The eight flag bits, CWR to FIN. */
    public static int flags(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xff;
    }

    public static void flags(final UnsafeBuffer buffer, final int offset, final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
    }

    public static int checksum(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static void checksum(final UnsafeBuffer buffer, final int offset, final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }
}
