package jvpp.core.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.thread.Waiter;
import jvpp.core.trace.TraceBuffer;

/**
 * Runs the graph on one thread: polls the input nodes, then runs pending frames until none remain
 * (VPP's vlib_main_loop). It owns that thread's node instances, frames, buffer cache, error counters,
 * interface counters and packet trace.
 *
 * <p>Frames: each node has at most one <em>open</em> frame that predecessors append to; a full frame
 * stays pending and a new one opens. Pending frames run in FIFO order. Frames are recycled through a
 * free list, so the steady state allocates nothing.
 *
 * <p>Thread: its own thread for {@link #doWork()}; {@link #sync()} and the control-plane setters are called
 * by main while this thread is stopped at a barrier, or by the thread itself when it is main.
 */
public final class Dispatcher
{
    private static final int INITIAL_FRAMES = 64;

    private final Graph graph;
    private final int threadIndex;
    private final String threadName;
    private final BufferPool pool;
    private final BufferCache buffers;
    private final IntSupplier interfaceCapacity;
    private final List<Node> nodes = new ArrayList<>();
    private Node[] nodeArray = new Node[0];
    private Node[] inputs = new Node[0];
    private int syncedVersion = -1;

    private Frame[] freeFrames = new Frame[INITIAL_FRAMES];
    private int freeFrameCount;
    private int framesAllocated;
    private Frame[] pending = new Frame[INITIAL_FRAMES * 2];
    private int pendingHead;
    private int pendingTail;

    long[] errorCounts = new long[0];
    private long[] errorBaseline = new long[0];
    InterfaceCounters ifCounters = new InterfaceCounters();
    final TraceBuffer trace;
    boolean tracing;
    private long loops;
    private boolean dispatching;
    private int threads = 1;
    private final Waiter waiter = new Waiter();
    /** The input nodes' {@link Node#waitState()} of the last loop, or'ed. */
    private int waitState = Node.WAIT_POLLS;
    /** The last loop's wait marks came from a sleep: no need to ask epoll again before polling. */
    private boolean woken;

    public Dispatcher(final Graph graph, final int threadIndex, final String threadName, final BufferPool pool,
        final IntSupplier interfaceCapacity)
    {
        this.graph = graph;
        this.threadIndex = threadIndex;
        this.threadName = threadName;
        this.pool = pool;
        this.buffers = pool.newCache(threadName);
        this.interfaceCapacity = interfaceCapacity;
        this.trace = new TraceBuffer(pool);
        for (int i = 0; i < INITIAL_FRAMES; i++)
        {
            freeFrames[freeFrameCount++] = new Frame();
        }
        framesAllocated = INITIAL_FRAMES;
    }

    /**
     * Bring this thread's node instances and arcs up to date with the {@link Graph}: instantiate new
     * nodes, resolve arcs, size the counter arrays. Thread: main, with this thread stopped (or main's own).
     */
    public void sync()
    {
        final int interfaces = interfaceCapacity.getAsInt();
        ifCounters.ensureCapacity(interfaces);
        if (syncedVersion == graph.version())
        {
            return;
        }
        final int n = graph.size();
        for (int i = nodes.size(); i < n; i++)
        {
            final NodeRegistration r = graph.registration(i);
            final Node node = r.factory().create();
            node.attach(this, i, r, graph.errorBase(i));
            nodes.add(node);
        }
        for (int i = 0; i < n; i++)
        {
            final Node node = nodes.get(i);
            final List<String> names = graph.nexts(i);
            final Node[] next = new Node[names.size()];
            for (int a = 0; a < next.length; a++)
            {
                final int target = graph.index(names.get(a));
                if (target < 0)
                {
                    throw new IllegalStateException(
                        "node `" + node.name + "' has next node `" + names.get(a) + "' which is not registered");
                }
                next[a] = nodes.get(target);
            }
            node.next = next;
            node.dropArc = names.indexOf("error-drop");
        }
        nodeArray = nodes.toArray(new Node[0]);
        final List<Node> in = new ArrayList<>();
        for (final Node node : nodeArray)
        {
            if (node.type == NodeType.INPUT)
            {
                in.add(node);
            }
        }
        inputs = in.toArray(new Node[0]);
        if (errorCounts.length < graph.errorCount())
        {
            errorCounts = java.util.Arrays.copyOf(errorCounts, graph.errorCount());
            errorBaseline = java.util.Arrays.copyOf(errorBaseline, graph.errorCount());
        }
        syncedVersion = graph.version();
    }

