package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.thread.ProcessScheduler;

/**
 * The {@code ip4-arp-retry} process: four times a second, when some thread's ip4-arp is waiting on a neighbor,
 * stops the workers and has every thread's ip4-arp repeat its unanswered requests or give up on them
 * ({@link Ip4ArpNode#retry}): the hold queues are the node instances' own state. The barrier only when a
 * neighbor is pending ({@link Ip4ArpNode#anyPending}, which any thread may ask), so workers are not stopped
 * four times a second for nothing and the idle main loop allocates nothing.
 *
 * <p>Thread: main (a process); {@link #retryAll} runs at the barrier.
 */
final class Ip4ArpRetryProcess implements ProcessScheduler.Process
{
    static final String NAME = "ip4-arp-retry";
    static final long PERIOD_NANOS = Ip4ArpNode.RETRY_NANOS / 4;

    private final Jvpp vpp;
    private final Runnable retryAll = this::retryAll;
    /** The time of the run that took the barrier, for {@link #retryAll}. */
    private long retryNanos;

    private Ip4ArpRetryProcess(final Jvpp vpp)
    {
        this.vpp = vpp;
    }

    /** Register the process with {@code vpp}'s scheduler, first run a retry interval from now. Thread: main, at boot. */
    static void register(final Jvpp vpp)
    {
        vpp.processes().register(NAME, new Ip4ArpRetryProcess(vpp), System.nanoTime() + Ip4ArpNode.RETRY_NANOS);
    }

    @Override
    public long run(final long nowNanos)
    {
        final List<Dispatcher> ds = vpp.dispatchers();
        for (int i = 0; i < ds.size(); i++)
        {
            if (Ip4ArpNode.of(ds.get(i)).anyPending())
            {
                retryNanos = nowNanos;
                vpp.withBarrier(retryAll);
                break;
            }
        }
        return nowNanos + PERIOD_NANOS;
    }

    private void retryAll()
    {
        final List<Dispatcher> ds = vpp.dispatchers();
        for (int i = 0; i < ds.size(); i++)
        {
            Ip4ArpNode.of(ds.get(i)).retry(retryNanos);
        }
    }
}
