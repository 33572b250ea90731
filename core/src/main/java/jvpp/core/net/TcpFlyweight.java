package jvpp.core.net;

/**
 * A TCP header (RFC 9293): where its fields are. jvpp only forwards TCP, so nothing but the checksum offset
 * (which {@link Ip4#fillL4Checksum} fills in) and the ports (which a flow hash reads, at the same place as
 * UDP's) is needed yet.
 *
 * <p>Thread: any.
 */
public final class TcpFlyweight
{
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int CHECKSUM_OFFSET = 16;

    private TcpFlyweight()
    {
    }
}
