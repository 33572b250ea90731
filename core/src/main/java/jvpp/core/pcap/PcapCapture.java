package jvpp.core.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import jvpp.core.buffer.BufferPool;

/**
 * {@code pcap trace}: the data-plane threads copy packets into one preallocated {@link ManyToOneRingBuffer}
 * ({@link #capture}); a writer thread of its own drains it into a classic nanosecond pcap file, or a pcapng file
 * when {@code drop} is captured, each dropped packet with a comment {@code "<node>: <reason>"} ({@link PcapFormat}).
 * A capture that finds the ring full skips the packet and counts it; nothing on the capture path blocks or
 * allocates. A ring record is: the {@link System#nanoTime()} of the capture (8 bytes), the packet's whole length
 * (4), the global error index it was dropped with or -1 (4), then the first {@code maxBytesPerPacket} bytes of the packet, its chain followed.
 *
 * <p>Thread: {@link #capture} and {@link #wants} from any data-plane thread; {@link #start}, {@link #stop} and the
 * getters from main.
 */
public final class PcapCapture
{
    public static final int RX = 1;
    public static final int TX = 2;
    public static final int DROP = 4;
    /** Any interface, for {@link #start}'s {@code swIfIndex}. */
    public static final int ANY = -1;
    public static final int MAX_PACKETS_LIMIT = 1_000_000_000;
    public static final int MIN_BYTES_PER_PACKET = 32;
    public static final int MAX_BYTES_PER_PACKET = 9000;
    private static final int RECORD_META = 16;
    private static final int MSG_TYPE = 1;
    private static final int RING_CAPACITY = 1 << 22;

    /** Made by the first {@link #start} (an instance that never captures holds no 4 MiB), kept after. */
    private RingBuffer ring;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile long written;
    private volatile int kinds;
    private volatile int swIfIndex = ANY;
    private volatile int maxBytesPerPacket = 512;
    private volatile long maxPackets;
    private volatile boolean running;
    private Path file;
    private Thread writer;
    private FileChannel channel;
    private IOException failure;
    private final IntFunction<String> dropReasons;

    /** A capture whose drop comments {@code dropReasons} gives for a global error index (read by the writer). */
    public PcapCapture(final IntFunction<String> dropReasons)
    {
        this.dropReasons = dropReasons;
    }

    /** True when packets of {@code kind} ({@link #RX}, {@link #TX}, {@link #DROP}) on {@code sw} are captured now. */
    public boolean wants(final int kind, final int sw)
    {
        final int s = swIfIndex;
        return (kinds & kind) != 0 && (s == ANY || s == sw);
    }

    /**
     * Copy packet {@code bi} of {@code pool} (its whole chain, up to max-bytes-per-pkt) into the ring for the writer;
     * skipped and counted when the ring is full. Call only after {@link #wants} said yes. Thread: a data-plane thread.
     */
    public void capture(final BufferPool pool, final int bi)
    {
        capture(pool, bi, -1);
    }

    /** {@link #capture} of a packet error-drop frees with global error {@code error}. Thread: a data-plane thread. */
    public void capture(final BufferPool pool, final int bi, final int error)
    {
        if (claimed.getAndIncrement() >= maxPackets)
        {
            return;
        }
        final int total = pool.totalLength(bi);
        final int capLen = Math.min(total, maxBytesPerPacket);
        final int index = ring.tryClaim(MSG_TYPE, RECORD_META + capLen);
        if (index < 0)
        {
            skipped.incrementAndGet();
            return;
        }
        final UnsafeBuffer dst = (UnsafeBuffer)ring.buffer();
        dst.putLong(index, System.nanoTime());
        dst.putInt(index + 8, total);
        dst.putInt(index + 12, error);
        final UnsafeBuffer mem = pool.memory();
        int at = index + RECORD_META;
        int left = capLen;
        for (int b = bi; b >= 0 && left > 0; b = pool.next(b))
        {
            final int n = Math.min(left, pool.length[b]);
            dst.putBytes(at, mem, pool.start[b], n);
            at += n;
            left -= n;
        }
        ring.commit(index);
    }

