package jvpp.nodes.pg;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.MacAddress;
import jvpp.core.net.UdpFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Parses a {@code packet-generator new { ... }} block in vppctl's syntax into a {@link PgStream}:
 * <pre>
 * packet-generator new {
 *   name s0  limit 1000  rate 1e6  size 64-64  interface loop0  tx-interface null0  node ethernet-input
 *   data {
 *     IP4: 00:01:02:03:04:05 -> 00:02:03:04:05:06      Ethernet header: EtherType: src -> dst (either may be
 *                                                      a range a - b differing in the last four bytes)
 *     UDP: 10.0.0.1 - 10.0.0.10 -> 10.0.1.1 ttl 64      IPv4 header (protocol UDP), source range
 *     UDP: 1234 -> 2345                                UDP header
 *     incrementing 30                                  payload 00 01 02 ...
 *   }
 * }
 * </pre>
 * Also {@code TCP:}/{@code ICMP:} IPv4 headers, {@code TCP: 80 -> 8080}, {@code ICMP echo_request},
 * {@code hex <bytes>}. {@code limit 0} is unlimited, {@code rate 0} (the default) as fast as possible.
 * Lengths and checksums are filled in to match each packet's size.
 *
 * <p>Thread: main. Parsing changes nothing; an error says what it did not understand.
 */
public final class PgStreamParser
{
    public static final int PROTO_ICMP = Ip4.PROTO_ICMP;
    public static final int PROTO_TCP = Ip4.PROTO_TCP;
    public static final int PROTO_UDP = Ip4.PROTO_UDP;

    /** What the parser resolves names with. */
    public interface Resolver
    {
        /** The sw_if_index of {@code name}, or -1. */
        int interfaceIndex(String name);

        /** Whether a node of that name exists. */
        boolean nodeExists(String name);

        /** The largest packet a buffer holds. */
        int maxPacketSize();
    }

    private PgStreamParser()
    {
    }

    /** Parse the words inside {@code packet-generator new { ... }}. */
    public static PgStream parse(final CliInput in, final int id, final Resolver resolver) throws CliException
    {
        String name = null;
        long limit = 0;
        double rate = 0;
        int sizeMin = -1;
        int sizeMax = -1;
        int rxIf = 0;
        int txIf = -1;
        String node = null;
        Template t = null;
        int worker = -1;
        while (!in.atEnd())
        {
            if (in.accept("name"))
            {
                name = in.next("stream name");
            }
            else if (in.accept("limit"))
            {
                limit = in.nextLong("limit", 0, Long.MAX_VALUE);
            }
            else if (in.accept("rate"))
            {
                rate = parseRate(in.next("rate"));
            }
            else if (in.accept("size"))
            {
                final String s = in.next("size");
                final String[] p = s.split("-", -1);
                try
                {
                    sizeMin = Integer.parseInt(p[0]);
                    sizeMax = p.length == 2 ? Integer.parseInt(p[1]) : p.length == 1 ? sizeMin : -1;
                }
                catch (final NumberFormatException ex)
                {
                    throw new CliException("expected size <min>-<max>, got `" + s + "'");
                }
                if (sizeMin < 1 || sizeMax < sizeMin)
                {
                    throw new CliException("expected size <min>-<max>, got `" + s + "'");
                }
            }
            else if (in.accept("interface"))
            {
                rxIf = resolveInterface(resolver, in.next("interface"));
            }
            else if (in.accept("tx-interface"))
            {
                txIf = resolveInterface(resolver, in.next("tx-interface"));
            }
            else if (in.accept("worker"))
            {
                worker = in.nextInt("worker", 0, 1023);
            }
            else if (in.accept("node"))
            {
                node = in.next("node name");
                if (!resolver.nodeExists(node))
                {
                    throw new CliException("unknown node `" + node + "'");
                }
            }
            else if (in.peek().equals("data"))
            {
                in.next("data");
                t = parseData(in.block("data"));
            }
            else
            {
                throw in.unknown();
            }
        }
        if (name == null)
        {
            throw new CliException("missing stream name");
        }
        if (node == null)
        {
            throw new CliException("missing node");
        }
        if (t == null || t.bytes.isEmpty())
        {
            throw new CliException("missing data");
        }
        if (sizeMin < 0)
        {
            sizeMin = t.bytes.size();
            sizeMax = sizeMin;
        }
        if (sizeMax > resolver.maxPacketSize())
        {
            throw new CliException("size " + sizeMax + " exceeds the buffer data size " + resolver.maxPacketSize());
        }
        final PgStream s = t.build(name, id, limit, rate, sizeMin, sizeMax, rxIf, txIf, node);
        s.worker = worker;
        return s;
    }

