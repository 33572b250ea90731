package jvpp.nodes.pg;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One packet-generator stream: a packet template, the fields that vary per packet, and how many packets
 * to send how fast. The template is built once by {@link PgStreamParser}; {@link #fill} stamps one packet.
 *
 * <p>Varying fields ({@code a.b.c.d - a.b.c.e}, {@code 1234 - 1240}) step by one per packet and wrap, each
 * with its own cursor (no division per packet).
 * The IPv4 header checksum is updated incrementally from a precomputed partial sum; UDP checksums are sent
 * as 0 (allowed for IPv4); TCP and ICMP checksums are computed per packet.
 *
 * <p>Thread: configured on main; its counters and {@link #enabled} are advanced by the thread that runs it.
 */
public final class PgStream
{
    final String name;
    final int id;
    final long limit;
    final double rate;
    final int sizeMin;
    final int sizeMax;
    final int rxIf;
    final int txIf;
    final String node;
    final UnsafeBuffer template;
    final int templateLength;
    final int ipOffset;
    final int l4Offset;
    final int l4Proto;
    final int ipSumBase;
    final boolean variableSize;
    final int[] editOffset;
    final int[] editWidth;
    final long[] editBase;
    final long[] editCount;
    final boolean[] editInIpHeader;
    final long[] editCursor;
    final String description;

    int arc = -1;
    volatile boolean enabled;
    long sent;
    double tokens;
    long lastNanos;
    int sizeCursor;

    PgStream(final String name, final int id, final long limit, final double rate, final int sizeMin, final int sizeMax,
        final int rxIf, final int txIf, final String node, final UnsafeBuffer template, final int templateLength,
        final int ipOffset, final int l4Offset, final int l4Proto, final int[] editOffset, final int[] editWidth,
        final long[] editBase, final long[] editCount, final String description)
    {
        this.name = name;
        this.id = id;
        this.limit = limit;
        this.rate = rate;
        this.sizeMin = sizeMin;
        this.sizeMax = sizeMax;
        this.rxIf = rxIf;
        this.txIf = txIf;
        this.node = node;
        this.template = template;
        this.templateLength = templateLength;
        this.ipOffset = ipOffset;
        this.l4Offset = l4Offset;
        this.l4Proto = l4Proto;
        this.variableSize = sizeMin != sizeMax;
        this.editOffset = editOffset;
        this.editWidth = editWidth;
        this.editBase = editBase;
        this.editCount = editCount;
        this.description = description;
        this.editInIpHeader = new boolean[editOffset.length];
        this.editCursor = new long[editOffset.length];
        for (int i = 0; i < editOffset.length; i++)
        {
            editInIpHeader[i] = ipOffset >= 0 && editOffset[i] >= ipOffset && editOffset[i] < ipOffset + 20;
        }
        this.ipSumBase = ipOffset >= 0 ? ipPartialSum() : 0;
    }

    public String name()
    {
        return name;
    }

    public boolean enabled()
    {
        return enabled;
    }

    public long sent()
    {
        return sent;
    }

    public long limit()
    {
        return limit;
    }

    public String description()
    {
        return description;
    }

    /**
     * The ones-complement sum of the template's IPv4 header with the checksum, the varying fields and (for
     * variable sizes) the total length left out; per packet only those are added back.
     */
    private int ipPartialSum()
    {
        final byte[] header = new byte[20];
        template.getBytes(ipOffset, header);
        final UnsafeBuffer h = new UnsafeBuffer(header);
        h.putShort(10, (short)0);
        if (variableSize)
        {
            h.putShort(2, (short)0);
        }
        for (int i = 0; i < editOffset.length; i++)
        {
            if (editInIpHeader[i])
            {
                for (int b = 0; b < editWidth[i]; b++)
                {
                    h.putByte(editOffset[i] - ipOffset + b, (byte)0);
                }
            }
        }
        long sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += h.getShort(i, ByteOrder.BIG_ENDIAN) & 0xffff;
        }
        return (int)sum;
    }

    /** The size of the next packet (sizes step through min..max). */
    int nextSize()
    {
        if (!variableSize)
        {
            return sizeMin;
        }
        final int size = sizeMin + sizeCursor;
        sizeCursor = size >= sizeMax ? 0 : sizeCursor + 1;
        return size;
    }

    /** Write the next packet, {@code size} bytes, at {@code offset} of {@code mem}. */
    void fill(final UnsafeBuffer mem, final int offset, final int size)
    {
        mem.putBytes(offset, template, 0, size);
        long ipSum = ipSumBase;
        final int[] eo = editOffset;
        for (int i = 0; i < eo.length; i++)
        {
            final long cursor = editCursor[i];
            final long v = editBase[i] + cursor;
            editCursor[i] = cursor + 1 == editCount[i] ? 0 : cursor + 1;
            final int at = offset + eo[i];
            switch (editWidth[i])
            {
                case 4:
                    mem.putInt(at, (int)v, ByteOrder.BIG_ENDIAN);
                    if (editInIpHeader[i])
                    {
                        ipSum += ((v >>> 16) & 0xffff) + (v & 0xffff);
                    }
                    break;
                case 2:
                    mem.putShort(at, (short)v, ByteOrder.BIG_ENDIAN);
                    if (editInIpHeader[i])
                    {
                        ipSum += v & 0xffff;
                    }
                    break;
                default:
                    mem.putByte(at, (byte)v);
                    if (editInIpHeader[i])
                    {
                        ipSum += ((eo[i] - ipOffset) & 1) == 0 ? (v & 0xff) << 8 : v & 0xff;
                    }
                    break;
            }
        }
        if (ipOffset >= 0 && ipOffset + 20 <= size)
        {
            if (variableSize)
            {
                final int total = size - ipOffset;
                mem.putShort(offset + ipOffset + 2, (short)total, ByteOrder.BIG_ENDIAN);
                ipSum += total;
                if (l4Proto == PgStreamParser.PROTO_UDP && l4Offset + 8 <= size)
                {
                    mem.putShort(offset + l4Offset + 4, (short)(size - l4Offset), ByteOrder.BIG_ENDIAN);
                }
            }
            ipSum = (ipSum & 0xffff) + (ipSum >>> 16);
            ipSum = (ipSum & 0xffff) + (ipSum >>> 16);
            mem.putShort(offset + ipOffset + 10, (short)~ipSum, ByteOrder.BIG_ENDIAN);
            if (l4Proto == PgStreamParser.PROTO_TCP || l4Proto == PgStreamParser.PROTO_ICMP)
            {
                PgStreamParser.l4Checksum(mem, offset, ipOffset, l4Offset, l4Proto, size);
            }
        }
    }
}
