package jvpp.core.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of a classic libpcap file with nanosecond timestamps (magic {@code 0xa1b23c4d}, version 2.4, link type
 * 1 = Ethernet), written little-endian as the magic tells a reader. Classic pcap has no comment field, so a drop
 * capture carries no reason (see the core README).
 *
 * <p>Thread: any; it holds no state.
 */
public final class PcapFormat
{
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int FILE_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int LINKTYPE_ETHERNET = 1;

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
}
