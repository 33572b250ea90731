package jvpp.nodes.l2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The L2 forwarding table of every bridge domain (VPP's l2fib bihash): (bridge-domain index, MAC) to
 * {@code sw_if_index}, last-seen time and a static flag, in preallocated primitive arrays with open
 * addressing and linear probing; each key sits beside its result (interface and static flag), so that a lookup
 * reads key and result from one cache line (as VPP's bihash buckets hold both). The key is {@code (bdIndex + 1) << 48 | mac}, so 0 marks an empty slot.
 * The table never grows: it holds at most {@link #limit()} entries and an insert beyond that fails, which
 * l2-learn counts as "MAC table full".
 *
 * <p>Agrona's {@code Long2LongHashMap} was the first choice, but l2-learn inserts from every worker while
 * the others look up, and that map is neither safe for that nor bounded without a resize; here readers
 * take no lock (a key is published with a release store after its value), inserts take this table's
 * monitor, and removals (aging, clear, interface removal) run on main at the barrier, when no worker reads.
 *
 * <p>Thread: {@link #find} and the refresh setters on any thread; {@link #insert} on any thread;
 * {@link #remove}, {@link #clear} and the scans on main with the workers at the barrier.
 */
public final class L2Fib
{
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long MAC_MASK = 0xffff_ffff_ffffL;

    /**
     * Slot i is {@code table[2i]} (the key) and {@code table[2i + 1]} (the result: sw_if_index in the low 32 bits,
     * bit 32 static), side by side so that a lookup and its result share a cache line, as VPP's bihash buckets.
     */
    private final long[] table;
    private final long[] lastSeen;
    private final int mask;
    private final int limit;
    private int size;

    /** A table for at most {@code limit} entries (the arrays hold twice that, rounded up to a power of two). */
    public L2Fib(final int limit)
    {
        final int capacity = Integer.highestOneBit(Math.max(4, limit) * 2 - 1) << 1;
        table = new long[2 * capacity];
        lastSeen = new long[capacity];
        mask = capacity - 1;
        this.limit = limit;
    }

    public static long key(final int bdIndex, final long mac)
    {
        return ((long)(bdIndex + 1) << 48) | (mac & MAC_MASK);
    }

    public static int bdIndexOf(final long key)
    {
        return (int)(key >>> 48) - 1;
    }

    public static long macOf(final long key)
    {
        return key & MAC_MASK;
    }

    private static int hash(final long key)
    {
        long h = key * 0x9e3779b97f4a7c15L;
        h ^= h >>> 29;
        h *= 0xbf58476d1ce4e5b9L;
        return (int)(h ^ (h >>> 32));
    }

    /** The slot of {@code key}, or -1. Allocation-free; any thread. */
    public int find(final long key)
    {
        int i = hash(key) & mask;
        while (true)
        {
            final long k = (long)TABLE.getAcquire(table, 2 * i);
            if (k == key)
            {
                return i;
            }
            if (k == 0)
            {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private static final long STATIC_BIT = 1L << 32;

    private static long result(final int swIfIndex, final boolean staticEntry)
    {
        return (swIfIndex & 0xffff_ffffL) | (staticEntry ? STATIC_BIT : 0);
    }

    public int swIfIndex(final int slot)
    {
        return (int)table[2 * slot + 1];
    }

    public boolean isStatic(final int slot)
    {
        return (table[2 * slot + 1] & STATIC_BIT) != 0;
    }

    public long lastSeen(final int slot)
    {
        return lastSeen[slot];
    }

    public long keyAt(final int slot)
    {
        return table[2 * slot];
    }

    /** How stale a last-seen time may get before a hit rewrites it: ages are whole minutes, a second is plenty. */
    public static final long REFRESH_NANOS = 1_000_000_000L;

    /**
     * A hit on the interface it was learned on: rewrite last-seen only when it is over a second old, so that a
     * busy host costs a load, not a store into the table, per packet (VPP compares its timestamp likewise).
     */
    public void refresh(final int slot, final long nowNanos)
    {
        if (nowNanos - lastSeen[slot] > REFRESH_NANOS)
        {
            lastSeen[slot] = nowNanos;
        }
    }

    /** Refresh an entry on the data plane (a racy plain store; the last writer wins, as in VPP). */
    public void touch(final int slot, final int swIfIndex, final long nowNanos)
    {
        // Opaque: the result word is written whole (a reader sees the old or the new one, never half).
        TABLE.setOpaque(table, 2 * slot + 1, result(swIfIndex, isStatic(slot)));
        lastSeen[slot] = nowNanos;
    }

    /**
     * Add {@code key}, or overwrite it when present ({@code l2fib add} replaces; learning checks first).
     * Returns the slot, or -1 when the table is full. Any thread.
     */
    public synchronized int insert(final long key, final int swIfIndex, final long nowNanos, final boolean staticEntry)
    {
        int i = hash(key) & mask;
        while (true)
        {
            final long k = table[2 * i];
            if (k == key)
            {
                TABLE.setOpaque(table, 2 * i + 1, result(swIfIndex, staticEntry));
                lastSeen[i] = nowNanos;
                return i;
            }
            if (k == 0)
            {
                if (size >= limit)
                {
                    return -1;
                }
                table[2 * i + 1] = result(swIfIndex, staticEntry);
                lastSeen[i] = nowNanos;
                size++;
                TABLE.setRelease(table, 2 * i, key);
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Remove the entry in {@code slot}, shifting back the entries after it. Main, at the barrier. */
    public synchronized void removeSlot(final int slot)
    {
        int hole = slot;
        int i = (slot + 1) & mask;
        while (table[2 * i] != 0)
        {
            final int home = hash(table[2 * i]) & mask;
            // Move i into the hole unless its home lies cyclically in (hole, i].
            final boolean stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!stays)
            {
                table[2 * hole] = table[2 * i];
                table[2 * hole + 1] = table[2 * i + 1];
                lastSeen[hole] = lastSeen[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        table[2 * hole] = 0;
        table[2 * hole + 1] = 0;
        size--;
    }

    /** Remove {@code key}; returns whether it was there. Main, at the barrier. */
    public boolean remove(final long key)
    {
        final int slot = find(key);
        if (slot < 0)
        {
            return false;
        }
        removeSlot(slot);
        return true;
    }

    /** A test over an entry, for {@link #removeIf}. */
    @FunctionalInterface
    public interface EntryPredicate
    {
        boolean test(long key, int swIfIndex, long lastSeenNanos, boolean staticEntry);
    }

    /** Remove every entry {@code p} accepts; returns how many. Main, at the barrier. */
    public synchronized int removeIf(final EntryPredicate p)
    {
        int removed = 0;
        int i = 0;
        final int slots = lastSeen.length;
        while (i < slots)
        {
            // removeSlot may shift a later entry into i: look at i again before moving on.
            if (table[2 * i] != 0 && p.test(table[2 * i], swIfIndex(i), lastSeen[i], isStatic(i)))
            {
                removeSlot(i);
                removed++;
            }
            else
            {
                i++;
            }
        }
        return removed;
    }

    public int size()
    {
        return size;
    }

    public int limit()
    {
        return limit;
    }

    /** How many slots there are, for scans with {@link #keyAt} (0: empty). */
    public int capacity()
    {
        return lastSeen.length;
    }
}
