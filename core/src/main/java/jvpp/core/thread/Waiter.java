package jvpp.core.thread;

import java.util.concurrent.TimeUnit;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.sys.LibC;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * How one jvpp thread sleeps when it has nothing to poll (VPP's interrupt rx mode): one epoll instance per
 * thread holding the file descriptors of the interrupt-mode rx queues placed on it ({@link Slot}s), plus an
 * eventfd that other threads write to wake it (main's submit queue, the worker barrier, a handoff ring into
 * this thread).
 *
 * <p>Descriptors are registered edge-triggered: the kernel reports a queue once per arrival, and the queue
 * stays {@link Slot#ready} until its reader finds it empty. So a queue whose interface is admin down, or a
 * device that went away (a tap reports EPOLLERR for ever once its netdev is deleted), cannot make the thread
 * spin. A wait that times out marks every slot ready (a sweep), so that a queue left unread for another
 * reason (no free buffer) is read again within {@link #SLEEP_MAX_NANOS}.
 *
 * <p>The epoll and eventfd descriptors are opened on first use (instances that never sleep, as most tests'
 * are, open none) and closed by {@link #close()}. Nothing here allocates after that.
 *
 * <p>Thread: {@link #register}, {@link #poll} and {@link #await} on the owning thread (or on main while the
 * owner is stopped at the barrier or not started); {@link #unregister}, {@link #wake}, {@link #wakeIfSleeping}
 * and {@link #close} on any.
 */
public final class Waiter implements AutoCloseable
{
    /**
     * The longest a thread sleeps without being woken: a safety net, not the way work arrives (file
     * descriptors, the eventfd and main's timers wake it at once). Costs ~20 wake-ups a second per thread.
     */
    public static final long SLEEP_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int MAX_EVENTS = 64;
    private static final int WAKE_TOKEN = 0;

    /**
     * A file descriptor its owner may wait on (an rx queue's), registered with at most one thread's waiter at
     * a time. Thread: {@link #ready} on the thread it is registered with.
     */
    public static final class Slot
    {
        private final int fd;
        private volatile Waiter waiter;
        private int token = -1;
        /** Reported readable (or swept) since its reader last found it empty. */
        public boolean ready;

        public Slot(final int fd)
        {
            this.fd = fd;
        }

        public int fd()
        {
            return fd;
        }

        /** Whether this slot is registered with {@code w}. */
        public boolean registeredWith(final Waiter w)
        {
            return waiter == w;
        }
    }

    /** 8 bytes holding 1: what {@link #wake} writes; shared by every waker, never written after creation. */
    private static final Memory ONE = one();

    private volatile int eventFd = -1;
    private int epollFd = -1;
    private volatile boolean sleeping;
    private boolean closed;
    private Memory eventsMemory;
    private UnsafeBuffer events;
    private Memory drain;
    private Slot[] slots = new Slot[16];
    private int tokens = WAKE_TOKEN + 1;
    private long sleeps;
    private long wakeups;

    private static Memory one()
    {
        final Memory m = new Memory(8);
        m.setLong(0, 1);
        return m;
    }

    /**
     * Watch {@code slot}'s descriptor from this thread; marks it ready (it may hold data already). A
     * descriptor the kernel refuses (already closed) is still taken as registered, so that it is not retried.
     * Thread: the owner.
     */
    public void register(final Slot slot)
    {
        if (epollFd < 0)
        {
            open();
        }
        if (slot.waiter != null)
        {
            unregister(slot);
        }
        if (slot.token < 0 || slot.token >= tokens || slots[slot.token] != slot)
        {
            if (tokens == slots.length)
            {
                slots = java.util.Arrays.copyOf(slots, slots.length * 2);
            }
            slot.token = tokens++;
            slots[slot.token] = slot;
        }
        events.putInt(0, LibC.EPOLLIN | LibC.EPOLLET);
        events.putLong(4, slot.token);
        LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, slot.fd, events.addressOffset());
        slot.waiter = this;
        slot.ready = true;
    }

    /** Stop watching {@code slot}'s descriptor, wherever it is registered. Thread: any (main, at the barrier). */
    public static void unregister(final Slot slot)
    {
        final Waiter w = slot.waiter;
        if (w != null)
        {
            synchronized (w)
            {
                if (w.epollFd >= 0)
                {
                    LibC.epoll_ctl(w.epollFd, LibC.EPOLL_CTL_DEL, slot.fd, 0);
                }
            }
            slot.waiter = null;
        }
    }

    /** Mark the slots whose descriptors became readable, without waiting; returns how many events. Thread: the owner. */
    public int poll()
    {
        return epollFd < 0 ? 0 : waitFor(0);
    }

    /**
     * Sleep until a registered descriptor is readable, {@link #wake} is called, or {@code timeoutNanos} pass
     * (at most {@link #SLEEP_MAX_NANOS}); a timeout marks every slot ready. Returns how many events came.
     * Thread: the owner, with {@link #sleeping(boolean)} set and the reasons not to sleep checked after it.
     */
    public int await(final long timeoutNanos)
    {
        if (epollFd < 0)
        {
            open();
        }
        final long nanos = Math.max(0, Math.min(timeoutNanos, SLEEP_MAX_NANOS));
        final int millis = (int)((nanos + 999_999) / 1_000_000);
        sleeps++;
        final int n = waitFor(millis);
        if (n == 0 && millis > 0)
        {
            for (int t = WAKE_TOKEN + 1; t < tokens; t++)
            {
                if (slots[t].waiter == this)
                {
                    slots[t].ready = true;
                }
            }
        }
        return n;
    }

    private int waitFor(final int millis)
    {
        final int n = LibC.epoll_wait(epollFd, events.addressOffset(), MAX_EVENTS, millis);
        for (int i = 0; i < n; i++)
        {
            final long token = events.getLong(i * LibC.EPOLL_EVENT_SIZE + 4);
            if (token == WAKE_TOKEN)
            {
                wakeups++;
                LibC.read(eventFd, Pointer.nativeValue(drain), 8);
            }
            else if (token < tokens && slots[(int)token].waiter == this)
            {
                slots[(int)token].ready = true;
            }
        }
        return Math.max(n, 0);
    }

    /** Say that the owner is about to sleep (then check again) or has woken. Thread: the owner. */
    public void sleeping(final boolean on)
    {
        sleeping = on;
    }

    public boolean sleeping()
    {
        return sleeping;
    }

    /** Wake the owner from {@link #await}, or make its next wait return at once. Thread: any. */
    public void wake()
    {
        final int fd = eventFd;
        if (fd >= 0)
        {
            LibC.write(fd, Pointer.nativeValue(ONE), 8);
        }
    }

    /**
     * Wake the owner if it said it sleeps. The caller published its work with a volatile write (or a full
     * fence) first, and the owner checks for work after raising its flag, so one of the two sees the other.
     */
    public void wakeIfSleeping()
    {
        if (sleeping)
        {
            wake();
        }
    }

    /** How many times the owner slept, and how many of those another thread woke. */
    public long sleeps()
    {
        return sleeps;
    }

    public long wakeups()
    {
        return wakeups;
    }

    private synchronized void open()
    {
        if (closed)
        {
            throw new IllegalStateException("waiter closed");
        }
        if (epollFd >= 0)
        {
            return;
        }
        eventsMemory = new Memory((long)MAX_EVENTS * LibC.EPOLL_EVENT_SIZE);
        events = new UnsafeBuffer(Pointer.nativeValue(eventsMemory), (int)eventsMemory.size());
        drain = new Memory(8);
        final int ep = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (ep < 0)
        {
            throw new IllegalStateException("epoll_create1: errno " + LibC.errno());
        }
        final int ev = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (ev < 0)
        {
            LibC.close(ep);
            throw new IllegalStateException("eventfd: errno " + LibC.errno());
        }
        events.putInt(0, LibC.EPOLLIN | LibC.EPOLLET);
        events.putLong(4, WAKE_TOKEN);
        LibC.epoll_ctl(ep, LibC.EPOLL_CTL_ADD, ev, events.addressOffset());
        epollFd = ep;
        eventFd = ev;
    }

    /** Close the descriptors; the owner must not wait any more. Idempotent. Thread: any, the owner stopped. */
    @Override
    public synchronized void close()
    {
        closed = true;
        if (epollFd >= 0)
        {
            LibC.close(epollFd);
            LibC.close(eventFd);
            epollFd = -1;
            eventFd = -1;
        }
    }
}
