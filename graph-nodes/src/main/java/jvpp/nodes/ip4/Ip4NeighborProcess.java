package jvpp.nodes.ip4;

import jvpp.core.Jvpp;
import jvpp.core.thread.ProcessScheduler;

/**
 * The {@code ip4-neighbor} process: hands what ARP learned in the data plane (arp-input's posts on
 * {@link Ip4Main#learnRing()}) to the neighbor table ({@link Ip4Main#drainLearned}) as soon as arp-input signals
 * it ({@link Ip4Main#signalLearned()}: main's next loop, woken if it sleeps), and every {@link #PERIOD_NANOS} in
 * case a signal was missed. It used to poll every millisecond, which woke a sleeping main 1000 times a second. Draining completes adjacencies, installs adj-fib routes and
 * releases the packets ip4-arp holds: all of it read by the workers, so it runs at the barrier, and only when
 * the ring has something (an idle main loop neither stops the workers nor allocates).
 *
 * <p>Thread: main (a process).
 */
final class Ip4NeighborProcess implements ProcessScheduler.Process
{
    static final String NAME = "ip4-neighbor";
    static final long PERIOD_NANOS = 100_000_000L;

    private final Jvpp vpp;
    private final Ip4Main ip4;
    private final Runnable drain;

    private Ip4NeighborProcess(final Jvpp vpp, final Ip4Main ip4)
    {
        this.vpp = vpp;
        this.ip4 = ip4;
        this.drain = ip4::drainLearned;
    }

    /** Register the process with {@code vpp}'s scheduler, first run a period from now. Thread: main, at boot. */
    static void register(final Jvpp vpp, final Ip4Main ip4)
    {
        ip4.learnedProcess(vpp.processes().register(NAME, new Ip4NeighborProcess(vpp, ip4),
            System.nanoTime() + PERIOD_NANOS));
    }

    @Override
    public long run(final long nowNanos)
    {
        if (ip4.learnRing().size() > 0)
        {
            vpp.withBarrier(drain);
        }
        return nowNanos + PERIOD_NANOS;
    }
}
