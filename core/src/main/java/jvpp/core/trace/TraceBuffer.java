package jvpp.core.trace;

import java.util.Arrays;

import jvpp.core.buffer.BufferPool;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One thread's packet trace: a record per (traced packet, node it passed), each with a snapshot of the
 * packet's first {@link #SNAPSHOT} bytes and metadata as the node received it. Storage is preallocated;
 * recording allocates nothing. When full, further records are dropped and counted.
 *
 * <p>Thread: written by its dispatcher's thread; read by main (show trace) with that thread stopped.
 */
public final class TraceBuffer
{
    public static final int SNAPSHOT = 128;
    public static final int CAPACITY = 4096;

    private final BufferPool pool;
    private final long[] time = new long[CAPACITY];
    private final int[] node = new int[CAPACITY];
    private final int[] packet = new int[CAPACITY];
    private final int[] buffer = new int[CAPACITY];
    private final int[] length = new int[CAPACITY];
    private final int[] rxIf = new int[CAPACITY];
    private final int[] txIf = new int[CAPACITY];
    private final int[] error = new int[CAPACITY];
    private final int[] opaque = new int[CAPACITY];
    private final byte[] data = new byte[CAPACITY * SNAPSHOT];
    private int count;
    private int packets;
    private long overflow;

    public TraceBuffer(final BufferPool pool)
    {
        this.pool = pool;
    }

    /** A new packet number for a buffer that starts being traced. */
    public int nextPacket()
    {
        return ++packets;
    }

    /** Record that buffer {@code bi} reached node {@code nodeIndex} at {@code nanoTime}. */
    public void record(final long nanoTime, final int nodeIndex, final int bi)
    {
        final int i = count;
        if (i == CAPACITY)
        {
            overflow++;
            return;
        }
        time[i] = nanoTime;
        node[i] = nodeIndex;
        packet[i] = pool.trace[bi];
        buffer[i] = bi;
        final int len = pool.length[bi];
        length[i] = len;
        rxIf[i] = pool.rxIf[bi];
        txIf[i] = pool.txIf[bi];
        error[i] = pool.error[bi];
        opaque[i] = pool.opaque[bi];
        final int n = Math.max(0, Math.min(len, SNAPSHOT));
        pool.memory().getBytes(pool.start[bi], data, i * SNAPSHOT, n);
        count = i + 1;
    }

    public int count()
    {
        return count;
    }

    public long overflow()
    {
        return overflow;
    }

    public void clear()
    {
        count = 0;
        packets = 0;
        overflow = 0;
    }

    /** Record indices ordered by packet number, then by time: the order {@code show trace} prints. */
    public int[] orderByPacket()
    {
        final Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> packet[a] != packet[b] ? Integer.compare(packet[a], packet[b]) : Integer.compare(a, b));
        final int[] out = new int[count];
        for (int i = 0; i < count; i++)
        {
            out[i] = order[i];
        }
        return out;
    }

    /** A reusable view of record {@code i}, for formatting. Thread: main. */
    public Record view(final int i, final Record into)
    {
        into.index = i;
        into.wrap.wrap(data, i * SNAPSHOT, SNAPSHOT);
        return into;
    }

    /** A read-only view of one trace record, handed to {@code Node.formatTrace}. */
    public final class Record
    {
        int index;
        final UnsafeBuffer wrap = new UnsafeBuffer(new byte[0]);

        public long nanoTime()
        {
            return time[index];
        }

        public int node()
        {
            return node[index];
        }

        public int packet()
        {
            return packet[index];
        }

        public int buffer()
        {
            return buffer[index];
        }

        public int length()
        {
            return length[index];
        }

        public int rxIf()
        {
            return rxIf[index];
        }

        public int txIf()
        {
            return txIf[index];
        }

        public int error()
        {
            return error[index];
        }

        public int opaque()
        {
            return opaque[index];
        }

        /** The packet's first bytes as the node received them; {@link #captured()} of them are valid. */
        public UnsafeBuffer data()
        {
            return wrap;
        }

        public int captured()
        {
            return Math.min(length[index], SNAPSHOT);
        }

        /** Append up to {@code max} captured bytes as hex, 16 per line, indented by two spaces. */
        public void hexdump(final StringBuilder out, final int max)
        {
            final int n = Math.min(max, captured());
            for (int i = 0; i < n; i++)
            {
                if (i % 16 == 0)
                {
                    out.append(i == 0 ? "  " : "\n  ").append(String.format("%04x:", i));
                }
                out.append(' ').append(String.format("%02x", wrap.getByte(i) & 0xff));
            }
        }
    }
}