    /** One loop: poll every input node, then run pending frames until none remain. Returns the work done. */
    public int doWork()
    {
        if (dispatching)
        {
            throw new IllegalStateException(threadName + ": dispatcher entered again from inside a node");
        }
        dispatching = true;
        try
        {
            return loop();
        }
        finally
        {
            dispatching = false;
        }
    }

    private int loop()
    {
        int work = 0;
        if ((waitState & Node.WAIT_FD) != 0 && !woken)
        {
            // Some queues wait on their descriptors while this thread stays awake: one epoll_wait(0) for all.
            waiter.poll();
        }
        woken = false;
        int state = Node.WAIT_NONE;
        long now = System.nanoTime();
        final Node[] in = inputs;
        for (int i = 0; i < in.length; i++)
        {
            final Node node = in[i];
            if (node.polling)
            {
                final int n = node.poll();
                state |= node.waitState();
                node.commitNext();
                final long t = System.nanoTime();
                node.calls++;
                node.vectors += n;
                node.nanos += t - now;
                now = t;
                work += n;
            }
        }
        waitState = state;
        if (pendingHead != pendingTail)
        {
            work += runPending(now);
        }
        loops++;
        return work;
    }

    /**
     * Whether the last loop left this thread nothing to poll: no input node polls (every rx queue here is in
     * interrupt mode or an idle adaptive one, no stream runs, no handoff came) and no frame is pending. Then the
     * thread may {@link #sleep}. Thread: this dispatcher's own.
     */
    public boolean mayWait()
    {
        return (waitState & Node.WAIT_POLLS) == 0 && pendingHead == pendingTail;
    }

    /**
     * Sleep in this thread's {@link Waiter} until a queue's descriptor is readable, another thread wakes it, or
     * {@code timeoutNanos} pass; not at all when {@code busy} says so once the sleeping flag is up (the worker
     * barrier, main's submit queue) or an input node is no longer {@link Node#idle()}. Returns the events that
     * woke it. Thread: this dispatcher's own, after a loop for which {@link #mayWait()} said yes.
     */
    public int sleep(final long timeoutNanos, final BooleanSupplier busy)
    {
        waiter.sleeping(true);
        try
        {
            if (busy.getAsBoolean() || !inputsIdle())
            {
                return 0;
            }
            woken = true;
            return waiter.await(timeoutNanos);
        }
        finally
        {
            waiter.sleeping(false);
        }
    }

    private boolean inputsIdle()
    {
        final Node[] in = inputs;
        for (int i = 0; i < in.length; i++)
        {
            if (in[i].polling && !in[i].idle())
            {
                return false;
            }
        }
        return true;
    }

    /** This thread's waiter: where its interrupt-mode rx queues register their descriptors. */
    public Waiter waiter()
    {
        return waiter;
    }

    /** Run pending frames until none remain. */
    public int runPending()
    {
        return runPending(System.nanoTime());
    }

    private int runPending(long now)
    {
        int work = 0;
        while (pendingHead != pendingTail)
        {
            final Frame f = pending[pendingHead];
            pending[pendingHead] = null;
            pendingHead = (pendingHead + 1) & (pending.length - 1);
            final Node node = f.target;
            if (node.open == f)
            {
                node.open = null;
            }
            if (tracing)
            {
                traceFrame(node, f, now);
            }
            final int n = f.n;
            node.process(f);
            node.commitNext();
            final long t = System.nanoTime();
            node.calls++;
            node.vectors += n;
            node.nanos += t - now;
            now = t;
            work += n;
            f.n = 0;
            f.target = null;
            releaseFrame(f);
        }
        return work;
    }

    /**
     * Hand buffer {@code bi} to node {@code nodeIndex} from outside the graph (a control-plane sender such as
     * ping). It runs on the next loop. Thread: this dispatcher's own, outside {@link #doWork()}.
     */
    public void inject(final int nodeIndex, final int bi)
    {
        if (dispatching)
        {
            throw new IllegalStateException("inject from inside a node: use enqueue");
        }
        final Node target = nodeArray[nodeIndex];
        Frame f = target.open;
        if (f == null || f.n == Frame.SIZE)
        {
            f = openFrame(target);
        }
        f.bufs[f.n++] = bi;
    }

