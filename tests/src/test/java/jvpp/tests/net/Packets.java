package jvpp.tests.net;

import java.nio.ByteBuffer;

/** Hand-made Ethernet, IPv4, ICMP and ARP frames for the end-to-end tests, right or wrong on purpose. */
public final class Packets
{
    public static final int TYPE_IP4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;

    private Packets()
    {
    }

    public static byte[] mac(final String text)
    {
        final String[] p = text.split(":");
        final byte[] b = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            b[i] = (byte)Integer.parseInt(p[i], 16);
        }
        return b;
    }

    public static byte[] ip(final String text)
    {
        final String[] p = text.split("\\.");
        final byte[] b = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            b[i] = (byte)Integer.parseInt(p[i]);
        }
        return b;
    }

    public static byte[] ethernet(final String dst, final String src, final int type, final byte[] payload)
    {
        return ByteBuffer.allocate(14 + payload.length).put(mac(dst)).put(mac(src)).putShort((short)type).put(payload)
            .array();
    }

    /** The Internet checksum of {@code b[from..from+len)}. */
    public static int checksum(final byte[] b, final int from, final int len)
    {
        long sum = 0;
        for (int i = 0; i < len; i += 2)
        {
            sum += ((b[from + i] & 0xff) << 8) | (i + 1 < len ? b[from + i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int)(~sum & 0xffff);
    }

    /** An IPv4 packet; {@code ihl} and {@code totalLength} as given (-1: the right ones), checksum right. */
    public static byte[] ip4(final String src, final String dst, final int protocol, final int ttl, final int flagsFrag,
        final byte[] options, final int ihl, final int totalLength, final byte[] payload)
    {
        final int hl = 20 + options.length;
        final byte[] p = ByteBuffer.allocate(hl + payload.length)
            .put((byte)(0x40 | (ihl >= 0 ? ihl : hl / 4))).put((byte)0)
            .putShort((short)(totalLength >= 0 ? totalLength : hl + payload.length))
            .putShort((short)0x4a56).putShort((short)flagsFrag).put((byte)ttl).put((byte)protocol).putShort((short)0)
            .put(ip(src)).put(ip(dst)).put(options).put(payload).array();
        final int c = checksum(p, 0, hl);
        p[10] = (byte)(c >>> 8);
        p[11] = (byte)c;
        return p;
    }

    public static byte[] ip4(final String src, final String dst, final int protocol, final int ttl, final byte[] payload)
    {
        return ip4(src, dst, protocol, ttl, 0, new byte[0], -1, -1, payload);
    }

    /** An ICMP echo request with {@code data} bytes of payload, checksum right. */
    public static byte[] echoRequest(final int id, final int seq, final int data)
    {
        final byte[] p = new byte[8 + data];
        p[0] = 8;
        p[4] = (byte)(id >>> 8);
        p[5] = (byte)id;
        p[6] = (byte)(seq >>> 8);
        p[7] = (byte)seq;
        final int c = checksum(p, 0, p.length);
        p[2] = (byte)(c >>> 8);
        p[3] = (byte)c;
        return p;
    }

    /** A UDP header and {@code data} bytes, checksum 0 (none, legal in IPv4). */
    public static byte[] udp(final int srcPort, final int dstPort, final int data)
    {
        return ByteBuffer.allocate(8 + data).putShort((short)srcPort).putShort((short)dstPort)
            .putShort((short)(8 + data)).putShort((short)0).array();
    }

    /** An ARP packet: hardware type, protocol type, lengths and opcode as given. */
    public static byte[] arp(final int htype, final int ptype, final int hlen, final int plen, final int op,
        final String senderMac, final String senderIp, final String targetMac, final String targetIp)
    {
        return ByteBuffer.allocate(28).putShort((short)htype).putShort((short)ptype).put((byte)hlen).put((byte)plen)
            .putShort((short)op).put(mac(senderMac)).put(ip(senderIp)).put(mac(targetMac)).put(ip(targetIp)).array();
    }
}