    private static int resolveInterface(final Resolver resolver, final String ifName) throws CliException
    {
        final int sw = resolver.interfaceIndex(ifName);
        if (sw < 0)
        {
            throw new CliException("unknown interface `" + ifName + "'");
        }
        return sw;
    }

    static double parseRate(final String s) throws CliException
    {
        double mult = 1;
        String num = s;
        final char last = s.isEmpty() ? ' ' : Character.toLowerCase(s.charAt(s.length() - 1));
        if (last == 'k' || last == 'm' || last == 'g')
        {
            mult = last == 'k' ? 1e3 : last == 'm' ? 1e6 : 1e9;
            num = s.substring(0, s.length() - 1);
        }
        try
        {
            final double r = Double.parseDouble(num) * mult;
            if (r < 0 || Double.isNaN(r) || Double.isInfinite(r))
            {
                throw new NumberFormatException();
            }
            return r;
        }
        catch (final NumberFormatException ex)
        {
            throw new CliException("expected rate in packets/sec, got `" + s + "'");
        }
    }

    /** The packet as headers are appended, with where the IPv4 and L4 headers start and what varies. */
    private static final class Template
    {
        final List<Byte> bytes = new ArrayList<>();
        int ipOffset = -1;
        int l4Offset = -1;
        int l4Proto = -1;
        final List<long[]> edits = new ArrayList<>(); // {offset, width, base, count}
        final StringBuilder description = new StringBuilder();

        int size()
        {
            return bytes.size();
        }

        void put(final long value, final int width)
        {
            for (int i = width - 1; i >= 0; i--)
            {
                bytes.add((byte)(value >>> (8 * i)));
            }
        }

        void range(final int offset, final int width, final long from, final long to)
        {
            if (to != from)
            {
                edits.add(new long[]{offset, width, from, to - from + 1});
            }
        }

