package jvpp.core.thread;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * VPP's worker barrier: main stops every worker at the top of its loop (between two frames, so no packet is
 * half processed), changes what workers read (FIB, adjacencies, interfaces, node arcs), and lets them go.
 * Workers never see a half-applied change. Holding is reentrant on main. With no workers running it costs
 * nothing. A worker asleep in its {@link Waiter} (every queue of it in interrupt mode) is woken by
 * {@link #hold}, so a hold waits for it no longer than a wake-up takes.
 *
 * <p>Thread: {@link #hold}/{@link #release} on main; {@link #requested}/{@link #park} on workers.
 */
public final class Barrier
{
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private volatile boolean requested;
    private final AtomicInteger parked = new AtomicInteger();
    private volatile int workers;
    private Waiter[] waiters = new Waiter[0];
    private int depth;
    private long holds;

    /** How many workers must stop. Thread: main, while no worker runs or at a barrier. */
    public void workers(final int n)
    {
        workers = n;
    }

    /** How many workers must stop, and their waiters, to wake those asleep. Thread: main, as above. */
    public void workers(final Waiter[] sleepers)
    {
        waiters = sleepers.clone();
        workers = sleepers.length;
    }

    /** Stop every worker; returns once all have stopped. Thread: main. */
    public void hold()
    {
        if (depth++ > 0 || workers == 0)
        {
            return;
        }
        requested = true;
        holds++;
        for (final Waiter w : waiters)
        {
            w.wakeIfSleeping();
        }
        final long deadline = System.nanoTime() + TIMEOUT_NANOS;
        int spins = 0;
        while (parked.get() < workers)
        {
            if (System.nanoTime() > deadline)
            {
                requested = false;
                depth--;
                throw new IllegalStateException("barrier: " + (workers - parked.get()) + " worker(s) did not stop within 5 s");
            }
            pause(++spins);
        }
    }

    /** Let the workers go. Thread: main. */
    public void release()
    {
        if (--depth > 0 || workers == 0)
        {
            return;
        }
        requested = false;
        int spins = 0;
        while (parked.get() > 0)
        {
            pause(++spins);
        }
    }

    /**
     * Spin briefly, then give the CPU away: with more jvpp threads than cores (main and two workers on two
     * cores), the thread being waited for may need this very core (measured: 8 ms per hold when spinning).
     */
    private static void pause(final int spins)
    {
        if (spins < 100)
        {
            Thread.onSpinWait();
        }
        else
        {
            Thread.yield();
        }
    }

    /** Whether main asks the workers to stop. Thread: workers, at the top of each loop. */
    public boolean requested()
    {
        return requested;
    }

    /** Stop here until main releases. Thread: a worker. */
    public void park()
    {
        parked.incrementAndGet();
        int spins = 0;
        while (requested)
        {
            pause(++spins);
        }
        parked.decrementAndGet();
    }

    /** How many times workers were stopped. */
    public long holds()
    {
        return holds;
    }
}
