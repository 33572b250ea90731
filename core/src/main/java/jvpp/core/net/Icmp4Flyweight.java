package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An ICMP for IPv4 header (RFC 792): static accessors over the buffer and the header's offset, as
 * {@link Ip4Flyweight}'s. The 8-byte header is type, code, checksum and four bytes whose meaning depends on the
 * type: identifier and sequence for echo, the next-hop MTU in the last two for "fragmentation needed" (RFC 1191).
 *
 * <p>Thread: any.
 */
public final class Icmp4Flyweight
{
    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    /** Identifier and sequence (echo), or unused and next-hop MTU (destination unreachable). */
    public static final int REST_OFFSET = 4;
    public static final int ID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_TIMESTAMP = 13;
    public static final int TYPE_TIMESTAMP_REPLY = 14;

    private Icmp4Flyweight()
    {
    }

    public static int type(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xff;
    }

    public static int identifier(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static int sequence(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    /** A query or its answer (echo, timestamp), as opposed to an error: an ICMP error is never sent about an error. */
    public static boolean isQuery(final int type)
    {
        return type == TYPE_ECHO_REPLY || type == TYPE_ECHO_REQUEST || type == TYPE_TIMESTAMP || type == TYPE_TIMESTAMP_REPLY;
    }

    /** Whether the checksum over the {@code length} bytes of the message verifies. */
    public static boolean checksumValid(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return Ip4.onesSum(buffer, offset, length) == 0xffff;
    }

    /**
     * Write the header: {@code type}, {@code code} and the four type-dependent bytes {@code rest} (big-endian),
     * with the checksum zero: write the data after it, then {@link #fillChecksum}.
     */
    public static void writeHeader(final UnsafeBuffer buffer, final int offset, final int type, final int code, final int rest)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0);
        buffer.putInt(offset + REST_OFFSET, rest, ByteOrder.BIG_ENDIAN);
    }

    /** Compute and store the checksum over the {@code length} bytes of the message (its checksum field zero). */
    public static void fillChecksum(final UnsafeBuffer buffer, final int offset, final int length)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)Ip4.checksum(buffer, offset, length), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Turn an echo request into its reply in place: type 8 becomes 0, which lowers the first 16-bit word by
     * 0x0800, and the checksum is patched incrementally ({@link Ip4#adjustChecksum}).
     */
    public static void echoRequestToReply(final UnsafeBuffer buffer, final int offset)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)TYPE_ECHO_REPLY);
        Ip4.adjustChecksum(buffer, offset + CHECKSUM_OFFSET, (TYPE_ECHO_REQUEST - TYPE_ECHO_REPLY) << 8);
    }
}