        PgStream build(final String name, final int id, final long limit, final double rate, final int sizeMin,
            final int sizeMax, final int rxIf, final int txIf, final String node)
        {
            final int length = Math.max(sizeMax, bytes.size());
            final UnsafeBuffer tpl = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(length));
            for (int i = 0; i < bytes.size(); i++)
            {
                tpl.putByte(i, bytes.get(i));
            }
            if (ipOffset >= 0 && ipOffset + Ip4Flyweight.MIN_HEADER_LENGTH <= length)
            {
                Ip4Flyweight.totalLength(tpl, ipOffset, sizeMin - ipOffset);
                if (l4Proto == PROTO_UDP && l4Offset >= 0 && l4Offset + UdpFlyweight.HEADER_LENGTH <= length)
                {
                    UdpFlyweight.length(tpl, l4Offset, sizeMin - l4Offset);
                }
            }
            final int n = edits.size();
            final int[] off = new int[n];
            final int[] width = new int[n];
            final long[] base = new long[n];
            final long[] count = new long[n];
            for (int i = 0; i < n; i++)
            {
                final long[] e = edits.get(i);
                off[i] = (int)e[0];
                width[i] = (int)e[1];
                base[i] = e[2];
                count[i] = e[3];
            }
            final String desc = "limit " + limit + ", rate " + (rate == 0 ? "max" : String.format("%.2e", rate))
                + ", size " + sizeMin + (sizeMin == sizeMax ? "" : "-" + sizeMax) + ", node " + node
                + (description.length() > 0 ? ", " + description : "");
            return new PgStream(name, id, limit, rate, sizeMin, sizeMax, rxIf, txIf, node, tpl, bytes.size(), ipOffset,
                l4Offset, l4Proto, off, width, base, count, desc);
        }
    }

    private static Template parseData(final CliInput in) throws CliException
    {
        final Template t = new Template();
        while (!in.atEnd())
        {
            final String w = in.next("data");
            if (w.equals("incrementing"))
            {
                final int n = in.nextInt("byte count", 0, 65535);
                for (int i = 0; i < n; i++)
                {
                    t.bytes.add((byte)i);
                }
            }
            else if (w.equals("hex"))
            {
                parseHex(t, in.next("hex bytes"));
            }
            else if (w.equals("ICMP") && !in.atEnd())
            {
                parseIcmpHeader(t, in);
            }
            else if (w.endsWith(":"))
            {
                final String kind = w.substring(0, w.length() - 1);
                final int proto = kind.equals("UDP") ? PROTO_UDP : kind.equals("TCP") ? PROTO_TCP
                    : kind.equals("ICMP") ? PROTO_ICMP : -1;
                if (proto >= 0 && !in.atEnd() && Ip4.isAddress(in.peek()))
                {
                    parseIp4Header(t, in, proto);
                }
                else if ((proto == PROTO_UDP || proto == PROTO_TCP) && !in.atEnd())
                {
                    parsePorts(t, in, proto);
                }
                else
                {
                    final int type = EthernetFlyweight.parseType(kind);
                    if (type < 0)
                    {
                        throw new CliException("unknown input `" + w + " " + in.rest() + "'");
                    }
                    parseEthernet(t, in, type);
                }
            }
            else
            {
                throw new CliException("unknown input `" + w + (in.atEnd() ? "" : " " + in.rest()) + "'");
            }
        }
        return t;
    }

    private static void parseEthernet(final Template t, final CliInput in, final int type) throws CliException
    {
        final long src = mac(in.next("source MAC"));
        final long srcTo = in.accept("-") ? mac(in.next("source MAC")) : src;
        in.expect("->");
        final long dst = mac(in.next("destination MAC"));
        final long dstTo = in.accept("-") ? mac(in.next("destination MAC")) : dst;
        final int at = t.size();
        t.put(dst, 6);
        t.put(src, 6);
        t.put(type, 2);
        macRange(t, at, dst, dstTo);
        macRange(t, at + 6, src, srcTo);
        t.description.append(EthernetFlyweight.typeName(type)).append(": ").append(MacAddress.format(src))
            .append(src != srcTo ? " - " + MacAddress.format(srcTo) : "").append(" -> ").append(MacAddress.format(dst))
            .append(dst != dstTo ? " - " + MacAddress.format(dstTo) : "");
    }

    /** A MAC range steps its low four bytes (the first two stay): {@code 02:00:00:00:00:01 - 02:00:00:01:00:00}. */
    private static void macRange(final Template t, final int at, final long from, final long to) throws CliException
    {
        if (from == to)
        {
            return;
        }
        if ((from >>> 32) != (to >>> 32) || (to & 0xffff_ffffL) < (from & 0xffff_ffffL))
        {
            throw new CliException("MAC range " + MacAddress.format(from) + " - " + MacAddress.format(to)
                + ": must go upwards and differ only in the last four bytes");
        }
        t.range(at + 2, 4, from & 0xffff_ffffL, to & 0xffff_ffffL);
    }

    private static long mac(final String s) throws CliException
    {
        final long m = MacAddress.parse(s);
        if (m < 0)
        {
            throw new CliException("expected MAC address, got `" + s + "'");
        }
        return m;
    }

    private static int ip(final String s) throws CliException
    {
        try
        {
            return Ip4.parse(s);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException("expected IP4 address, got `" + s + "'");
        }
    }

    private static void parseIp4Header(final Template t, final CliInput in, final int proto) throws CliException
    {
        final int srcFrom = ip(in.next("source address"));
        final int srcTo = in.accept("-") ? ip(in.next("source address")) : srcFrom;
        in.expect("->");
        final int dstFrom = ip(in.next("destination address"));
        final int dstTo = in.accept("-") ? ip(in.next("destination address")) : dstFrom;
        if (Integer.compareUnsigned(srcTo, srcFrom) < 0 || Integer.compareUnsigned(dstTo, dstFrom) < 0)
        {
            throw new CliException("address range must go upwards");
        }
        int ttl = 64;
        int tos = 0;
        int flags = 0;
        while (!in.atEnd())
        {
            if (in.accept("ttl"))
            {
                ttl = in.nextInt("ttl", 0, 255);
            }
            else if (in.accept("tos"))
            {
                tos = in.nextInt("tos", 0, 255);
            }
            else if (in.accept("df"))
            {
                flags = 0x4000;
            }
            else
            {
                break;
            }
        }
        final int at = t.size();
        t.ipOffset = at;
        t.l4Proto = proto;
        t.put(0x45, 1);
        t.put(tos, 1);
        t.put(0, 2); // total length: per packet
        t.put(0, 2); // id
        t.put(flags, 2);
        t.put(ttl, 1);
        t.put(proto, 1);
        t.put(0, 2); // checksum: per packet
        t.put(srcFrom & 0xffff_ffffL, 4);
        t.put(dstFrom & 0xffff_ffffL, 4);
        t.range(at + 12, 4, srcFrom & 0xffff_ffffL, srcTo & 0xffff_ffffL);
        t.range(at + 16, 4, dstFrom & 0xffff_ffffL, dstTo & 0xffff_ffffL);
        t.description.append(t.description.length() > 0 ? ", " : "").append(Ip4.format(srcFrom))
            .append(srcTo != srcFrom ? " - " + Ip4.format(srcTo) : "").append(" -> ").append(Ip4.format(dstFrom))
            .append(dstTo != dstFrom ? " - " + Ip4.format(dstTo) : "");
    }

    private static void parsePorts(final Template t, final CliInput in, final int proto) throws CliException
    {
        final int srcFrom = in.nextInt("source port", 0, 65535);
        final int srcTo = in.accept("-") ? in.nextInt("source port", srcFrom, 65535) : srcFrom;
        in.expect("->");
        final int dstFrom = in.nextInt("destination port", 0, 65535);
        final int dstTo = in.accept("-") ? in.nextInt("destination port", dstFrom, 65535) : dstFrom;
        final int at = t.size();
        t.l4Offset = at;
        t.put(srcFrom, 2);
        t.put(dstFrom, 2);
        if (proto == PROTO_UDP)
        {
            t.put(0, 2); // length: per packet
            t.put(0, 2); // checksum 0: none (IPv4)
        }
        else
        {
            t.put(0, 4); // seq
            t.put(0, 4); // ack
            t.put(0x5002, 2); // data offset 5, SYN
            t.put(65535, 2); // window
            t.put(0, 2); // checksum: per packet
            t.put(0, 2); // urgent
        }
        t.range(at, 2, srcFrom, srcTo);
        t.range(at + 2, 2, dstFrom, dstTo);
    }

    private static void parseIcmpHeader(final Template t, final CliInput in) throws CliException
    {
        final String type = in.next("ICMP type");
        final int code;
        if (type.equals("echo_request"))
        {
            code = 8;
        }
        else if (type.equals("echo_reply"))
        {
            code = 0;
        }
        else
        {
            throw new CliException("unknown input `ICMP " + type + "'");
        }
        final int id = in.accept("id") ? in.nextInt("id", 0, 65535) : 0;
        final int seq = in.accept("seq") ? in.nextInt("seq", 0, 65535) : 0;
        t.l4Offset = t.size();
        t.put(code, 1);
        t.put(0, 1);
        t.put(0, 2); // checksum: per packet
        t.put(id, 2);
        t.put(seq, 2);
    }

    private static void parseHex(final Template t, final String hex) throws CliException
    {
        final String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (h.length() % 2 != 0)
        {
            throw new CliException("expected an even number of hex digits, got `" + hex + "'");
        }
        for (int i = 0; i < h.length(); i += 2)
        {
            final int hi = Character.digit(h.charAt(i), 16);
            final int lo = Character.digit(h.charAt(i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new CliException("expected hex bytes, got `" + hex + "'");
            }
            t.bytes.add((byte)((hi << 4) | lo));
        }
    }
}
