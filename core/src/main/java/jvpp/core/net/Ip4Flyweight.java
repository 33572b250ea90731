package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An IPv4 header (RFC 791) over buffer memory: the one place that knows its layout. Two ways in, as Aeron's
 * {@code DataHeaderFlyweight}: static accessors taking the buffer and the header's offset, which the nodes use
 * on the hot path (no instance, nothing to wrap per packet), and an instance to wrap at an offset for code that
 * reads several fields of one header (traces, tests, the control plane). The instance methods are the statics.
 *
 * <p>Thread: the statics, any; an instance belongs to one node on one thread.
 */
public final class Ip4Flyweight
{
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int TOS_OFFSET = 1;
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
    /** Options start after the fixed header; each is type, length, data, but for END and NOP (one byte). */
    public static final int OPTIONS_OFFSET = MIN_HEADER_LENGTH;
    public static final int OPTION_END = 0;
    public static final int OPTION_NOP = 1;
    /** An option's copied flag (RFC 791): it goes into every fragment, not only the first. */
    public static final int OPTION_COPIED = 0x80;
    /** What {@link #flowHash} reads of a header without options: the header and the two ports after it. */
    public static final int FLOW_HASH_LENGTH = MIN_HEADER_LENGTH + 4;

    private UnsafeBuffer buffer;
    private int offset;

