package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.thread.ProcessScheduler;

/**
 * The {@code ip4-full-reassembly-expire-walk} process (VPP's): every expire-walk-interval, when some thread holds a
 * reassembly that may have timed out ({@link Ip4FullReassNode#due}, which any thread may ask), stops the workers and
 * has every thread's node drop its expired datagrams ({@link Ip4FullReassNode#expire}). A node that keeps receiving
 * fragments expires its own contexts as it goes; this walk frees the fragments of datagrams that stopped arriving.
 * The barrier is taken only when something is due, so the idle main loop takes none and allocates nothing.
 *
 * <p>Thread: main (a process); {@link #expireAll} runs at the barrier.
 */
final class Ip4FullReassExpireProcess implements ProcessScheduler.Process
{
    static final String NAME = "ip4-full-reassembly-expire-walk";

    private final Jvpp vpp;
    private final Ip4ReassemblyConfig config;
    private final Runnable expireAll = this::expireAll;
    /** The time of the walk that took the barrier, by the config's clock, for {@link #expireAll}. */
    private long walkNanos;

    private Ip4FullReassExpireProcess(final Jvpp vpp, final Ip4ReassemblyConfig config)
    {
        this.vpp = vpp;
        this.config = config;
    }

    /** Register the process with {@code vpp}'s scheduler, first run one interval from now. Thread: main, at boot. */
    static void register(final Jvpp vpp, final Ip4ReassemblyConfig config)
    {
        vpp.processes().register(NAME, new Ip4FullReassExpireProcess(vpp, config),
            System.nanoTime() + config.expireWalkIntervalMs() * 1_000_000L);
    }

    @Override
    public long run(final long nowNanos)
    {
        final long now = config.now();
        final List<Dispatcher> ds = vpp.dispatchers();
        for (int i = 0; i < ds.size(); i++)
        {
            if (Ip4FullReassNode.of(ds.get(i)).due(now))
            {
                walkNanos = now;
                vpp.withBarrier(expireAll);
                break;
            }
        }
        return nowNanos + config.expireWalkIntervalMs() * 1_000_000L;
    }

    private void expireAll()
    {
        final List<Dispatcher> ds = vpp.dispatchers();
        for (int i = 0; i < ds.size(); i++)
        {
            Ip4FullReassNode.of(ds.get(i)).expire(walkNanos);
        }
    }
}
