package jvpp.core.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of a classic libpcap file with nanosecond timestamps (magic {@code 0xa1b23c4d}, version 2.4, link type
 * 1 = Ethernet), written little-endian as the magic tells a reader; and of a pcapng file (section header, one
 * Ethernet interface with nanosecond resolution, enhanced packet blocks) for captures with {@code drop}, whose
 * packets carry the dropping node and reason as an {@code opt_comment}, which Wireshark shows as a packet comment.
 *
 * <p>Thread: any; it holds no state.
 */
public final class PcapFormat
{
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int FILE_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int PCAPNG_SHB = 0x0A0D0D0A;
    public static final int PCAPNG_IDB = 1;
    public static final int PCAPNG_EPB = 6;
    public static final int PCAPNG_BOM = 0x1A2B3C4D;
    public static final int PCAPNG_HEADERS_LENGTH = 28 + 32;

    private PcapFormat()
    {
    }

    /** Put the 24-byte file header with snap length {@code snapLen} at {@code out}'s position. */
    public static void fileHeader(final ByteBuffer out, final int snapLen)
    {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC_NANOS);
        out.putShort((short)2);
        out.putShort((short)4);
        out.putInt(0); // thiszone: timestamps are UTC
        out.putInt(0); // sigfigs
        out.putInt(snapLen);
        out.putInt(LINKTYPE_ETHERNET);
    }

    /** Put a 16-byte record header for a packet of {@code origLen} bytes of which {@code capLen} follow. */
    public static void recordHeader(final ByteBuffer out, final long epochNanos, final int capLen, final int origLen)
    {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt((int)(epochNanos / 1_000_000_000L));
        out.putInt((int)(epochNanos % 1_000_000_000L));
        out.putInt(capLen);
        out.putInt(origLen);
    }

    /** Put a pcapng section header block and one Ethernet interface block (nanosecond timestamps, {@code snapLen}). */
    public static void pcapngHeader(final ByteBuffer out, final int snapLen)
    {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(PCAPNG_SHB).putInt(28).putInt(PCAPNG_BOM).putShort((short)1).putShort((short)0).putLong(-1L)
            .putInt(28);
        out.putInt(PCAPNG_IDB).putInt(32).putShort((short)LINKTYPE_ETHERNET).putShort((short)0).putInt(snapLen);
        out.putShort((short)9).putShort((short)1).putInt(9); // if_tsresol: 10^-9 s (the value byte, then padding)
        out.putInt(0); // opt_endofopt
        out.putInt(32);
    }

    /** The length of an enhanced packet block of {@code capLen} bytes with a comment of {@code commentLen} bytes. */
    public static int epbLength(final int capLen, final int commentLen)
    {
        return 32 + pad(capLen) + (commentLen > 0 ? 4 + pad(commentLen) + 4 : 0);
    }

    /**
     * Put the start of an enhanced packet block (up to its packet data) whose whole length is {@link #epbLength};
     * the caller puts the {@code capLen} data bytes, then {@link #epbEnd}.
     */
    public static void epbStart(final ByteBuffer out, final int blockLength, final long epochNanos, final int capLen,
        final int origLen)
    {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(PCAPNG_EPB).putInt(blockLength).putInt(0);
        out.putInt((int)(epochNanos >>> 32)).putInt((int)epochNanos);
        out.putInt(capLen).putInt(origLen);
    }

    /** Pad the data, put the comment option (when {@code comment} has bytes) and the block's trailing length. */
    public static void epbEnd(final ByteBuffer out, final int capLen, final byte[] comment, final int blockLength)
    {
        for (int i = capLen; i < pad(capLen); i++)
        {
            out.put((byte)0);
        }
        if (comment != null && comment.length > 0)
        {
            out.putShort((short)1).putShort((short)comment.length).put(comment); // opt_comment
            for (int i = comment.length; i < pad(comment.length); i++)
            {
                out.put((byte)0);
            }
            out.putInt(0); // opt_endofopt
        }
        out.putInt(blockLength);
    }

    private static int pad(final int n)
    {
        return (n + 3) & ~3;
    }
}
