package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826): 28 bytes after the Ethernet header.
 *
 * <p>Thread: the instance belongs to one node on one thread.
 */
public final class ArpFlyweight
{
    public static final int LENGTH = 28;
    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private UnsafeBuffer buffer;
    private int offset;

    public ArpFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int hardwareType()
    {
        return buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public int protocolType()
    {
        return buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public int hardwareLength()
    {
        return buffer.getByte(offset + 4) & 0xff;
    }

    public int protocolLength()
    {
        return buffer.getByte(offset + 5) & 0xff;
    }

    public int opcode()
    {
        return buffer.getShort(offset + 6, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public long senderMac()
    {
        return mac(offset + 8);
    }

    public int senderIp()
    {
        return buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN);
    }

    public long targetMac()
    {
        return mac(offset + 18);
    }

    public int targetIp()
    {
        return buffer.getInt(offset + 24, ByteOrder.BIG_ENDIAN);
    }

    /** Write a whole ARP packet for IPv4 over Ethernet. */
    public void write(final int opcode, final long senderMac, final int senderIp, final long targetMac, final int targetIp)
    {
        buffer.putShort(offset, (short)HTYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 2, (short)EthernetFlyweight.TYPE_IP4, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + 4, (byte)6);
        buffer.putByte(offset + 5, (byte)4);
        buffer.putShort(offset + 6, (short)opcode, ByteOrder.BIG_ENDIAN);
        putMac(offset + 8, senderMac);
        buffer.putInt(offset + 14, senderIp, ByteOrder.BIG_ENDIAN);
        putMac(offset + 18, targetMac);
        buffer.putInt(offset + 24, targetIp, ByteOrder.BIG_ENDIAN);
    }

    private long mac(final int at)
    {
        return MacAddress.read(buffer, at);
    }

    private void putMac(final int at, final long mac)
    {
        MacAddress.write(buffer, at, mac);
    }
}
