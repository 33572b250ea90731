package jvpp.core.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pcap file's bytes (header, records, chains whole, max-bytes-per-pkt), no allocation, the CLI's errors. */
class PcapCaptureTest
{
    private final BufferArena arena = BufferArena.allocate(64, 2048, false);
    private final BufferPool pool = new BufferPool("test", 0, 0, arena);
    private final BufferCache cache = pool.newCache("t");
    private final PcapCapture pcap = new PcapCapture(e -> "ip4-input: reason " + e);

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception
    {
        pcap.stop();
        cache.close();
        arena.close();
    }

    /** A packet of buffers holding {@code lengths} bytes each, byte i of the packet being (i & 0xff). */
    private int packet(final int... lengths)
    {
        int head = -1;
        int tail = -1;
        int at = 0;
        for (final int len : lengths)
        {
            final int bi = cache.alloc();
            pool.length[bi] = len;
            for (int i = 0; i < len; i++)
            {
                pool.memory().putByte(pool.start[bi] + i, (byte)(at++));
            }
            if (head < 0)
            {
                head = bi;
            }
            else
            {
                pool.append(head, tail, bi);
            }
            tail = bi;
        }
        return head;
    }

    private static ByteBuffer read(final Path file) throws Exception
    {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void writesTheFileHeaderAndOneRecordPerPacketChainsWhole() throws Exception
    {
        final Path file = dir.resolve("a.pcap");
        final long before = System.currentTimeMillis();
        pcap.start(file, PcapCapture.RX, PcapCapture.ANY, 100, 512);
        final int single = packet(60);
        final int chained = packet(100, 200, 42);
        assertTrue(pcap.wants(PcapCapture.RX, 3));
        assertTrue(!pcap.wants(PcapCapture.TX, 3));
        pcap.capture(pool, single);
        pcap.capture(pool, chained);
        pcap.stop();
        final long after = System.currentTimeMillis();
        assertEquals(2, pcap.captured());
        assertEquals(0, pcap.skipped());

        final ByteBuffer b = read(file);
        assertEquals(24 + 16 + 60 + 16 + 342, b.remaining());
        assertEquals(0xa1b23c4d, b.getInt(0));
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(0, b.getInt(8));
        assertEquals(0, b.getInt(12));
        assertEquals(512, b.getInt(16));
        assertEquals(1, b.getInt(20));

        int at = 24;
        final long sec1 = b.getInt(at) & 0xffffffffL;
        final long ns1 = b.getInt(at + 4);
        assertTrue(sec1 * 1000 >= before / 1000 * 1000 && sec1 * 1000 <= after, "seconds " + sec1);
        assertTrue(ns1 >= 0 && ns1 < 1_000_000_000L);
        assertEquals(60, b.getInt(at + 8));
        assertEquals(60, b.getInt(at + 12));
        for (int i = 0; i < 60; i++)
        {
            assertEquals((byte)i, b.get(at + 16 + i));
        }
        at += 16 + 60;
        final long t2 = (b.getInt(at) & 0xffffffffL) * 1_000_000_000L + b.getInt(at + 4);
        assertTrue(t2 >= sec1 * 1_000_000_000L + ns1, "timestamps in order");
        assertEquals(342, b.getInt(at + 8));
        assertEquals(342, b.getInt(at + 12));
        for (int i = 0; i < 342; i++)
        {
            assertEquals((byte)i, b.get(at + 16 + i), "byte " + i + " of the chain");
        }
    }

    @Test
    void writesPcapngWithTheDropReasonAsAPacketComment() throws Exception
    {
        final Path file = dir.resolve("drop.pcapng");
        pcap.start(file, PcapCapture.DROP, PcapCapture.ANY, 10, 512);
        final int p = packet(61);
        pcap.capture(pool, p, 5);
        pcap.stop();
        final ByteBuffer b = read(file);
        final byte[] comment = "ip4-input: reason 5".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int epb = 32 + 64 + 4 + 20 + 4;
        assertEquals(28 + 32 + epb, b.remaining());
        assertEquals(0x0A0D0D0A, b.getInt(0));
        assertEquals(28, b.getInt(4));
        assertEquals(0x1A2B3C4D, b.getInt(8));
        assertEquals(1, b.getShort(12));
        assertEquals(-1L, b.getLong(16));
        assertEquals(28, b.getInt(24));
        assertEquals(1, b.getInt(28));
        assertEquals(32, b.getInt(32));
        assertEquals(1, b.getShort(36));
        assertEquals(512, b.getInt(40));
        assertEquals(9, b.getShort(44));
        assertEquals(1, b.getShort(46));
        assertEquals(9, b.get(48));
        assertEquals(32, b.getInt(56));
        final int at = 60;
        assertEquals(6, b.getInt(at));
        assertEquals(epb, b.getInt(at + 4));
        assertEquals(0, b.getInt(at + 8));
        final long ns = ((long)b.getInt(at + 12) << 32) | (b.getInt(at + 16) & 0xffffffffL);
        assertTrue(Math.abs(ns / 1_000_000 - System.currentTimeMillis()) < 60_000, "epoch nanoseconds " + ns);
        assertEquals(61, b.getInt(at + 20));
        assertEquals(61, b.getInt(at + 24));
        assertEquals((byte)60, b.get(at + 28 + 60));
        assertEquals(0, b.get(at + 28 + 61));
        final int opt = at + 28 + 64;
        assertEquals(1, b.getShort(opt));
        assertEquals(comment.length, b.getShort(opt + 2));
        for (int i = 0; i < comment.length; i++)
        {
            assertEquals(comment[i], b.get(opt + 4 + i));
        }
        assertEquals(0, b.getInt(opt + 4 + 20));
        assertEquals(epb, b.getInt(opt + 4 + 20 + 4));
        final java.io.File tshark = new java.io.File("/usr/bin/tshark");
        if (tshark.canExecute())
        {
            // Wireshark's own reader shows the reason as the packet's comment.
            final Process proc = new ProcessBuilder(tshark.getPath(), "-r", file.toString(), "-T", "fields", "-e",
                "frame.comment", "-e", "frame.len").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String out = new String(proc.getInputStream().readAllBytes()).strip();
            assertEquals(0, proc.waitFor());
            assertTrue(out.startsWith("ip4-input: reason 5") && out.endsWith("61"), out);
        }
    }

    @Test
    void cutsAtMaxBytesPerPacketAndStopsAtMax() throws Exception
    {
        final Path file = dir.resolve("b.pcap");
        pcap.start(file, PcapCapture.TX, 7, 2, 150);
        assertTrue(pcap.wants(PcapCapture.TX, 7));
        assertTrue(!pcap.wants(PcapCapture.TX, 8));
        final int chained = packet(100, 200);
        for (int i = 0; i < 5; i++)
        {
            pcap.capture(pool, chained);
        }
        pcap.stop();
        assertEquals(2, pcap.captured());
        final ByteBuffer b = read(file);
        assertEquals(24 + 2 * (16 + 150), b.remaining());
        assertEquals(150, b.getInt(24 + 8));
        assertEquals(300, b.getInt(24 + 12));
        assertEquals((byte)149, b.get(24 + 16 + 149));
    }

    @Test
    void captureAllocatesNothing() throws Exception
    {
        pcap.start(dir.resolve("c.pcap"), PcapCapture.RX, PcapCapture.ANY, PcapCapture.MAX_PACKETS_LIMIT, 512);
        final int chained = packet(100, 200, 300);
        for (int i = 0; i < 20_000; i++)
        {
            pcap.capture(pool, chained); // warm up
        }
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().getId();
        final long start = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++)
        {
            if (pcap.wants(PcapCapture.RX, 1))
            {
                pcap.capture(pool, chained);
            }
        }
        final long bytes = mx.getThreadAllocatedBytes(id) - start;
        assertTrue(bytes <= 1024, "bytes allocated over 100000 captures: " + bytes);
        pcap.stop();
        assertEquals(120_000, pcap.captured() + pcap.skipped());
    }

