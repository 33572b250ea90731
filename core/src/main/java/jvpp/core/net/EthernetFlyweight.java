package jvpp.core.net;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An Ethernet II header over buffer memory: destination, source, EtherType (and 802.1Q tags after it): the one
 * place that knows its layout. As {@link Ip4Flyweight}: static accessors taking the buffer and the frame's offset
 * for the hot path, and an instance to wrap at an offset (it holds no packet state of its own, so one instance
 * serves a whole frame) whose methods are the statics.
 *
 * <p>Thread: the statics, any; an instance belongs to one node on one thread.
 */
public final class EthernetFlyweight
{
    public static final int HEADER_LENGTH = 14;
    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int TYPE_OFFSET = 12;
    public static final int VLAN_TAG_LENGTH = 4;
    /** Where the first 802.1Q tag's control information (PCP, DEI, VLAN id) sits in a tagged frame. */
    public static final int VLAN_TCI_OFFSET = 14;
    /** Where the EtherType after the first tag sits in a tagged frame. */
    public static final int VLAN_INNER_TYPE_OFFSET = 16;
    public static final int VLAN_ID_MASK = 0xfff;

    public static final int TYPE_IP4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_DOT1AD = 0x88a8;
    public static final int TYPE_IP6 = 0x86dd;

    /** The EtherType (or, in a tagged frame, the first tag's TPID). */
    public static int type(final UnsafeBuffer buffer, final int frame)
    {
        return buffer.getShort(frame + TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    public static void type(final UnsafeBuffer buffer, final int frame, final int type)
    {
        buffer.putShort(frame + TYPE_OFFSET, (short)type, ByteOrder.BIG_ENDIAN);
    }

    /** An 802.1Q or 802.1ad tag's TPID. */
    public static boolean isVlanType(final int type)
    {
        return type == TYPE_VLAN || type == TYPE_DOT1AD;
    }

    /**
     * The destination MAC, as the low 48 bits: one 8-byte load (the frame has a whole header, so the two bytes
     * after the field are there to read): l2-fwd's per-packet read.
     */
    public static long dst(final UnsafeBuffer buffer, final int frame)
    {
        return buffer.getLong(frame + DST_OFFSET, ByteOrder.BIG_ENDIAN) >>> 16;
    }

    /** The source MAC, as the low 48 bits: one 8-byte load ending with the field (l2-learn's per-packet read). */
    public static long src(final UnsafeBuffer buffer, final int frame)
    {
        return buffer.getLong(frame + SRC_OFFSET - 2, ByteOrder.BIG_ENDIAN) & 0xffff_ffff_ffffL;
    }

    /** The VLAN id of a tagged frame's first tag. */
    public static int vlanId(final UnsafeBuffer buffer, final int frame)
    {
        return buffer.getShort(frame + VLAN_TCI_OFFSET, ByteOrder.BIG_ENDIAN) & VLAN_ID_MASK;
    }

    /** The EtherType (or a second tag's TPID) after a tagged frame's first tag. */
    public static int innerType(final UnsafeBuffer buffer, final int frame)
    {
        return buffer.getShort(frame + VLAN_INNER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    /** Write a tag ({@code tpid << 16 | tci}) after the MACs: the frame must have moved them out of the way first. */
    public static void putVlanTag(final UnsafeBuffer buffer, final int frame, final int tag)
    {
        buffer.putInt(frame + TYPE_OFFSET, tag, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write a whole precomputed header given as its bytes 0–7 and 8–13 in native order (an adjacency's rewrite):
     * three stores, no byte swaps.
     */
    public static void putHeader(final UnsafeBuffer buffer, final int frame, final long bytes0To7, final long bytes8To13)
    {
        buffer.putLong(frame, bytes0To7, ByteOrder.nativeOrder());
        buffer.putInt(frame + 8, (int)bytes8To13, ByteOrder.nativeOrder());
        buffer.putShort(frame + 12, (short)(bytes8To13 >>> 32), ByteOrder.nativeOrder());
    }

    /**
     * A hash of the two MACs for spreading non-IP frames over workers: the first four bytes of each, read in
     * native order (they are only hashed), mixed by murmur3's finaliser steps.
     */
    public static int addressHash(final UnsafeBuffer buffer, final int frame)
    {
        int h = buffer.getInt(frame + DST_OFFSET) * 0x9e3779b1 ^ buffer.getInt(frame + SRC_OFFSET) * 0x85ebca6b;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h ^ (h >>> 16);
    }

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
        return type(buffer, offset);
    }

    public EthernetFlyweight type(final int type)
    {
        type(buffer, offset, type);
        return this;
    }

    public long dst()
    {
        return dst(buffer, offset);
    }

    public EthernetFlyweight dst(final long mac)
    {
        MacAddress.write(buffer, offset + DST_OFFSET, mac);
        return this;
    }

    public long src()
    {
        return src(buffer, offset);
    }

    public EthernetFlyweight src(final long mac)
    {
        MacAddress.write(buffer, offset + SRC_OFFSET, mac);
        return this;
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
