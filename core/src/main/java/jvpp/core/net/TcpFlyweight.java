package jvpp.core.net;

/**
 * A TCP header (RFC 9293): where its fields are. jvpp only forwards TCP, so nothing but the checksum's place
 * (which {@link Ip4#fillL4Checksum} fills in) is needed yet; the ports are where UDP's are, which is what
 * {@link Ip4Flyweight#flowHash} relies on.
 *
 * <p>Thread: any.
 */
public final class TcpFlyweight
{
    public static final int CHECKSUM_OFFSET = 16;

    private TcpFlyweight()
    {
    }
}
