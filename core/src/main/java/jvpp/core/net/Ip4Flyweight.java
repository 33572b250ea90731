package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An IPv4 header over buffer memory. Wrap it at a packet's offset; one instance serves a whole frame.
 *
 * <p>Thread: the instance belongs to one node on one thread.
 */
public final class Ip4Flyweight
{
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    private UnsafeBuffer buffer;
    private int offset;

    public Ip4Flyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset()
    {
        return offset;
    }

    public int versionIhl()
    {
        return buffer.getByte(offset) & 0xff;
    }

    public int version()
    {
        return versionIhl() >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength()
    {
        return (versionIhl() & 0xf) << 2;
    }

    public int tos()
    {
        return buffer.getByte(offset + 1) & 0xff;
    }

    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public Ip4Flyweight totalLength(final int length)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int id()
    {
        return buffer.getShort(offset + ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    /** Flags and fragment offset, as on the wire. */
    public int flagsFragment()
    {
        return buffer.getShort(offset + FLAGS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public boolean dontFragment()
    {
        return (flagsFragment() & FLAG_DF) != 0;
    }

    /** A fragment: more fragments follow, or this is not the first. */
    public boolean isFragment()
    {
        return (flagsFragment() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** Not the first fragment. */
    public boolean isLaterFragment()
    {
        return (flagsFragment() & FRAGMENT_OFFSET_MASK) != 0;
    }

    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xff;
    }

    public Ip4Flyweight ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xff;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public Ip4Flyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int src()
    {
        return buffer.getInt(offset + SRC_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ip4Flyweight src(final int address)
    {
        buffer.putInt(offset + SRC_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int dst()
    {
        return buffer.getInt(offset + DST_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ip4Flyweight dst(final int address)
    {
        buffer.putInt(offset + DST_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Whether the header checksum verifies (the ones-complement sum over the header is 0xffff). */
    public boolean checksumValid(final int headerLength)
    {
        return Ip4.onesSum(buffer, offset, headerLength) == 0xffff;
    }

    /** Recompute and store the header checksum. */
    public void updateChecksum()
    {
        checksum(0);
        checksum(Ip4.checksum(buffer, offset, headerLength()));
    }

    /**
     * Decrement TTL by one and patch the checksum incrementally (RFC 1624: the TTL is the high byte of a
     * 16-bit word, so the sum drops by 0x0100 and the checksum rises by it, with end-around carry).
     */
    public void decrementTtl()
    {
        final int ttl = ttl();
        ttl(ttl - 1);
        int sum = checksum() + 0x0100;
        sum = (sum & 0xffff) + (sum >>> 16);
        checksum(sum);
    }

    /** Write a plain 20-byte header (no options, DF clear, id 0) with a valid checksum. */
    public void writeHeader(final int totalLength, final int ttl, final int protocol, final int src, final int dst)
    {
        buffer.putByte(offset, (byte)0x45);
        buffer.putByte(offset + 1, (byte)0);
        totalLength(totalLength);
        buffer.putInt(offset + ID_OFFSET, 0);
        ttl(ttl);
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        src(src);
        dst(dst);
        checksum(0);
        checksum(Ip4.checksum(buffer, offset, MIN_HEADER_LENGTH));
    }
}
