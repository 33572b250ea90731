package jvpp.core.iface;

/**
 * How the thread that owns an rx queue learns that frames arrived (VPP's {@code vnet_hw_if_rx_mode}):
 * <ul>
 *   <li>{@link #POLLING}: it reads the queue on every loop, spinning when there is nothing (lowest latency, a
 *       core at 100 %).</li>
 *   <li>{@link #INTERRUPT}: it reads the queue only when the queue's file descriptor says it is readable; a
 *       thread whose every queue is in this state sleeps in epoll ({@code core.thread.Waiter}).</li>
 *   <li>{@link #ADAPTIVE}: polling while frames come, interrupt once the queue stayed empty for
 *       {@link #ADAPTIVE_IDLE_NANOS}; the first frame that wakes it switches it back to polling.</li>
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

    /**
     * How long an adaptive queue polls on after its last frame before it waits on its descriptor. Polling pays
     * when frames come faster than a thread can sleep and wake (tens of microseconds each here): a stream (a TCP
     * flow, a load test) keeps the queue polling, while sparse traffic (a 100 Hz ping, health checks, ARP) lets it
     * sleep between frames instead of spinning a core for each of them (measured with 20 ms: a 100 Hz ping kept a
     * core at 100 %).
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