    /**
     * Open {@code path} (the pcap file header goes in at once, so a bad directory fails here) and start capturing
     * {@code kindMask} on {@code sw} ({@link #ANY} for all) up to {@code max} packets. Thread: main.
     */
    public void start(final Path path, final int kindMask, final int sw, final long max, final int bytesPerPacket)
        throws IOException
    {
        if (running)
        {
            throw new IllegalStateException("pcap trace already running");
        }
        final FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        final boolean ng = (kindMask & DROP) != 0;
        final ByteBuffer header = ByteBuffer.allocate(PcapFormat.PCAPNG_HEADERS_LENGTH);
        if (ng)
        {
            PcapFormat.pcapngHeader(header, bytesPerPacket);
        }
        else
        {
            PcapFormat.fileHeader(header, bytesPerPacket);
        }
        header.flip();
        while (header.hasRemaining())
        {
            ch.write(header);
        }
        if (ring == null)
        {
            // Published to the data plane by the volatile write of kinds below, which wants() reads first.
            ring = new ManyToOneRingBuffer(
                new UnsafeBuffer(ByteBuffer.allocateDirect(RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
        }
        while (ring.read((t, b, i, l) -> { }) > 0)
        {
            // Leftovers of a capture stopped while a thread was still committing.
        }
        channel = ch;
        file = path;
        failure = null;
        written = 0;
        claimed.set(0);
        skipped.set(0);
        maxPackets = max;
        maxBytesPerPacket = bytesPerPacket;
        swIfIndex = sw;
        running = true;
        final Instant now = Instant.now();
        final long epochBase = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
        writer = new Thread(() -> drain(ch, epochBase, ng), "pcap-writer");
        writer.setDaemon(true);
        writer.start();
        kinds = kindMask;
    }

    /** Stop capturing, write what the ring still holds and close the file. Thread: main. */
    public void stop() throws IOException
    {
        if (!running)
        {
            return;
        }
        kinds = 0;
        running = false;
        try
        {
            writer.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        channel.close();
        if (failure != null)
        {
            throw failure;
        }
    }

    private void drain(final FileChannel ch, final long epochBase, final boolean ng)
    {
        final java.util.Map<Integer, byte[]> comments = new java.util.HashMap<>();
        final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try
        {
            boolean last = false;
            while (true)
            {
                final int n = ring.read((type, buf, index, length) -> {
                    final int capLen = length - RECORD_META;
                    final long ts = epochBase + buf.getLong(index);
                    final int origLen = buf.getInt(index + 8);
                    final int error = buf.getInt(index + 12);
                    final byte[] comment = error < 0 ? null : comments.computeIfAbsent(error, this::comment);
                    final int block = PcapFormat.epbLength(capLen, comment == null ? 0 : comment.length);
                    if (out.remaining() < block)
                    {
                        flush(ch, out);
                    }
                    if (ng)
                    {
                        PcapFormat.epbStart(out, block, ts, capLen, origLen);
                    }
                    else
                    {
                        PcapFormat.recordHeader(out, ts, capLen, origLen);
                    }
                    buf.getBytes(index + RECORD_META, out, out.position(), capLen);
                    out.position(out.position() + capLen);
                    if (ng)
                    {
                        PcapFormat.epbEnd(out, capLen, comment, block);
                    }
                    written++;
                });
                if (n == 0)
                {
                    flush(ch, out);
                    if (last)
                    {
                        return;
                    }
                    if (!running)
                    {
                        // One more sweep for records committed just before the stop.
                        last = true;
                        continue;
                    }
                    Thread.sleep(1);
                }
            }
        }
        catch (final java.io.UncheckedIOException e)
        {
            failure = e.getCause();
            kinds = 0;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] comment(final int error)
    {
        String text;
        try
        {
            text = dropReasons.apply(error);
        }
        catch (final RuntimeException e)
        {
            // Main registered nodes while we read its lists: say which error it was, not the words.
            text = "error " + error;
        }
        final byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return b.length > 0xffff ? java.util.Arrays.copyOf(b, 0xffff) : b;
    }

    private static void flush(final FileChannel ch, final ByteBuffer out)
    {
        out.flip();
        try
        {
            while (out.hasRemaining())
            {
                ch.write(out);
            }
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
        out.clear();
    }

    /** True while a capture runs. */
    public boolean running()
    {
        return running;
    }

    /** Packets written to the file by the current or last capture. */
    public long captured()
    {
        return written;
    }

    /** Packets skipped because the ring was full. */
    public long skipped()
    {
        return skipped.get();
    }

    /** The file of the current or last capture, or null. */
    public Path file()
    {
        return file;
    }

    /** The kinds being captured ({@link #RX} | {@link #TX} | {@link #DROP}), 0 when off. */
    public int kinds()
    {
        return kinds;
    }

    /** The most packets the current capture takes. */
    public long maxPackets()
    {
        return maxPackets;
    }
}
