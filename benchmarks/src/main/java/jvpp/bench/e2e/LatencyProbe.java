package jvpp.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * One-way forwarding latency across the bench topology: {@code send} in namespace A writes UDP datagrams
 * carrying {@link System#nanoTime()} (CLOCK_MONOTONIC: one clock for every process on the host) and a
 * sequence number at a paced rate; {@code recv} in namespace B records {@code now - stamp} in an
 * HdrHistogram (after a first second of warm-up) and prints percentiles and loss. 18-byte payloads make 64-byte Ethernet frames with FCS.
 *
 * <pre>
 *   LatencyProbe recv &lt;bind-ip&gt; &lt;port&gt; &lt;seconds&gt;
 *   LatencyProbe send &lt;dst-ip&gt; &lt;port&gt; &lt;pps&gt; &lt;seconds&gt;
 * </pre>
 *
 * Prints {@code LATENCY received=.. lost=.. p50_us=.. p99_us=.. p999_us=.. max_us=..} and
 * {@code SENT packets=.. pps=..}. The sender sends what is due every ~20-70 µs and parks in between, so a
 * receiver on the same core is not starved; it reports the rate it reached, which a Java UDP socket bounds.
 */
public final class LatencyProbe
{
    private static final int PAYLOAD = 18;

    private LatencyProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length >= 4 && args[0].equals("recv"))
        {
            recv(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]));
        }
        else if (args.length >= 5 && args[0].equals("send"))
        {
            send(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]), Double.parseDouble(args[4]));
        }
        else
        {
            System.err.println("usage: LatencyProbe recv <bind-ip> <port> <seconds> | send <dst-ip> <port> <pps> <seconds>");
            System.exit(2);
        }
    }

    static void send(final String dst, final int port, final double pps, final double seconds) throws IOException
    {
        try (DatagramChannel ch = DatagramChannel.open())
        {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.connect(new InetSocketAddress(dst, port));
            final ByteBuffer b = ByteBuffer.allocateDirect(PAYLOAD).order(ByteOrder.BIG_ENDIAN);
            final long start = System.nanoTime();
            final long end = start + (long)(seconds * 1e9);
            long seq = 0;
            long scheduled = 0;
            long sent = 0;
            // Send what is due, then park: the receiver may share this core, and a spinning sender would
            // leave it only the scheduler's ticks (4 ms here), which is what the latency would then show.
            while (true)
            {
                final long now = System.nanoTime();
                if (now >= end)
                {
                    break;
                }
                final long due = (long)((now - start) * pps / 1e9) - scheduled;
                for (long i = 0; i < Math.min(due, 64); i++)
                {
                    b.clear();
                    b.putLong(0, System.nanoTime());
                    b.putLong(8, seq++);
                    b.putShort(16, (short)0);
                    if (ch.write(b) > 0)
                    {
                        sent++;
                    }
                }
                // Behind: skip what is overdue rather than burst to catch up. Only what is sent gets a sequence
                // number, so the receiver's loss count is real loss.
                scheduled += Math.max(due, 0);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            final double took = (System.nanoTime() - start) / 1e9;
            System.out.printf("SENT packets=%d pps=%.0f target_pps=%.0f%n", sent, sent / took, pps);
        }
    }

    static void recv(final String bind, final int port, final double seconds) throws IOException
    {
        final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long received = 0;
        long maxSeq = -1;
        try (DatagramChannel ch = DatagramChannel.open())
        {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            ch.bind(new InetSocketAddress(bind, port));
            final ByteBuffer b = ByteBuffer.allocateDirect(2048).order(ByteOrder.BIG_ENDIAN);
            final long begin = System.nanoTime();
            // The first second warms both JITs up: count it, do not record it.
            final long recordFrom = begin + TimeUnit.SECONDS.toNanos(1);
            // Blocking receive (the sender needs the CPU); a watchdog closes the channel when time is up.
            final Thread watchdog = new Thread(() -> {
                try
                {
                    Thread.sleep((long)(seconds * 1000));
                    ch.close();
                }
                catch (final InterruptedException | IOException ignore)
                {
                    // ending anyway
                }
            }, "latency-probe-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            while (true)
            {
                b.clear();
                try
                {
                    ch.receive(b);
                }
                catch (final java.nio.channels.ClosedChannelException ex)
                {
                    break;
                }
                final long now = System.nanoTime();
                if (b.position() < 16)
                {
                    continue;
                }
                final long stamp = b.getLong(0);
                final long seq = b.getLong(8);
                final long latency = now - stamp;
                if (stamp >= recordFrom && latency > 0 && latency < TimeUnit.SECONDS.toNanos(10))
                {
                    h.recordValue(latency);
                }
                received++;
                maxSeq = Math.max(maxSeq, seq);
            }
        }
        System.out.printf("LATENCY received=%d lost=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f%n", received,
            Math.max(0, maxSeq + 1 - received), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
