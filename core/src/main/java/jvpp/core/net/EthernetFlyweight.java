package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An Ethernet II header over buffer memory: destination, source, EtherType (and 802.1Q tags after it).
 * Wrap it at a packet's offset; it holds no packet state of its own, so one instance serves a whole frame.
 *
 * <p>Thread: the instance belongs to one node on one thread.
 */
public final class EthernetFlyweight
{
    public static final int HEADER_LENGTH = 14;
    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int TYPE_OFFSET = 12;
    public static final int VLAN_TAG_LENGTH = 4;

    public static final int TYPE_IP4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_DOT1AD = 0x88a8;
    public static final int TYPE_IP6 = 0x86dd;

    /**
     * Move the destination and source MACs (12 bytes) from {@code from} to {@code to} of {@code buffer}, the two
     * ranges overlapping: what popping a VLAN tag (4 bytes further on) and pushing one (4 bytes back) both do.
     */
    public static void moveAddresses(final UnsafeBuffer buffer, final int from, final int to)
    {
        final long first8 = buffer.getLong(from);
        final int last4 = buffer.getInt(from + 8);
        buffer.putLong(to, first8);
        buffer.putInt(to + 8, last4);
    }

    private UnsafeBuffer buffer;
    private int offset;

    public EthernetFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset()
    {
        return offset;
    }

    public int type()
    {
        return buffer.getShort(offset + TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public EthernetFlyweight type(final int type)
    {
        buffer.putShort(offset + TYPE_OFFSET, (short)type, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long dst()
    {
        return mac(offset + DST_OFFSET);
    }

    public EthernetFlyweight dst(final long mac)
    {
        putMac(offset + DST_OFFSET, mac);
        return this;
    }

    public long src()
    {
        return mac(offset + SRC_OFFSET);
    }

    public EthernetFlyweight src(final long mac)
    {
        putMac(offset + SRC_OFFSET, mac);
        return this;
    }

    private long mac(final int at)
    {
        return MacAddress.read(buffer, at);
    }

    private void putMac(final int at, final long mac)
    {
        MacAddress.write(buffer, at, mac);
    }

    /** The EtherType's name as VPP prints it ({@code IP4}, {@code ARP}, ...) or {@code 0x%04x}. */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case TYPE_IP4:
                return "IP4";
            case TYPE_ARP:
                return "ARP";
            case TYPE_IP6:
                return "IP6";
            case TYPE_VLAN:
                return "VLAN";
            case TYPE_DOT1AD:
                return "DOT1AD";
            case 0x8847:
                return "MPLS";
            case 0x88cc:
                return "LLDP";
            default:
                return String.format("0x%04x", type);
        }
    }

    /** Parse an EtherType name or number; -1 when unknown. */
    public static int parseType(final String name)
    {
        switch (name)
        {
            case "IP4":
                return TYPE_IP4;
            case "ARP":
                return TYPE_ARP;
            case "IP6":
                return TYPE_IP6;
            case "VLAN":
                return TYPE_VLAN;
            case "DOT1AD":
                return TYPE_DOT1AD;
            case "MPLS":
                return 0x8847;
            default:
                try
                {
                    final int v = name.startsWith("0x") ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name);
                    return v >= 0 && v <= 0xffff ? v : -1;
                }
                catch (final NumberFormatException ex)
                {
                    return -1;
                }
        }
    }
}
