package jvpp.pmd;

import jvpp.core.buffer.BufferCache;

/**
 * A poll-mode driver's port: bursts of buffer indices in and out, one call per burst.
 *
 * <p>Ownership: {@link #rxBurst} hands the caller buffers it allocated from {@code cache};
 * {@link #txBurst} takes ownership of the first {@code n'} buffers it returns a count for and leaves the
 * rest with the caller (who drops them and counts a tx error). A buffer the port takes it frees into
 * {@code cache} once sent.
 *
 * <p>The cache is the calling thread's: each queue is polled by exactly one thread, so a port never
 * needs its own locking on the data path. This is the one departure from DESIGN's sketch
 * ({@code rxBurst(queue, bufs, max)}): the port is told which thread's cache to use on every call instead
 * of being bound to one.
 *
 * <p>Thread: bursts on the thread that owns the queue; everything else on main.
 */
public interface Port extends AutoCloseable
{
    /** The driver's name for {@code show hardware-interfaces} (e.g. {@code null}, {@code tap}, {@code dpdk}). */
    String driverName();

    int rxQueues();

    int txQueues();

    /** Receive up to {@code max} packets into {@code bufs[offset..]}; returns how many. */
    int rxBurst(int queue, BufferCache cache, int[] bufs, int offset, int max);

    /** Transmit {@code n} packets from {@code bufs[offset..]}; returns how many the port took. */
    int txBurst(int queue, BufferCache cache, int[] bufs, int offset, int n);

    /**
     * What the tx path takes beyond single-buffer frames with complete checksums ({@code Interface.TX_CHAINS},
     * {@code TX_CSUM}, {@code TX_GSO}); the interface carries it for interface-output. Thread: main.
     */
    default int txOffloads()
    {
        return 0;
    }

    /**
     * The largest L3 MTU the device can receive and send (the interface carries it as {@code Interface.maxMtu()},
     * which {@code set interface mtu} checks). Thread: main.
     */
    default int maxMtu()
    {
        return jvpp.core.iface.Interface.DEFAULT_MAX_MTU;
    }

    /**
     * The file descriptor that turns readable when rx queue {@code queue} has frames (epoll), or -1 when the
     * queue has none and can only be polled (DPDK, null, loopback). A queue with one may be put in interrupt or
     * adaptive rx mode ({@code set interface rx-mode}).
     */
    default int rxFd(final int queue)
    {
        return -1;
    }

    /** Whether the device's link is up. */
    boolean linkUp();

    /** The device's MAC address (low 48 bits), 0 when it has none. */
    long mac();

    /** Extra lines for {@code show hardware-interfaces} (driver counters, queues), each starting with two spaces. */
    default void describe(final StringBuilder out, final boolean verbose)
    {
    }

    /** Start or stop the device with the interface's admin state. Thread: main. */
    default void adminStateChanged(final boolean up)
    {
    }

    @Override
    void close();
}
