package jvpp.nodes.testing;

import java.nio.ByteOrder;

import jvpp.core.net.Ip4;
import org.agrona.concurrent.UnsafeBuffer;

/** Crafted frames and hex helpers for node tests. */
public final class Frames
{
    private Frames()
    {
    }

    public static byte[] hex(final String hex)
    {
        final String h = hex.replaceAll("[\\s|]", "");
        final byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    public static String hex(final byte[] b)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte x : b)
        {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    public static String mac(final long mac)
    {
        return String.format("%012x", mac);
    }

    /** An Ethernet + IPv4 + {@code payload} frame with a valid header checksum. */
    public static byte[] ip4(final long dstMac, final long srcMac, final String src, final String dst, final int ttl,
        final int protocol, final byte[] payload)
    {
        return ip4(dstMac, srcMac, src, dst, ttl, protocol, 0, new byte[0], payload);
    }

    /**
     * An Ethernet + IPv4 frame with {@code flagsFragment} (flags and offset as on the wire) and header
     * {@code options} (a multiple of 4 bytes) before {@code payload}, id 0x1234, with a valid header checksum.
     */
    public static byte[] ip4(final long dstMac, final long srcMac, final String src, final String dst, final int ttl,
        final int protocol, final int flagsFragment, final byte[] options, final byte[] payload)
    {
        final int hl = 20 + options.length;
        final byte[] f = new byte[14 + hl + payload.length];
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(0, (short)(dstMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)dstMac, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)(srcMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(8, (int)srcMac, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(14, (byte)(0x40 | hl / 4));
        b.putShort(16, (short)(hl + payload.length), ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)0x1234, ByteOrder.BIG_ENDIAN);
        b.putShort(20, (short)flagsFragment, ByteOrder.BIG_ENDIAN);
        b.putByte(22, (byte)ttl);
        b.putByte(23, (byte)protocol);
        b.putInt(26, Ip4.parse(src), ByteOrder.BIG_ENDIAN);
        b.putInt(30, Ip4.parse(dst), ByteOrder.BIG_ENDIAN);
        b.putBytes(34, options);
        b.putShort(24, (short)Ip4.checksum(b, 14, hl), ByteOrder.BIG_ENDIAN);
        b.putBytes(14 + hl, payload);
        return f;
    }

    /**
     * An Ethernet + IPv6 frame from fd00::1 to fd00::2 (hop limit 64) whose next header is {@code nextHeader},
     * {@code payload} after the fixed header.
     */
    public static byte[] ip6(final long dstMac, final long srcMac, final int nextHeader, final byte[] payload)
    {
        final byte[] f = new byte[14 + 40 + payload.length];
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(0, (short)(dstMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)dstMac, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)(srcMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(8, (int)srcMac, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x86dd, ByteOrder.BIG_ENDIAN);
        b.putInt(14, 0x6000_0000 | 0x12345, ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)payload.length, ByteOrder.BIG_ENDIAN);
        b.putByte(20, (byte)nextHeader);
        b.putByte(21, (byte)64);
        b.putShort(22, (short)0xfd00, ByteOrder.BIG_ENDIAN);
        b.putByte(37, (byte)1);
        b.putShort(38, (short)0xfd00, ByteOrder.BIG_ENDIAN);
        b.putByte(53, (byte)2);
        b.putBytes(54, payload);
        return f;
    }

    /** An ICMP echo request body (type 8) with a valid checksum. */
    public static byte[] echoRequest(final int id, final int seq, final int dataBytes)
    {
        final byte[] p = new byte[8 + dataBytes];
        final UnsafeBuffer b = new UnsafeBuffer(p);
        b.putByte(0, (byte)8);
        b.putShort(4, (short)id, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)seq, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < dataBytes; i++)
        {
            b.putByte(8 + i, (byte)i);
        }
        b.putShort(2, (short)Ip4.checksum(b, 0, p.length), ByteOrder.BIG_ENDIAN);
        return p;
    }

    /** An Ethernet + ARP frame (IPv4 over Ethernet). */
    public static byte[] arp(final long dstMac, final long srcMac, final int op, final long senderMac, final String senderIp,
        final long targetMac, final String targetIp)
    {
        final byte[] f = new byte[42];
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(0, (short)(dstMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)dstMac, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)(srcMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(8, (int)srcMac, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0806, ByteOrder.BIG_ENDIAN);
        new jvpp.core.net.ArpFlyweight().wrap(b, 14).write(op, senderMac, Ip4.parse(senderIp), targetMac, Ip4.parse(targetIp));
        return f;
    }

    /** {@code frame} with an 802.1Q ({@code tpid} 0x8100) or 802.1ad (0x88a8) tag of {@code vlan} after the MACs. */
    public static byte[] tag(final byte[] frame, final int tpid, final int vlan)
    {
        final byte[] f = new byte[frame.length + 4];
        System.arraycopy(frame, 0, f, 0, 12);
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(12, (short)tpid, ByteOrder.BIG_ENDIAN);
        b.putShort(14, (short)vlan, ByteOrder.BIG_ENDIAN);
        System.arraycopy(frame, 12, f, 16, frame.length - 12);
        return f;
    }

    /** {@code frame} with a dot1q tag of {@code vlan}. */
    public static byte[] dot1q(final byte[] frame, final int vlan)
    {
        return tag(frame, 0x8100, vlan);
    }
}