    Frame openFrame(final Node target)
    {
        final Frame f = freeFrameCount > 0 ? freeFrames[--freeFrameCount] : newFrame();
        f.n = 0;
        f.target = target;
        target.open = f;
        int tail = pendingTail;
        pending[tail] = f;
        tail = (tail + 1) & (pending.length - 1);
        if (tail == pendingHead)
        {
            growPending();
        }
        else
        {
            pendingTail = tail;
        }
        return f;
    }

    private Frame newFrame()
    {
        framesAllocated++;
        return new Frame();
    }

    private void releaseFrame(final Frame f)
    {
        if (freeFrameCount == freeFrames.length)
        {
            freeFrames = java.util.Arrays.copyOf(freeFrames, freeFrames.length * 2);
        }
        freeFrames[freeFrameCount++] = f;
    }

    /** The ring was just filled completely (tail caught head): double it, keeping FIFO order. */
    private void growPending()
    {
        final int len = pending.length;
        final Frame[] bigger = new Frame[len * 2];
        // The ring holds len entries starting at head (the newest was written at the old tail).
        for (int i = 0; i < len; i++)
        {
            bigger[i] = pending[(pendingHead + i) & (len - 1)];
        }
        pending = bigger;
        pendingHead = 0;
        pendingTail = len;
    }

    private void traceFrame(final Node node, final Frame f, final long now)
    {
        final int[] traceIds = pool.trace;
        for (int i = 0; i < f.n; i++)
        {
            final int bi = f.bufs[i];
            if (traceIds[bi] != 0)
            {
                trace.record(now, node.index, bi);
            }
        }
    }

    /** Whether any input node on this thread is polling (ports to read, streams to send). */
    public boolean pollingInputs()
    {
        final Node[] in = inputs;
        for (int i = 0; i < in.length; i++)
        {
            if (in[i].polling)
            {
                return true;
            }
        }
        return false;
    }

    public Graph graph()
    {
        return graph;
    }

    /** How many threads run the graph in this instance (main + workers). */
    public int threads()
    {
        return threads;
    }

    /** Thread: main, at creation. */
    public void threads(final int n)
    {
        threads = n;
    }

    public int threadIndex()
    {
        return threadIndex;
    }

    public String threadName()
    {
        return threadName;
    }

    public BufferPool pool()
    {
        return pool;
    }

    public BufferCache buffers()
    {
        return buffers;
    }

    public InterfaceCounters interfaceCounters()
    {
        return ifCounters;
    }

    public TraceBuffer trace()
    {
        return trace;
    }

    /** This thread's instance of node {@code index}. */
    public Node node(final int index)
    {
        return nodeArray[index];
    }

    public Node node(final String name)
    {
        final int i = graph.index(name);
        return i < 0 || i >= nodeArray.length ? null : nodeArray[i];
    }

    public int nodeCount()
    {
        return nodeArray.length;
    }

    public long loops()
    {
        return loops;
    }

    /** Frames created since start (the preallocated ones included); steady state keeps this flat. */
    public int framesAllocated()
    {
        return framesAllocated;
    }

    /** Error count since the last clear. */
    public long errorCount(final int error)
    {
        return error < errorCounts.length ? errorCounts[error] - errorBaseline[error] : 0;
    }

    /** Thread: main. */
    public void clearErrors()
    {
        System.arraycopy(errorCounts, 0, errorBaseline, 0, errorCounts.length);
    }

    /** Thread: main. */
    public void clearRuntime()
    {
        for (final Node node : nodeArray)
        {
            node.clearCounters();
        }
    }

    /**
     * Start tracing the next {@code count} packets that input node {@code nodeIndex} receives.
     * Thread: main, with this thread stopped (or main's own).
     */
    public void traceAdd(final int nodeIndex, final int count)
    {
        nodeArray[nodeIndex].traceBudget += count;
        tracing = true;
    }

    /** Stop tracing and forget every record. Thread: main, with this thread stopped (or main's own). */
    public void traceClear()
    {
        tracing = false;
        for (final Node node : nodeArray)
        {
            node.traceBudget = 0;
        }
        trace.clear();
        java.util.Arrays.fill(pool.trace, 0);
    }

    public boolean tracing()
    {
        return tracing;
    }
}
