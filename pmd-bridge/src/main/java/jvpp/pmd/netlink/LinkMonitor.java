package jvpp.pmd.netlink;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jvpp.core.log.Log;

/**
 * Watches the kernel's devices over a netlink socket subscribed to {@code RTMGRP_LINK} and tells
 * {@link LinkListener}s when one appears, disappears, goes up or goes down, so that jvpp can take an
 * interface down when its kernel device goes away (a veth peer deleted, its namespace removed) and up when
 * it comes back.
 *
 * <p>It keeps the last known state of every device and reports changes only: the kernel's many
 * {@code RTM_NEWLINK} messages that change neither existence, name nor operational state are swallowed.
 * When the socket overflows ({@code ENOBUFS}: events were lost) it lists all devices again and reports the
 * difference, so listeners converge on the truth. A rename is reported as the old name gone and the new one
 * present.
 *
 * <p>Thread: {@link #start} and {@link #close} from the control plane (any thread, not a listener);
 * listeners are called on the monitor thread {@code jvpp-link-monitor}; {@link #addListener},
 * {@link #removeListener} and the counters from any thread.
 */
public final class LinkMonitor implements AutoCloseable
{
    /** {@code RTMGRP_LINK}: the link multicast group. */
    static final int RTMGRP_LINK = 1;
    private static final int POLL_TIMEOUT_MS = 100;

    private record State(String name, boolean up)
    {
    }

    private final String netns;
    private final int recvBufBytes;
    private final Map<Integer, State> known = new HashMap<>();
    private volatile LinkListener[] listeners = new LinkListener[0];
    private volatile boolean running;
    private volatile long events;
    private volatile long resyncs;
    private NetlinkSocket socket;
    private Thread thread;

    /** A monitor of the caller's network namespace (normally the default one). */
    public LinkMonitor()
    {
        this(null, 0);
    }

    /**
     * @param netns        the named namespace to watch, null for the caller's
     * @param recvBufBytes the socket's receive buffer (SO_RCVBUF), 0 for the kernel's default
     */
    public LinkMonitor(final String netns, final int recvBufBytes)
    {
        this.netns = netns;
        this.recvBufBytes = recvBufBytes;
    }

    /** Add a listener (copy-on-write: safe while the monitor runs). */
    public synchronized LinkMonitor addListener(final LinkListener listener)
    {
        final LinkListener[] old = listeners;
        final LinkListener[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = listener;
        listeners = next;
        return this;
    }

    public synchronized void removeListener(final LinkListener listener)
    {
        final LinkListener[] old = listeners;
        for (int i = 0; i < old.length; i++)
        {
            if (old[i] == listener)
            {
                final LinkListener[] next = new LinkListener[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                listeners = next;
                return;
            }
        }
    }

    /**
     * Subscribe, take the current device list as the baseline (not reported) and start the monitor thread.
     * Every change made after this returns is reported.
     */
    public synchronized LinkMonitor start()
    {
        if (thread != null)
        {
            throw new IllegalStateException("link monitor already started");
        }
        socket = netns == null ? NetlinkSocket.open(RTMGRP_LINK, POLL_TIMEOUT_MS, recvBufBytes) :
            NetNs.inside(netns, () -> NetlinkSocket.open(RTMGRP_LINK, POLL_TIMEOUT_MS, recvBufBytes));
        try
        {
            for (final LinkInfo link : list())
            {
                known.put(link.index(), new State(link.name(), link.running()));
            }
        }
        catch (final RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
        running = true;
        thread = new Thread(this::run, "jvpp-link-monitor");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Link events received from the kernel so far. */
    public long events()
    {
        return events;
    }

    /** Times the socket overflowed and the monitor listed all devices again. */
    public long resyncs()
    {
        return resyncs;
    }

    /** Stop the thread (within ~{@value #POLL_TIMEOUT_MS} ms) and close the socket; idempotent. */
    @Override
    public void close()
    {
        final Thread t;
        synchronized (this)
        {
            running = false;
            t = thread;
        }
        if (t != null && t != Thread.currentThread())
        {
            boolean interrupted = false;
            while (t.isAlive())
            {
                try
                {
                    t.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<LinkInfo> list()
    {
        try (RtNetlink rt = RtNetlink.open(netns))
        {
            return rt.links();
        }
    }

    private void run()
    {
        try
        {
            final NetlinkReader reader = new NetlinkReader();
            final RtAttrReader attributes = new RtAttrReader();
            while (running)
            {
                final int n = socket.recv();
                if (n < 0)
                {
                    final int errno = -n;
                    if (errno == NetlinkLibC.ENOBUFS)
                    {
                        resync();
                    }
                    else if (errno != NetlinkLibC.EAGAIN && errno != NetlinkLibC.EINTR)
                    {
                        Log.warn("link monitor: %s", NetlinkException.reason(errno));
                        Thread.sleep(POLL_TIMEOUT_MS);
                    }
                    continue;
                }
                reader.wrap(socket.recvBuffer());
                while (reader.next())
                {
                    final int type = reader.type();
                    if (type == RtNetlink.RTM_NEWLINK || type == RtNetlink.RTM_DELLINK)
                    {
                        events++;
                        final LinkInfo link = RtNetlink.decodeLink(reader, attributes);
                        if (type == RtNetlink.RTM_NEWLINK)
                        {
                            present(link.index(), link.name(), link.running());
                        }
                        else
                        {
                            gone(link.index());
                        }
                    }
                    else if (type == RtNetlink.NLMSG_OVERRUN)
                    {
                        resync();
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            Log.error("link monitor stopped: %s", ex);
        }
        finally
        {
            socket.close();
        }
    }

    /** Events were lost: list every device and report what differs from what we knew. */
    private void resync()
    {
        resyncs++;
        final List<LinkInfo> now = list();
        final Map<Integer, LinkInfo> byIndex = new HashMap<>();
        for (final LinkInfo link : now)
        {
            byIndex.put(link.index(), link);
        }
        for (final Integer index : known.keySet().toArray(new Integer[0]))
        {
            if (!byIndex.containsKey(index))
            {
                gone(index);
            }
        }
        for (final LinkInfo link : now)
        {
            present(link.index(), link.name(), link.running());
        }
    }

    private void present(final int index, final String name, final boolean up)
    {
        final State was = known.get(index);
        if (was != null && was.name.equals(name) && was.up == up)
        {
            return;
        }
        if (was != null && !was.name.equals(name))
        {
            notify(was.name, index, false, false);
        }
        known.put(index, new State(name, up));
        notify(name, index, true, up);
    }

    private void gone(final int index)
    {
        final State was = known.remove(index);
        if (was != null)
        {
            notify(was.name, index, false, false);
        }
    }

    private void notify(final String name, final int index, final boolean exists, final boolean up)
    {
        for (final LinkListener listener : listeners)
        {
            try
            {
                listener.linkChanged(name, index, exists, up);
            }
            catch (final RuntimeException ex)
            {
                Log.warn("link monitor: listener failed on %s: %s", name, ex);
            }
        }
    }
}
