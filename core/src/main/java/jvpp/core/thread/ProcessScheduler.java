package jvpp.core.thread;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Process nodes: control-plane coroutines on the main thread, woken by timers (VPP's process nodes,
 * e.g. ARP retry, packet-generator pacing of slow streams). A process runs, then says when it wants to run
 * next. Timers sit on an Agrona {@link DeadlineTimerWheel} with about a millisecond of resolution.
 *
 * <p>Thread: main.
 */
public final class ProcessScheduler
{
    /** A process's answer when it has nothing more to do until {@link Handle#wakeAt} is called. */
    public static final long SUSPEND = Long.MIN_VALUE;

    /** A process body: runs at {@code nowNanos}, returns the next absolute wake time or {@link #SUSPEND}. */
    @FunctionalInterface
    public interface Process
    {
        long run(long nowNanos);
    }

    /** One registered process with its counters. */
    public final class Handle
    {
        private final String name;
        private final Process body;
        private long timerId;
        private long deadline;
        private boolean scheduled;
        private volatile boolean signalled;
        long calls;
        long nanos;
        long clearedCalls;
        long clearedNanos;

        Handle(final String name, final Process body)
        {
            this.name = name;
            this.body = body;
        }

        public String name()
        {
            return name;
        }

        /** (Re)schedule to run at {@code nanoTime} (now or in the past: on the next poll). */
        public void wakeAt(final long nanoTime)
        {
            if (scheduled)
            {
                wheel.cancelTimer(timerId);
                byTimer.remove(timerId);
            }
            timerId = wheel.scheduleTimer(nanoTime);
            deadline = nanoTime;
            scheduled = true;
            byTimer.put(timerId, this);
        }

        public boolean scheduled()
        {
            return scheduled;
        }

        /**
         * Run this process on main's next loop, and wake main if it sleeps: for work the data plane hands to a
         * process (ARP learning), so that the process need not poll for it. Thread: any.
         */
        public void signal()
        {
            signalled = true;
            signals = true;
            final Waiter w = waiter;
            if (w != null)
            {
                // Unconditional: a system call is a full barrier, and signals are control-plane events.
                w.wake();
            }
        }

        public long calls()
        {
            return calls - clearedCalls;
        }

        public long nanos()
        {
            return nanos - clearedNanos;
        }

        void clear()
        {
            clearedCalls = calls;
            clearedNanos = nanos;
        }
    }

    private final DeadlineTimerWheel wheel =
        new DeadlineTimerWheel(TimeUnit.NANOSECONDS, System.nanoTime(), 1L << 20, 512);
    private final Long2ObjectHashMap<Handle> byTimer = new Long2ObjectHashMap<>();
    private final List<Handle> handles = new ArrayList<>();
    private final DeadlineTimerWheel.TimerHandler onExpiry = this::expired;
    private final List<Handle> due = new ArrayList<>();
    private volatile boolean signals;
    private volatile Waiter waiter;

    /** Main's waiter, which {@link Handle#signal()} wakes. Thread: main, at creation. */
    public void waiter(final Waiter mainWaiter)
    {
        waiter = mainWaiter;
    }

    /** Register a process that first runs at {@code firstRunNanos} ({@link #SUSPEND}: when woken). */
    public Handle register(final String name, final Process body, final long firstRunNanos)
    {
        final Handle h = new Handle(name, body);
        handles.add(h);
        if (firstRunNanos != SUSPEND)
        {
            h.wakeAt(firstRunNanos);
        }
        return h;
    }

    /** Run every process whose time has come; returns how many ran. */
    public int poll(final long nowNanos)
    {
        if (signals)
        {
            signals = false;
            for (int i = 0; i < handles.size(); i++)
            {
                final Handle h = handles.get(i);
                if (h.signalled)
                {
                    h.signalled = false;
                    h.wakeAt(nowNanos);
                }
            }
        }
        if (byTimer.isEmpty())
        {
            wheel.currentTickTime(nowNanos);
            return 0;
        }
        // Collect first, run after: a process reschedules itself, which must not happen inside the wheel's poll.
        // The wheel polls the current tick's spoke, then moves one tick: after main slept, poll again while it moved,
        // so that every tick that passed meanwhile, the one now included, is polled.
        long tickTime;
        do
        {
            tickTime = wheel.currentTickTime();
            wheel.poll(nowNanos, onExpiry, Integer.MAX_VALUE);
        }
        while (wheel.currentTickTime() != tickTime && !byTimer.isEmpty());
        final int ran = due.size();
        for (int i = 0; i < ran; i++)
        {
            final Handle h = due.get(i);
            final long t0 = System.nanoTime();
            final long next = h.body.run(t0);
            h.calls++;
            h.nanos += System.nanoTime() - t0;
            if (next != SUSPEND && !h.scheduled)
            {
                h.wakeAt(next);
            }
        }
        due.clear();
        return ran;
    }

    private boolean expired(final TimeUnit unit, final long now, final long timerId)
    {
        final Handle h = byTimer.remove(timerId);
        if (h != null)
        {
            h.scheduled = false;
            due.add(h);
        }
        return true;
    }

    /**
     * The earliest time a scheduled process wants to run ({@link Long#MAX_VALUE} when none): how long main may
     * sleep. A cancelled timer may make it earlier than needed, never later.
     */
    public long nextDeadline()
    {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < handles.size(); i++)
        {
            final Handle h = handles.get(i);
            if (h.scheduled && h.deadline < next)
            {
                next = h.deadline;
            }
        }
        return next;
    }

    /** The wheel's resolution: a timer fires up to this late. */
    public long tickNanos()
    {
        return wheel.tickResolution();
    }

    public List<Handle> handles()
    {
        return handles;
    }

    public void clearRuntime()
    {
        for (final Handle h : handles)
        {
            h.clear();
        }
    }
}
