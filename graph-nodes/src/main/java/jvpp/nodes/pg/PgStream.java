package jvpp.nodes.pg;

import java.nio.ByteOrder;

import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.UdpFlyweight;
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
    /** Per varying field, null or the values it cycles through (instead of base + cursor). */
    final int[][] editTable;
    final String description;
    /** Nothing varies per packet: lengths and checksums are already in the template. */
    final boolean plain;
    // Per-frame scratch: a stream is run by one thread.
    private final int[] scratchOffsets = new int[jvpp.core.graph.Frame.SIZE];
    private final int[] scratchSizes = new int[jvpp.core.graph.Frame.SIZE];
    private final long[] scratchSums = new long[jvpp.core.graph.Frame.SIZE];

    int arc = -1;
    /** The thread that runs it (0: main). Set when added. */
    int thread;
    /** {@code worker <n>} as given, or -1. */
    int worker = -1;
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
        this.editTable = new int[editOffset.length][];
        for (int i = 0; i < editOffset.length; i++)
        {
            editInIpHeader[i] = ipOffset >= 0 && editOffset[i] >= ipOffset && editOffset[i] < ipOffset + 20;
        }
        this.ipSumBase = ipOffset >= 0 ? ipPartialSum() : 0;
        final boolean nothingVaries = editOffset.length == 0 && !variableSize;
        if (nothingVaries)
        {
            edit(template, 0, sizeMin);
        }
        this.plain = nothingVaries;
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
        final byte[] header = new byte[Ip4Flyweight.MIN_HEADER_LENGTH];
        template.getBytes(ipOffset, header);
        final UnsafeBuffer h = new UnsafeBuffer(header);
        Ip4Flyweight.checksum(h, 0, 0);
        if (variableSize)
        {
            Ip4Flyweight.totalLength(h, 0, 0);
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
        for (int i = 0; i < Ip4Flyweight.MIN_HEADER_LENGTH; i += 2)
        {
            sum += h.getShort(i, ByteOrder.BIG_ENDIAN) & 0xffff;
        }
        return (int)sum;
    }

    /**
     * The same stream, but its IPv4 destination cycles through {@code addresses} instead of a range: for
     * benchmarks that need destinations spread over a large table (VPP's pg has no syntax for this, so it is
     * a Java API, not a CLI word). The stream must have an IPv4 header.
     */
    public PgStream withDestinations(final int[] addresses)
    {
        if (ipOffset < 0 || addresses.length == 0)
        {
            throw new IllegalArgumentException("stream " + name + " has no IPv4 header or no addresses given");
        }
        final int at = ipOffset + 16;
        int idx = -1;
        for (int i = 0; i < editOffset.length; i++)
        {
            if (editOffset[i] == at)
            {
                idx = i;
            }
        }
        final int n = idx < 0 ? editOffset.length + 1 : editOffset.length;
        final int slot = idx < 0 ? n - 1 : idx;
        final int[] off = java.util.Arrays.copyOf(editOffset, n);
        final int[] width = java.util.Arrays.copyOf(editWidth, n);
        final long[] base = java.util.Arrays.copyOf(editBase, n);
        final long[] count = java.util.Arrays.copyOf(editCount, n);
        off[slot] = at;
        width[slot] = 4;
        base[slot] = 0;
        count[slot] = addresses.length;
        final PgStream s = new PgStream(name, id, limit, rate, sizeMin, sizeMax, rxIf, txIf, node, template, templateLength,
            ipOffset, l4Offset, l4Proto, off, width, base, count, description + ", " + addresses.length + " destinations");
        s.worker = worker;
        for (int i = 0; i < n; i++)
        {
            s.editTable[i] = i == slot ? addresses.clone() : editTable.length > i ? editTable[i] : null;
        }
        return s;
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

    /**
     * Stamp the next packets into buffers {@code bufs[from..to)}: template, varying fields, lengths, checksums
     * and metadata. Field by field over the whole run of buffers (one simple loop per varying field, then one
     * for the checksums), so the stream's state is loaded once and nothing is called per packet.
     *
     * @return the bytes written in all
     */
    long fillFrame(final UnsafeBuffer mem, final int[] bufs, final int from, final int to, final int[] start,
        final int[] length, final int[] rx, final int[] tx, final int[] opaque)
    {
        final int n = to - from;
        final int[] offs = scratchOffsets;
        final int[] sizes = scratchSizes;
        final long[] sums = scratchSums;
        long bytes = 0;
        final boolean fixed = !variableSize;
        for (int k = 0; k < n; k++)
        {
            final int bi = bufs[from + k];
            final int size = fixed ? sizeMin : nextSize();
            final int offset = start[bi];
            mem.putBytes(offset, template, 0, size);
            offs[k] = offset;
            sizes[k] = size;
            length[bi] = size;
            rx[bi] = rxIf;
            tx[bi] = txIf;
            opaque[bi] = id;
            bytes += size;
        }
        if (plain)
        {
            return bytes;
        }
        java.util.Arrays.fill(sums, 0, n, ipSumBase);
        for (int e = 0; e < editOffset.length; e++)
        {
            applyEdit(e, mem, offs, sums, n);
        }
        if (ipOffset >= 0)
        {
            for (int k = 0; k < n; k++)
            {
                if (ipOffset + 20 <= sizes[k])
                {
                    finishIp(mem, offs[k], sizes[k], sums[k]);
                }
            }
        }
        return bytes;
    }

    /** Write varying field {@code e}'s next values into the {@code n} packets at {@code offs}. */
    private void applyEdit(final int e, final UnsafeBuffer mem, final int[] offs, final long[] sums, final int n)
    {
        final int at = editOffset[e];
        final int width = editWidth[e];
        final long base = editBase[e];
        final long count = editCount[e];
        final int[] table = editTable[e];
        final boolean inIp = editInIpHeader[e];
        final int ipAt = at - ipOffset;
        long cursor = editCursor[e];
        for (int k = 0; k < n; k++)
        {
            final long v = table == null ? base + cursor : table[(int)cursor] & 0xffff_ffffL;
            cursor = cursor + 1 == count ? 0 : cursor + 1;
            final int where = offs[k] + at;
            if (width == 4)
            {
                mem.putInt(where, (int)v, ByteOrder.BIG_ENDIAN);
            }
            else if (width == 2)
            {
                mem.putShort(where, (short)v, ByteOrder.BIG_ENDIAN);
            }
            else
            {
                mem.putByte(where, (byte)v);
            }
            if (inIp)
            {
                sums[k] += ipSumOf(v, width, ipAt);
            }
        }
        editCursor[e] = cursor;
    }

    /** Apply the varying fields and fix lengths and checksums of the packet at {@code offset}. */
    private void edit(final UnsafeBuffer mem, final int offset, final int size)
    {
        final long ipSum = editOffset.length == 0 ? ipSumBase : applyEdits(mem, offset);
        if (ipOffset >= 0 && ipOffset + Ip4Flyweight.MIN_HEADER_LENGTH <= size)
        {
            finishIp(mem, offset, size, ipSum);
        }
    }

    /** Write each varying field's next value; returns the IPv4 header's partial sum with them added. */
    private long applyEdits(final UnsafeBuffer mem, final int offset)
    {
        long ipSum = ipSumBase;
        final int[] eo = editOffset;
        for (int i = 0; i < eo.length; i++)
        {
            final long cursor = editCursor[i];
            final int[] table = editTable[i];
            final long v = table == null ? editBase[i] + cursor : table[(int)cursor] & 0xffff_ffffL;
            editCursor[i] = cursor + 1 == editCount[i] ? 0 : cursor + 1;
            final int at = offset + eo[i];
            final int width = editWidth[i];
            if (width == 4)
            {
                mem.putInt(at, (int)v, ByteOrder.BIG_ENDIAN);
            }
            else if (width == 2)
            {
                mem.putShort(at, (short)v, ByteOrder.BIG_ENDIAN);
            }
            else
            {
                mem.putByte(at, (byte)v);
            }
            if (editInIpHeader[i])
            {
                ipSum += ipSumOf(v, width, eo[i] - ipOffset);
            }
        }
        return ipSum;
    }

    /** What a field of {@code width} bytes at header offset {@code at} adds to the header's 16-bit word sum. */
    private static long ipSumOf(final long v, final int width, final int at)
    {
        if (width == 4)
        {
            return ((v >>> 16) & 0xffff) + (v & 0xffff);
        }
        if (width == 2)
        {
            return v & 0xffff;
        }
        return (at & 1) == 0 ? (v & 0xff) << 8 : v & 0xff;
    }

    /** Lengths (for variable sizes), the IPv4 header checksum and, for TCP and ICMP, the L4 checksum. */
    private void finishIp(final UnsafeBuffer mem, final int offset, final int size, final long partialSum)
    {
        long ipSum = partialSum;
        if (variableSize)
        {
            final int total = size - ipOffset;
            Ip4Flyweight.totalLength(mem, offset + ipOffset, total);
            ipSum += total;
            if (l4Proto == PgStreamParser.PROTO_UDP && l4Offset + UdpFlyweight.HEADER_LENGTH <= size)
            {
                UdpFlyweight.length(mem, offset + l4Offset, size - l4Offset);
            }
        }
        ipSum = (ipSum & 0xffff) + (ipSum >>> 16);
        ipSum = (ipSum & 0xffff) + (ipSum >>> 16);
        Ip4Flyweight.checksum(mem, offset + ipOffset, ~(int)ipSum & 0xffff);
        if (l4Proto == PgStreamParser.PROTO_TCP || l4Proto == PgStreamParser.PROTO_ICMP)
        {
            jvpp.core.net.Ip4.fillL4Checksum(mem, offset + ipOffset, size - ipOffset);
        }
    }
}
