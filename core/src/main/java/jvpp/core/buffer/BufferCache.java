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

    /** Free one buffer. */
    public void free(final int bi)
    {
        if (BufferPool.DEBUG)
        {
            pool.markFreed(bi);
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

    /** Free {@code count} buffers from {@code src[offset..]}. */
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
