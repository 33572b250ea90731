package jvpp.nodes.ip4;

import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** How the ip4 nodes print a traced packet's IPv4 header (VPP's format_ip4_header). */
final class Ip4Format
{
    private Ip4Format()
    {
    }

    static void header(final StringBuilder out, final TraceBuffer.Record record)
    {
        header(out, record.data(), record.captured(), record.length());
    }

    /** The IPv4 header at the start of {@code data}: {@code captured} bytes kept of a {@code length}-byte packet. */
    static void header(final StringBuilder out, final UnsafeBuffer data, final int captured, final int length)
    {
        if (captured < Ip4Flyweight.MIN_HEADER_LENGTH)
        {
            out.append("  ").append(length).append(" bytes, shorter than an IPv4 header");
            return;
        }
        final Ip4Flyweight ip = new Ip4Flyweight().wrap(data, 0);
        out.append("  ").append(protocolName(ip.protocol())).append(": ").append(Ip4.format(ip.src())).append(" -> ")
            .append(Ip4.format(ip.dst())).append('\n');
        out.append(String.format("    tos 0x%02x, ttl %d, length %d, checksum 0x%04x dscp CS0 ecn NON_ECN%n", ip.tos(),
            ip.ttl(), ip.totalLength(), ip.checksum()));
        out.append(String.format("    fragment id 0x%04x%s", ip.id(), ip.dontFragment() ? " flags DONT_FRAGMENT" : ""));
    }

    static String protocolName(final int p)
    {
        switch (p)
        {
            case Ip4.PROTO_ICMP:
                return "ICMP";
            case Ip4.PROTO_TCP:
                return "TCP";
            case Ip4.PROTO_UDP:
                return "UDP";
            default:
                return "proto " + p;
        }
    }
}