    /**
     * Version, IHL, TOS and total length: the header's first 32 bits in one big-endian load, for a node that
     * checks all of them (take them apart with {@link #versionOf}, {@link #headerLengthOf}, {@link #totalLengthOf}).
     */
    public static int firstWord(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    public static int versionOf(final int firstWord)
    {
        return firstWord >>> 28;
    }

    /** Header length in bytes (IHL × 4). */
    public static int headerLengthOf(final int firstWord)
    {
        return (firstWord >>> 22) & 0x3c;
    }

    public static int totalLengthOf(final int firstWord)
    {
        return firstWord & 0xffff;
    }

    /** Header length in bytes (IHL × 4). */
    public static int headerLength(final UnsafeBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset) & 0xf) << 2;
    }

    public static int totalLength(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static void totalLength(final UnsafeBuffer buffer, final int offset, final int length)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
    }

    /** Flags and fragment offset, as on the wire. */
    public static int flagsFragment(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    /** Write flags and fragment offset (in 8-byte units), as on the wire. */
    public static void flagsFragment(final UnsafeBuffer buffer, final int offset, final int flagsFragment)
    {
        buffer.putShort(offset + FLAGS_OFFSET, (short)flagsFragment, ByteOrder.BIG_ENDIAN);
    }

    /** The identification field (RFC 791): what a receiver groups fragments by, +1 per GSO segment as Linux's. */
    public static int id(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static void id(final UnsafeBuffer buffer, final int offset, final int id)
    {
        buffer.putShort(offset + ID_OFFSET, (short)id, ByteOrder.BIG_ENDIAN);
    }

    /** Write version 4 and a header length of {@code bytes} (a multiple of 4, 20 to 60). */
    public static void headerLength(final UnsafeBuffer buffer, final int offset, final int bytes)
    {
        buffer.putByte(offset, (byte)(0x40 | (bytes >>> 2)));
    }

    /** Recompute and store the checksum of a header of {@code headerLength} bytes. */
    public static void fillChecksum(final UnsafeBuffer buffer, final int offset, final int headerLength)
    {
        checksum(buffer, offset, 0);
        checksum(buffer, offset, Ip4.checksum(buffer, offset, headerLength));
    }

    /**
     * The header a fragment after the first carries (RFC 791, 3.2): the fixed 20 bytes and only the options whose
     * copied flag is set, padded with END to a multiple of 4. Written at {@code dst}/{@code dstOffset}, or only
     * measured when {@code dst} is null (the length and flags fields are the caller's to set). Returns its length,
     * or -1 when the options are malformed (an option's length under 2 or past the header).
     */
    public static int laterFragmentHeader(final UnsafeBuffer buffer, final int offset, final UnsafeBuffer dst,
        final int dstOffset)
    {
        final int headerLength = headerLength(buffer, offset);
        int out = OPTIONS_OFFSET;
        int i = OPTIONS_OFFSET;
        while (i < headerLength)
        {
            final int type = buffer.getByte(offset + i) & 0xff;
            if (type == OPTION_END)
            {
                break;
            }
            if (type == OPTION_NOP)
            {
                i++;
                continue;
            }
            if (i + 1 >= headerLength)
            {
                return -1;
            }
            final int length = buffer.getByte(offset + i + 1) & 0xff;
            if (length < 2 || i + length > headerLength)
            {
                return -1;
            }
            if ((type & OPTION_COPIED) != 0)
            {
                if (dst != null)
                {
                    dst.putBytes(dstOffset + out, buffer, offset + i, length);
                }
                out += length;
            }
            i += length;
        }
        final int padded = (out + 3) & ~3;
        if (dst != null)
        {
            dst.putBytes(dstOffset, buffer, offset, MIN_HEADER_LENGTH);
            for (int p = out; p < padded; p++)
            {
                dst.putByte(dstOffset + p, (byte)OPTION_END);
            }
            headerLength(dst, dstOffset, padded);
        }
        return padded;
    }

    public static boolean dontFragment(final UnsafeBuffer buffer, final int offset)
    {
        return (flagsFragment(buffer, offset) & FLAG_DF) != 0;
    }

    /** A fragment: more fragments follow, or this is not the first. */
    public static boolean isFragment(final UnsafeBuffer buffer, final int offset)
    {
        return (flagsFragment(buffer, offset) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** Not the first fragment. */
    public static boolean isLaterFragment(final UnsafeBuffer buffer, final int offset)
    {
        return (flagsFragment(buffer, offset) & FRAGMENT_OFFSET_MASK) != 0;
    }

    public static int ttl(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xff;
    }

    public static void ttl(final UnsafeBuffer buffer, final int offset, final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
    }

    public static int protocol(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xff;
    }

    public static int checksum(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static void checksum(final UnsafeBuffer buffer, final int offset, final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }

    public static int src(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SRC_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static void src(final UnsafeBuffer buffer, final int offset, final int address)
    {
        buffer.putInt(offset + SRC_OFFSET, address, ByteOrder.BIG_ENDIAN);
    }

    public static int dst(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DST_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static void dst(final UnsafeBuffer buffer, final int offset, final int address)
    {
        buffer.putInt(offset + DST_OFFSET, address, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Whether the header checksum verifies (the ones-complement sum over the header is 0xffff). A 20-byte header
     * (nearly all) is summed as five native-order 32-bit loads, RFC 1071's byte-order independence: what keeps
     * ip4-input cheap; options go through {@link Ip4#onesSum}.
     */
    public static boolean checksumValid(final UnsafeBuffer buffer, final int offset, final int headerLength)
    {
        if (headerLength != MIN_HEADER_LENGTH)
        {
            return Ip4.onesSum(buffer, offset, headerLength) == 0xffff;
        }
        long sum = (buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) & 0xffff_ffffL)
            + (buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN) & 0xffff_ffffL)
            + (buffer.getInt(offset + 8, ByteOrder.LITTLE_ENDIAN) & 0xffff_ffffL)
            + (buffer.getInt(offset + 12, ByteOrder.LITTLE_ENDIAN) & 0xffff_ffffL)
            + (buffer.getInt(offset + 16, ByteOrder.LITTLE_ENDIAN) & 0xffff_ffffL);
        sum = (sum & 0xffff_ffffL) + (sum >>> 32);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum & 0xffff) == 0xffff;
    }

    /**
     * Decrement TTL by one and patch the checksum incrementally: the TTL is the high byte of a 16-bit word, so
     * the sum drops by 0x0100 ({@link Ip4#adjustChecksum}).
     */
    public static void decrementTtl(final UnsafeBuffer buffer, final int offset)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)(buffer.getByte(offset + TTL_OFFSET) - 1));
        Ip4.adjustChecksum(buffer, offset + CHECKSUM_OFFSET, 0x0100);
    }

    /**
     * A flow's hash: source, destination, protocol and, for TCP and UDP, the ports, mixed with murmur3's
     * finaliser so that every input bit reaches every output bit (a plain fold left the parity constant when
     * only the last octet of an address varied, and sent every flow to one worker). ECMP (ip4-lookup) and worker
     * handoff both use it, so a flow keeps its path and its worker. The fields are only hashed, so they are read
     * in native order: no byte swaps. A fragment is hashed without ports (a later fragment has none, and the first
     * must go where the others go), as the kernel's flow dissector does: a datagram's fragments share a worker, which
     * reassembly needs.
     */
    public static int flowHash(final UnsafeBuffer buffer, final int offset)
    {
        final int src = buffer.getInt(offset + SRC_OFFSET);
        final int dst = buffer.getInt(offset + DST_OFFSET);
        final int proto = protocol(buffer, offset);
        int h = src * 0x9e3779b1 ^ dst * 0x85ebca6b ^ proto;
        if ((proto == Ip4.PROTO_TCP || proto == Ip4.PROTO_UDP) && !isFragment(buffer, offset))
        {
            // Both ports, at the start of either header.
            h ^= buffer.getInt(offset + headerLength(buffer, offset)) * 0xc2b2ae35;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

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
        return headerLength(buffer, offset);
    }

    public int tos()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xff;
    }

    public int totalLength()
    {
        return totalLength(buffer, offset);
    }

    public Ip4Flyweight totalLength(final int length)
    {
        totalLength(buffer, offset, length);
        return this;
    }

    public int id()
    {
        return buffer.getShort(offset + ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    /** Flags and fragment offset, as on the wire. */
    public int flagsFragment()
    {
        return flagsFragment(buffer, offset);
    }

    public boolean dontFragment()
    {
        return dontFragment(buffer, offset);
    }

    /** A fragment: more fragments follow, or this is not the first. */
    public boolean isFragment()
    {
        return isFragment(buffer, offset);
    }

    /** Not the first fragment. */
    public boolean isLaterFragment()
    {
        return isLaterFragment(buffer, offset);
    }

    public int ttl()
    {
        return ttl(buffer, offset);
    }

    public Ip4Flyweight ttl(final int ttl)
    {
        ttl(buffer, offset, ttl);
        return this;
    }

    public int protocol()
    {
        return protocol(buffer, offset);
    }

    public int checksum()
    {
        return checksum(buffer, offset);
    }

    public Ip4Flyweight checksum(final int checksum)
    {
        checksum(buffer, offset, checksum);
        return this;
    }

    public int src()
    {
        return src(buffer, offset);
    }

    public Ip4Flyweight src(final int address)
    {
        src(buffer, offset, address);
        return this;
    }

    public int dst()
    {
        return dst(buffer, offset);
    }

    public Ip4Flyweight dst(final int address)
    {
        dst(buffer, offset, address);
        return this;
    }

    /** Whether the header checksum verifies. */
    public boolean checksumValid(final int headerLength)
    {
        return checksumValid(buffer, offset, headerLength);
    }

    /** Recompute and store the header checksum. */
    public void updateChecksum()
    {
        checksum(0);
        checksum(Ip4.checksum(buffer, offset, headerLength()));
    }

    /** Decrement TTL by one and patch the checksum incrementally. */
    public void decrementTtl()
    {
        decrementTtl(buffer, offset);
    }

    /** Write a plain 20-byte header (no options, DF clear, id 0) with a valid checksum. */
    public void writeHeader(final int totalLength, final int ttl, final int protocol, final int src, final int dst)
    {
        buffer.putByte(offset, (byte)0x45);
        buffer.putByte(offset + TOS_OFFSET, (byte)0);
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
