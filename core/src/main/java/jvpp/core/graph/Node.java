package jvpp.core.graph;

import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.trace.TraceBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One thread's instance of a graph node. A node processes a whole {@link Frame} at a time and hands
 * each buffer to one of its next nodes by arc index ({@link #enqueue}), or drops it with a reason
 * ({@link #drop}); input nodes instead produce buffers when polled.
 *
 * <p>The hot path rules hold here: no allocation, no boxing, no lambdas, no logging in
 * {@link #process} and {@link #poll}.
 *
 * <p>Thread: the thread of the {@link Dispatcher} it is attached to; the control plane reads the
 * counters racily for {@code show runtime} and owns the {@code cleared*} baselines.
 */
public abstract class Node
{
    private static final Node[] NO_NEXT = new Node[0];

    Dispatcher dispatcher;
    int index;
    String name;
    NodeType type;
    Node[] next = NO_NEXT;
    Frame open;
    int dropArc = -1;
    /** Global error index of this node's local error code 0. */
    protected int errorBase;

    long calls;
    long vectors;
    long nanos;
    long clearedCalls;
    long clearedVectors;
    long clearedNanos;
    boolean polling = true;
    int traceBudget;

    // The frame this node is currently appending to (VPP's to_next / n_left_to_next): enqueue writes here
    // until the arc changes or the frame fills; the count is committed to the frame by commitNext().
    private int emitArc = -1;
    private Frame emitFrame;
    private int[] emitBufs;
    private int emitN;

    /** The pool every buffer this node sees belongs to, and its arena memory and metadata arrays. */
    protected BufferPool pool;
    protected UnsafeBuffer mem;
    protected int[] bStart;
    protected int[] bLength;
    protected int[] bRxIf;
    protected int[] bTxIf;
    protected int[] bFlags;
    protected int[] bOpaque;
    /** This thread's buffer cache: allocate and free here. */
    protected BufferCache buffers;

    final void attach(final Dispatcher dispatcher, final int index, final NodeRegistration registration,
        final int errorBase)
    {
        final boolean first = this.dispatcher == null;
        this.dispatcher = dispatcher;
        this.index = index;
        this.name = registration.name();
        this.type = registration.type();
        this.errorBase = errorBase;
        this.pool = dispatcher.pool();
        this.mem = pool.memory();
        this.bStart = pool.start;
        this.bLength = pool.length;
        this.bRxIf = pool.rxIf;
        this.bTxIf = pool.txIf;
        this.bFlags = pool.flags;
        this.bOpaque = pool.opaque;
        this.buffers = dispatcher.buffers();
        if (first)
        {
            onAttach();
        }
    }

    /** {@link #waitState()}: nothing of this node's to do on this thread until something wakes it. */
    public static final int WAIT_NONE = 0;
    /** {@link #waitState()}: something must be polled on every loop (the thread must not sleep). */
    public static final int WAIT_POLLS = 1;
    /** {@link #waitState()}: something waits on a file descriptor registered with the thread's waiter. */
    public static final int WAIT_FD = 2;

    /**
     * What this input node's last {@link #poll()} left to wait for, a mask of {@code WAIT_POLLS} and
     * {@code WAIT_FD} ({@code WAIT_NONE}: nothing). The thread sleeps only when no input node polls; the default
     * is to poll. Thread: this node's.
     */
    public int waitState()
    {
        return WAIT_POLLS;
    }

    /**
     * Asked again once the thread has raised its sleeping flag ({@code Waiter.sleeping}): false when work came in
     * that no file descriptor announces (another thread's handoff ring), so that the thread does not sleep past
     * it. Thread: this node's.
     */
    public boolean idle()
    {
        return true;
    }

    /** Called once when the node is placed on its thread; preallocate here. */
    protected void onAttach()
    {
    }

    /** Internal nodes: process {@code frame.n} buffers of {@code frame}; returns the vectors processed. */
    public int process(final Frame frame)
    {
        throw new UnsupportedOperationException(name + " is not an internal node");
    }

    /** Input nodes: produce buffers into next frames; returns how many. */
    public int poll()
    {
        throw new UnsupportedOperationException(name + " is not an input node");
    }

    /** Describe a traced packet as this node saw it; by default its first bytes in hex. */
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        record.hexdump(out, 64);
    }

    public final String name()
    {
        return name;
    }

    public final int index()
    {
        return index;
    }

    public final NodeType type()
    {
        return type;
    }

    public final Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /** Whether an input node is polled ({@code show runtime} state "polling" vs "disabled"). */
    public final boolean polling()
    {
        return polling;
    }

    public final void polling(final boolean polling)
    {
        this.polling = polling;
    }

    /** Hand buffer {@code bi} to the next node on {@code arc}. */
    protected final void enqueue(final int arc, final int bi)
    {
        if (arc != emitArc || emitN == Frame.SIZE)
        {
            switchNext(arc);
        }
        emitBufs[emitN++] = bi;
    }

    private void switchNext(final int arc)
    {
        commitNext();
        final Node target = next[arc];
        Frame f = target.open;
        if (f == null || f.n == Frame.SIZE)
        {
            f = dispatcher.openFrame(target);
        }
        emitArc = arc;
        emitFrame = f;
        emitBufs = f.bufs;
        emitN = f.n;
    }

    /**
     * Commit what {@link #enqueue} appended to the current next frame. The dispatcher calls this after every
     * {@link #process} and {@link #poll}; the bulk helpers call it before they touch frames themselves; a node
     * that enqueues from a process on its own thread (ip4-arp releasing held packets) calls it when done.
     */
    protected final void commitNext()
    {
        if (emitFrame != null)
        {
            emitFrame.n = emitN;
            emitFrame = null;
            emitBufs = null;
            emitArc = -1;
        }
    }

    /** Hand {@code count} buffers from {@code bufs[offset..]} to the next node on {@code arc}. */
    protected final void enqueue(final int arc, final int[] bufs, final int offset, final int count)
    {
        commitNext();
        final Node target = next[arc];
        int done = 0;
        while (done < count)
        {
            Frame f = target.open;
            if (f == null || f.n == Frame.SIZE)
            {
                f = dispatcher.openFrame(target);
            }
            final int chunk = Math.min(Frame.SIZE - f.n, count - done);
            System.arraycopy(bufs, offset + done, f.bufs, f.n, chunk);
            f.n += chunk;
            done += chunk;
        }
    }

    /**
     * Hand {@code bufs[i]} to the next node on {@code arcs[i]} for {@code i < n}, moving each run of equal arcs
     * with one array copy (VPP's vlib_buffer_enqueue_to_next). A node that decides per packet writes its
     * decisions into a scratch {@code int[]} and calls this once per frame: a plain store per packet instead
     * of a read-modify-write of the next frame's count.
     */
    protected final void enqueueToNext(final int[] bufs, final int[] arcs, final int n)
    {
        int i = 0;
        while (i < n)
        {
            final int arc = arcs[i];
            int j = i + 1;
            while (j < n && arcs[j] == arc)
            {
                j++;
            }
            enqueue(arc, bufs, i, j - i);
            i = j;
        }
    }

    /**
     * The open frame of the next node on {@code arc}, with at least one free slot, for producers that
     * write indices straight into it (VPP's vlib_get_next_frame): fill {@code bufs[n..]}, then bump {@code n}.
     */
    protected final Frame nextFrame(final int arc)
    {
        commitNext();
        final Node target = next[arc];
        final Frame f = target.open;
        if (f == null || f.n == Frame.SIZE)
        {
            return dispatcher.openFrame(target);
        }
        return f;
    }

    /** The length of the packet headed by {@code bi}, every buffer of its chain included. */
    protected final int totalLength(final int bi)
    {
        return (bFlags[bi] & BufferPool.FLAG_NEXT_PRESENT) == 0 ? bLength[bi] : bLength[bi] + pool.chainRest[bi];
    }

    /**
     * Hand {@code bufs[from, to)}, packets of interface {@code sw}, to {@code pcap trace} when it captures
     * {@code kind} ({@link jvpp.core.pcap.PcapCapture#RX}, {@code TX}) there; one volatile read when it does not.
     */
    protected final void pcap(final int kind, final int sw, final int[] bufs, final int from, final int to)
    {
        final jvpp.core.pcap.PcapCapture pcap = dispatcher.graph().pcap();
        if (pcap.wants(kind, sw))
        {
            for (int i = from; i < to; i++)
            {
                pcap.capture(pool, bufs[i]);
            }
        }
    }

    /** Drop {@code bi} with this node's local error {@code reason}; counted by error-drop. */
    protected final void drop(final int bi, final int reason)
    {
        pool.error[bi] = errorBase + reason;
        enqueue(dropArc, bi);
    }

    /** Count {@code n} occurrences of this node's local error {@code reason} without dropping anything. */
    protected final void count(final int reason, final long n)
    {
        dispatcher.errorCounts[errorBase + reason] += n;
    }

    /** Count {@code n} occurrences of global error {@code error} (error-drop counts drops this way). */
    protected final void countGlobal(final int error, final long n)
    {
        dispatcher.errorCounts[error] += n;
    }

    /** This thread's interface counters. */
    protected final InterfaceCounters ifCounters()
    {
        return dispatcher.ifCounters;
    }

    /** True while packet tracing is on for this thread: input nodes then call {@link #traceInput}. */
    protected final boolean tracing()
    {
        return dispatcher.tracing;
    }

    /** Input nodes: mark a freshly received buffer for tracing if this node's trace budget allows. */
    protected final void traceInput(final int bi)
    {
        if (traceBudget > 0)
        {
            traceBudget--;
            pool.trace[bi] = dispatcher.trace.nextPacket();
            dispatcher.trace.record(System.nanoTime(), index, bi);
        }
        else
        {
            pool.trace[bi] = 0;
        }
    }

    /** The arc index of {@code nextName} among this node's arcs, or -1. */
    protected final int arcOf(final String nextName)
    {
        return dispatcher.graph().nexts(index).indexOf(nextName);
    }

    /** Calls since the last {@code clear runtime}. */
    public final long calls()
    {
        return calls - clearedCalls;
    }

    public final long vectors()
    {
        return vectors - clearedVectors;
    }

    /** Nanoseconds spent in this node since the last {@code clear runtime}. */
    public final long nanos()
    {
        return nanos - clearedNanos;
    }

    /** Thread: main (the owner of the baselines). */
    public final void clearCounters()
    {
        clearedCalls = calls;
        clearedVectors = vectors;
        clearedNanos = nanos;
    }
}
