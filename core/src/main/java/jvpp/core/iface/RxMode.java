package jvpp.core.iface;

/**
 * How the thread that owns an rx queue learns that frames arrived (VPP's {@code vnet_hw_if_rx_mode}):
 * <ul>
 *   <li>{@link #POLLING}: it reads the queue on every loop, spinning when there is nothing (lowest latency, a
 *       core at 100 %).</li>
 *   <li>{@link #INTERRUPT}: it reads the queue only when the queue's file descriptor says it is readable; a
 *       thread whose every queue is in this state sleeps in epoll ({@code core.thread.Waiter}).</li>
 *   <li>{@link #ADAPTIVE}: VPP's rule on the size of what each read brings: waiting as in interrupt mode while
 *       each wake-up finds few frames; polling once a read brings {@link #ADAPTIVE_POLL_FRAMES} or more (the
 *       frames come faster than the thread wakes); waiting again once its reads brought fewer than
 *       {@link #ADAPTIVE_WAIT_FRAMES} for {@link #ADAPTIVE_IDLE_NANOS}.</li>
 * </ul>
 * Only queues with a file descriptor (TAP, AF_PACKET) can be anything but polling; DPDK queues and
 * packet-generator streams always poll.
 *
 * <p>Thread: any (constants).
 */
public enum RxMode
{
    POLLING("polling"),
    INTERRUPT("interrupt"),
    ADAPTIVE("adaptive");

    /** An adaptive queue polls from a read that brought this many frames (VPP's polling threshold, 10). */
    public static final int ADAPTIVE_POLL_FRAMES = 10;
    /** A polling adaptive queue counts as quiet while its reads bring fewer frames (VPP's interrupt threshold, 5). */
    public static final int ADAPTIVE_WAIT_FRAMES = 5;
    /**
     * How long a polling adaptive queue stays quiet before it waits on its descriptor. Polling pays only while
     * frames come faster than a thread sleeps and wakes (tens of microseconds here): a stream that fills reads
     * (a TCP flow at Gb/s) keeps the queue polling; sparse traffic (a 100 Hz ping, health checks, ARP) and even a
     * steady 89 kpps UDP stream that a wake-up reads a few frames at a time (measured: a sixth of polling's CPU,
     * no loss) let it wait instead of spinning a core.
     */
    public static final long ADAPTIVE_IDLE_NANOS = 1_000_000L;

    private final String word;

    RxMode(final String word)
    {
        this.word = word;
    }

    /** The CLI word: {@code polling}, {@code interrupt}, {@code adaptive}. */
    public String word()
    {
        return word;
    }

    /** The mode called {@code word}, or null. */
    public static RxMode of(final String word)
    {
        for (final RxMode m : values())
        {
            if (m.word.equals(word))
            {
                return m;
            }
        }
        return null;
    }
}
