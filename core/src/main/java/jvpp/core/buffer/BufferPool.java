package jvpp.core.buffer;

import java.util.concurrent.CopyOnWriteArrayList;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The buffers of one arena, their metadata, and the free list that owns the buffers nobody uses.
 *
 * <p>Metadata lives in parallel primitive arrays indexed by buffer index, never in per-packet objects:
 * {@link #start} (arena offset of the first byte of current data), {@link #length}, {@link #rxIf},
 * {@link #txIf}, {@link #flags}, {@link #error} (the drop reason, a global error index), {@link #opaque}
 * (node-to-node scratch, e.g. an adjacency index) and {@link #trace} (the packet's trace number, 0 when
 * not traced).
 *
 * <p>Ownership: every buffer is in exactly one place: this pool's free stack, one thread's
 * {@link BufferCache}, or in use (a frame, a driver ring, a hold queue). {@code used = total - free - cached}
 * is what {@code show buffers} reports, and a drained router has {@code used == 0}. With
 * {@code -Djvpp.buffer.debug=true} every alloc and free also checks the buffer's state, so a double free
 * or a free of a buffer never allocated throws at the culprit.
 *
 * <p>Thread: the free stack is shared and guarded by this object's monitor; threads reach it only in
 * batches through their own {@link BufferCache}. Metadata of a buffer is touched by its owner only.
 */
public final class BufferPool
{
    public static final boolean DEBUG = Boolean.getBoolean(jvpp.core.Configuration.BUFFER_DEBUG_PROP_NAME);
    /** {@link #flags} bit: jvpp itself made this packet (an echo reply, an ICMP error, a ping): no TTL decrement. */
    public static final int FLAG_LOCALLY_ORIGINATED = 1;
    /**
     * {@link #flags} bit: a bridge handed this frame to its BVI: ethernet-input takes it to L3 even though the
     * BVI is in L2 mode (VPP's ethernet-input-not-l2), and clears the bit.
     */
    public static final int FLAG_L2_TO_BVI = 2;
    private static final byte STATE_FREE = 0;
    private static final byte STATE_USED = 1;

    private final String name;
    private final int index;
    private final int numaNode;
    private final BufferArena arena;
    private final UnsafeBuffer memory;
    private final int[] freeStack;
    private int freeCount;
    private final byte[] state;
    private final CopyOnWriteArrayList<BufferCache> caches = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Holder> holders = new CopyOnWriteArrayList<>();

    /** Something that keeps buffers in use for long (DPDK's mempool reserve), named for {@code show buffers}. */
    public record Holder(String name, java.util.function.LongSupplier count)
    {
    }

    public final int[] start;
    public final int[] length;
    public final int[] rxIf;
    public final int[] txIf;
    public final int[] flags;
    public final int[] error;
    public final int[] opaque;
    public final int[] trace;

    public BufferPool(final String name, final int index, final int numaNode, final BufferArena arena)
    {
        this.name = name;
        this.index = index;
        this.numaNode = numaNode;
        this.arena = arena;
        this.memory = arena.memory();
        final int n = arena.count();
        this.freeStack = new int[n];
        this.state = DEBUG ? new byte[n] : null;
        start = new int[n];
        length = new int[n];
        rxIf = new int[n];
        txIf = new int[n];
        flags = new int[n];
        error = new int[n];
        opaque = new int[n];
        trace = new int[n];
        // Highest index at the bottom so that the first allocations are the lowest indices.
        for (int i = 0; i < n; i++)
        {
            freeStack[i] = n - 1 - i;
        }
        freeCount = n;
    }

    public String name()
    {
        return name;
    }

    public int index()
    {
        return index;
    }

    public int numaNode()
    {
        return numaNode;
    }

    public BufferArena arena()
    {
        return arena;
    }

    /** The arena memory; {@code memory().getByte(start[bi])} is the first byte of buffer {@code bi}'s data. */
    public UnsafeBuffer memory()
    {
        return memory;
    }

    public int total()
    {
        return freeStack.length;
    }

    /** Buffers on the shared free stack. */
    public synchronized int free()
    {
        return freeCount;
    }

    /** Buffers sitting in threads' caches (free, but owned by a thread). */
    public int cached()
    {
        int sum = 0;
        for (final BufferCache c : caches)
        {
            sum += c.size();
        }
        return sum;
    }

    /** Buffers owned by frames, rings and queues: neither on the free stack nor in a cache. */
    public int used()
    {
        final int free;
        synchronized (this)
        {
            free = freeCount;
        }
        return total() - free - cached();
    }

    /** Name a long-term holder of buffers, so {@code show buffers} can say where "used" buffers are. */
    public void addHolder(final String name, final java.util.function.LongSupplier count)
    {
        holders.add(new Holder(name, count));
    }

    public java.util.List<Holder> holders()
    {
        return java.util.List.copyOf(holders);
    }

    /** A new per-thread cache of this pool. Thread: main, at thread creation. */
    public BufferCache newCache(final String owner)
    {
        final BufferCache cache = new BufferCache(this, owner);
        caches.add(cache);
        return cache;
    }

    void removeCache(final BufferCache cache)
    {
        caches.remove(cache);
    }

    /** Move up to {@code count} buffers from the free stack into {@code dst}; returns how many. */
    synchronized int take(final int[] dst, final int offset, final int count)
    {
        final int n = Math.min(count, freeCount);
        final int from = freeCount - n;
        System.arraycopy(freeStack, from, dst, offset, n);
        freeCount = from;
        return n;
    }

    /** Return {@code count} buffers from {@code src} to the free stack. */
    synchronized void give(final int[] src, final int offset, final int count)
    {
        if (freeCount + count > freeStack.length)
        {
            throw new IllegalStateException(name + ": more buffers freed than exist (double free?)");
        }
        System.arraycopy(src, offset, freeStack, freeCount, count);
        freeCount += count;
    }

    /** Reset a buffer's metadata to that of a fresh, empty buffer. */
    public void reset(final int bi)
    {
        start[bi] = arena.dataOffset(bi);
        length[bi] = 0;
        flags[bi] = 0;
        error[bi] = 0;
        trace[bi] = 0;
    }

    void markAllocated(final int bi)
    {
        if (state[bi] != STATE_FREE)
        {
            throw new IllegalStateException(name + ": buffer " + bi + " allocated while in use");
        }
        state[bi] = STATE_USED;
    }

    void markFreed(final int bi)
    {
        if (bi < 0 || bi >= state.length)
        {
            throw new IllegalStateException(name + ": freeing buffer index " + bi + " out of range");
        }
        if (state[bi] != STATE_USED)
        {
            throw new IllegalStateException(name + ": double free of buffer " + bi);
        }
        state[bi] = STATE_FREE;
    }
}
