package jvpp.core.buffer;

/**
 * One thread's cache of free buffers, refilled from and spilled to its {@link BufferPool} in batches so
 * that the shared free stack is touched once per {@link #BATCH} buffers (VPP's per-thread buffer cache).
 *
 * <p>Thread: owned by exactly one thread (its worker or main); not thread-safe.
 */
public final class BufferCache
{
    public static final int BATCH = 256;
    private static final int CAPACITY = 4 * BATCH;

    private final BufferPool pool;
    private final String owner;
    private final int[] cache = new int[CAPACITY];
    // Plain field: only the owner writes it; show buffers reads it racily, which is fine for a count.
    private int size;

    BufferCache(final BufferPool pool, final String owner)
    {
        this.pool = pool;
        this.owner = owner;
    }

    public BufferPool pool()
    {
        return pool;
    }

    public String owner()
    {
        return owner;
    }

    public int size()
    {
        return size;
    }

    /**
     * Allocate up to {@code count} buffers into {@code dst[offset..]}, metadata reset; returns how many
     * (fewer only when the pool is exhausted).
     */
    public int alloc(final int[] dst, final int offset, final int count)
    {
        int got = 0;
        while (got < count)
        {
            int n = size;
            if (n == 0)
            {
                n = pool.take(cache, 0, BATCH * 2);
                if (n == 0)
                {
                    break;
                }
            }
            final int take = Math.min(n, count - got);
            final int from = n - take;
            System.arraycopy(cache, from, dst, offset + got, take);
            size = from;
            got += take;
        }
        final BufferPool p = pool;
        for (int i = offset, end = offset + got; i < end; i++)
        {
            final int bi = dst[i];
            if (BufferPool.DEBUG)
            {
                p.markAllocated(bi);
            }
            p.reset(bi);
        }
        return got;
    }

    /** Allocate one buffer; returns -1 when the pool is exhausted. */
    public int alloc()
    {
        int n = size;
        if (n == 0)
        {
            n = pool.take(cache, 0, BATCH);
            if (n == 0)
            {
                return -1;
            }
        }
        final int bi = cache[--n];
        size = n;
        if (BufferPool.DEBUG)
        {
            pool.markAllocated(bi);
        }
        pool.reset(bi);
        return bi;
    }

    /**
     * Free the packet headed by {@code bi}: the buffer and, when it is a chain's head, every buffer after it. A chain
     * of more buffers than the pool has is a loop, a bug: it throws rather than spin.
     */
    public void free(final int bi)
    {
        final BufferPool p = pool;
        final int[] flags = p.flags;
        if ((flags[bi] & BufferPool.FLAG_NEXT_PRESENT) == 0)
        {
            freeOne(bi, true);
            return;
        }
        int b = bi;
        boolean head = true;
        for (int left = p.total(); ; left--)
        {
            if (left == 0)
            {
                throw new IllegalStateException(p.name() + ": chain of buffer " + bi + " loops");
            }
            final boolean more = (flags[b] & BufferPool.FLAG_NEXT_PRESENT) != 0;
            final int next = p.nextBuffer[b];
            flags[b] = 0;
            freeOne(b, head);
            if (!more)
            {
                return;
            }
            head = false;
            b = next;
        }
    }

    /**
     * Cut the packet headed by {@code head} to {@code total} bytes ({@code 0 < total <= totalLength(head)}): the
     * buffer where it ends keeps what it needs and the buffers after it are freed.
     */
    public void trim(final int head, final int total)
    {
        final BufferPool p = pool;
        final int[] length = p.length;
        int b = head;
        int left = total;
        while (left > length[b] && (p.flags[b] & BufferPool.FLAG_NEXT_PRESENT) != 0)
        {
            left -= length[b];
            b = p.nextBuffer[b];
        }
        length[b] = Math.min(left, length[b]);
        if ((p.flags[b] & BufferPool.FLAG_NEXT_PRESENT) != 0)
        {
            p.flags[b] &= ~BufferPool.FLAG_NEXT_PRESENT;
            final int rest = p.nextBuffer[b];
            if (BufferPool.DEBUG)
            {
                p.markUnchained(rest);
            }
            free(rest);
        }
        if (b == head)
        {
            p.flags[head] &= ~BufferPool.FLAG_NEXT_PRESENT;
            p.chainRest[head] = 0;
        }
        else
        {
            p.chainRest[head] = total - length[head];
        }
    }

    /**
     * A copy of the packet headed by {@code head}: every buffer of its chain at the same place in its slot, its
     * flags (chain and offload), gso and checksum metadata, and its receive and transmit interfaces; -1 when the pool
     * runs out (nothing is kept then). The copy is not traced.
     */
    public int copy(final int head)
    {
        final BufferPool p = pool;
        final BufferArena arena = p.arena();
        final int c = alloc();
        if (c < 0)
        {
            return -1;
        }
        copyBytes(head, c, arena);
        final int[] flags = p.flags;
        flags[c] = flags[head] & ~BufferPool.FLAG_NEXT_PRESENT;
        p.rxIf[c] = p.rxIf[head];
        p.txIf[c] = p.txIf[head];
        p.opaque[c] = p.opaque[head];
        p.gsoSize[c] = p.gsoSize[head];
        p.gsoType[c] = p.gsoType[head];
        p.csumStart[c] = p.csumStart[head] - p.start[head] + p.start[c];
        p.csumOffset[c] = p.csumOffset[head];
        int tail = c;
        for (int b = head; (flags[b] & BufferPool.FLAG_NEXT_PRESENT) != 0;)
        {
            b = p.nextBuffer[b];
            final int d = alloc();
            if (d < 0)
            {
                free(c);
                return -1;
            }
            copyBytes(b, d, arena);
            p.append(c, tail, d);
            tail = d;
        }
        return c;
    }

    private void copyBytes(final int from, final int to, final BufferArena arena)
    {
        final BufferPool p = pool;
        p.start[to] = p.start[from] - arena.slotOffset(from) + arena.slotOffset(to);
        p.length[to] = p.length[from];
        p.memory().putBytes(p.start[to], p.memory(), p.start[from], p.length[from]);
    }

    private void freeOne(final int bi, final boolean head)
    {
        if (BufferPool.DEBUG)
        {
            pool.markFreed(bi, head);
        }
        int n = size;
        if (n == CAPACITY)
        {
            n -= BATCH;
            pool.give(cache, n, BATCH);
        }
        cache[n] = bi;
        size = n + 1;
    }

    /** Free the {@code count} packets (chains with their heads) from {@code src[offset..]}. */
    public void free(final int[] src, final int offset, final int count)
    {
        for (int i = offset, end = offset + count; i < end; i++)
        {
            free(src[i]);
        }
    }

    /** Give every cached buffer back to the pool (thread exit, or to make {@code show buffers} exact). */
    public void flush()
    {
        final int n = size;
        pool.give(cache, 0, n);
        size = 0;
    }

    /** Flush and detach from the pool. */
    public void close()
    {
        flush();
        pool.removeCache(this);
    }
}