    @Test
    void ringFullSkipsAndCounts() throws Exception
    {
        pcap.start(dir.resolve("d.pcap"), PcapCapture.RX, PcapCapture.ANY, PcapCapture.MAX_PACKETS_LIMIT, 9000);
        final int big = packet(2000, 2000, 2000, 2000, 1000);
        for (int i = 0; i < 50_000; i++)
        {
            pcap.capture(pool, big);
        }
        pcap.stop();
        assertTrue(pcap.skipped() > 0, "a 4 MiB ring cannot take 450 MB at once");
        assertEquals(50_000, pcap.captured() + pcap.skipped());
    }

    @Test
    void cliErrorsAndStatus()
    {
        try (Jvpp vpp = TestJvpp.create())
        {
            assertEquals("pcap trace: Please specify rx, tx and/or drop...", TestJvpp.fails(vpp, "pcap trace max 10").strip());
            assertTrue(TestJvpp.fails(vpp, "pcap trace rx max 0").contains("must be between 1 and"));
            assertTrue(TestJvpp.fails(vpp, "pcap trace rx max 1000000001").contains("must be between 1 and"));
            assertTrue(TestJvpp.fails(vpp, "pcap trace rx max-bytes-per-pkt 9001").contains("Max bytes per pkt"));
            assertTrue(TestJvpp.fails(vpp, "pcap trace rx intfc nosuch0").contains("unknown interface `nosuch0'"));
            assertTrue(TestJvpp.fails(vpp, "pcap trace rx file /nonexistent-pc/x.pcap").contains("does not exist"));
            assertTrue(TestJvpp.fails(vpp, "pcap trace off").contains("not running"));
            final String file = dir.resolve("e.pcap").toString();
            TestJvpp.ok(vpp, "pcap trace rx tx max 5 intfc any file " + file);
            assertTrue(TestJvpp.ok(vpp, "pcap trace status").contains("rx tx, 0 of 5 captured, 0 skipped, file " + file));
            assertTrue(TestJvpp.fails(vpp, "pcap trace drop file " + file).contains("already running"));
            assertTrue(TestJvpp.ok(vpp, "pcap trace off").contains("saved to " + file));
            assertTrue(TestJvpp.ok(vpp, "pcap trace status").contains("pcap trace is off"));
        }
    }

    @Test
    void refusesADirectoryItCannotWrite() throws Exception
    {
        final Path ro = Files.createDirectory(dir.resolve("ro"));
        assertTrue(ro.toFile().setWritable(false));
        // Root may write to any directory whose mode says no; the kernel still refuses a new file in /proc, so as
        // root the same refusal is proven there (the open fails instead of the access check).
        final Path target = Files.isWritable(ro) ? Path.of("/proc/jvpp-pcap-test.pcap") : ro.resolve("x.pcap");
        try (Jvpp vpp = TestJvpp.create())
        {
            final String out = TestJvpp.fails(vpp, "pcap trace rx file " + target);
            assertTrue(out.contains("is not writable") || out.contains("cannot open " + target), out);
            assertTrue(TestJvpp.ok(vpp, "pcap trace status").contains("pcap trace is off"), "nothing half started");
        }
        finally
        {
            ro.toFile().setWritable(true);
        }
    }
}
