package jvpp.nodes.l2;

import jvpp.core.Jvpp;
import jvpp.core.thread.ProcessScheduler;

/**
 * The {@code l2fib-mac-age-scanner} process (VPP's): every {@link #PERIOD_NANOS}, removes the learned MAC
 * entries of bridge domains with a {@code mac-age} that have not been seen for that long
 * ({@link BridgeDomains#age}). Workers look entries up without a lock, so removal runs at the barrier, and only
 * when some domain ages and the table is not empty.
 *
 * <p>Thread: main (a process); {@link #age} runs at the barrier.
 */
final class L2MacAgeScanner implements ProcessScheduler.Process
{
    static final String NAME = "l2fib-mac-age-scanner";
    /** How often it scans (VPP scans about once a minute; ages are whole minutes). */
    static final long PERIOD_NANOS = 10_000_000_000L;

    private final Jvpp vpp;
    private final BridgeDomains bds;
    private final Runnable age = this::age;
    /** The time of the run that took the barrier, for {@link #age}. */
    private long scanNanos;

    private L2MacAgeScanner(final Jvpp vpp, final BridgeDomains bds)
    {
        this.vpp = vpp;
        this.bds = bds;
    }

    /** Register the process with {@code vpp}'s scheduler, first run a period from now. Thread: main, at boot. */
    static void register(final Jvpp vpp, final BridgeDomains bds)
    {
        vpp.processes().register(NAME, new L2MacAgeScanner(vpp, bds), System.nanoTime() + PERIOD_NANOS);
    }

    @Override
    public long run(final long nowNanos)
    {
        if (bds.fib().size() > 0 && bds.anyAging())
        {
            scanNanos = nowNanos;
            vpp.withBarrier(age);
        }
        return nowNanos + PERIOD_NANOS;
    }

    private void age()
    {
        bds.age(scanNanos);
    }
}
