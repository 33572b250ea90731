package jvpp.nodes.ip4;

import java.util.Arrays;

import org.agrona.collections.Int2IntHashMap;

/**
 * One thread's IPv4 reassembly contexts, preallocated: a slot per datagram in parallel arrays, found by its key
 * (source, destination, IP id and protocol) through open addressing, and a count of contexts per source. The
 * fragments themselves are {@link Ip4FullReassNode}'s: a slot only knows the first of them ({@link #first}) and
 * what they add up to. Nothing here allocates after construction: {@link #grown} makes a larger table for the
 * control plane to swap in.
 *
 * <p>Thread: its node's; main at the barrier.
 */
final class Ip4ReassemblyTable
{
    static final int NONE = -1;
    /** {@link #create}: the table is full, or the source has its share. */
    static final int FULL = -1;
    static final int SOURCE_FULL = -2;

    final int capacity;
    final int[] keySrc;
    final int[] keyDst;
    /** The IP id and protocol: {@code id << 8 | protocol}. */
    final int[] keyIdProto;
    /** When the datagram's first fragment (the first to arrive) came, by the config's clock. */
    final long[] started;
    /** The fragment with the lowest offset, the others linked after it; {@link #NONE} while the slot is free. */
    final int[] first;
    final int[] fragments;
    /** Bytes of IP payload held. */
    final int[] dataBytes;
    /** Where the datagram's payload ends, from its last fragment (MF clear); {@link #NONE} until that came. */
    final int[] endBytes;
    /** The largest end of the fragments held. */
    final int[] maxEnd;
    /** Buffers held, chained ones included. */
    final int[] buffersHeld;
    /** The reassembly's number, for {@code show ip4-full-reassembly details}. */
    final long[] ids;
    private final int[] freeSlots;
    private int freeCount;
    /** {@code slot + 1}, 0 for an empty bucket; linear probing. */
    private final int[] buckets;
    private final int bucketMask;
    /** Contexts per source address; a source with none is left out. */
    private final Int2IntHashMap perSource;
    private long nextId;
    private int active;

    Ip4ReassemblyTable(final int slots)
    {
        final int n = Math.max(1, slots);
        capacity = n;
        keySrc = new int[n];
        keyDst = new int[n];
        keyIdProto = new int[n];
        started = new long[n];
        first = new int[n];
        fragments = new int[n];
        dataBytes = new int[n];
        endBytes = new int[n];
        maxEnd = new int[n];
        buffersHeld = new int[n];
        ids = new long[n];
        freeSlots = new int[n];
        Arrays.fill(first, NONE);
        for (int i = n - 1; i >= 0; i--)
        {
            freeSlots[freeCount++] = i;
        }
        final int size = Integer.highestOneBit(n * 2 - 1) << 1;
        buckets = new int[size];
        bucketMask = size - 1;
        // Twice the slots at a load factor of one half: never resized, so put and remove allocate nothing.
        perSource = new Int2IntHashMap(n * 2, 0.5f, 0);
    }

    /** A table of {@code slots} holding every context of this one, in the same slots. Thread: main, at the barrier. */
    Ip4ReassemblyTable grown(final int slots)
    {
        final Ip4ReassemblyTable t = new Ip4ReassemblyTable(Math.max(slots, capacity));
        t.freeCount = 0;
        for (int slot = t.capacity - 1; slot >= 0; slot--)
        {
            if (slot >= capacity || first[slot] == NONE)
            {
                t.freeSlots[t.freeCount++] = slot;
                continue;
            }
            t.keySrc[slot] = keySrc[slot];
            t.keyDst[slot] = keyDst[slot];
            t.keyIdProto[slot] = keyIdProto[slot];
            t.started[slot] = started[slot];
            t.first[slot] = first[slot];
            t.fragments[slot] = fragments[slot];
            t.dataBytes[slot] = dataBytes[slot];
            t.endBytes[slot] = endBytes[slot];
            t.maxEnd[slot] = maxEnd[slot];
            t.buffersHeld[slot] = buffersHeld[slot];
            t.ids[slot] = ids[slot];
            t.insertBucket(slot);
            t.perSource.put(keySrc[slot], t.perSource.get(keySrc[slot]) + 1);
        }
        t.nextId = nextId;
        t.active = active;
        return t;
    }

    /** Contexts in use. */
    int active()
    {
        return active;
    }

    /** The slot of the datagram with this key, or {@link #NONE}. */
    int find(final int src, final int dst, final int idProto)
    {
        int b = hash(src, dst, idProto) & bucketMask;
        int e;
        while ((e = buckets[b]) != 0)
        {
            final int slot = e - 1;
            if (keySrc[slot] == src && keyDst[slot] == dst && keyIdProto[slot] == idProto)
            {
                return slot;
            }
            b = (b + 1) & bucketMask;
        }
        return NONE;
    }

    /**
     * A new, empty context started at {@code now}, or {@link #FULL} when {@code maxActive} are in use (or every
     * slot), {@link #SOURCE_FULL} when {@code src} has {@code maxPerSource}. Its {@link #first} is set by the caller.
     */
    int create(final int src, final int dst, final int idProto, final long now, final int maxActive,
        final int maxPerSource)
    {
        if (active >= maxActive || freeCount == 0)
        {
            return FULL;
        }
        final int fromSource = perSource.get(src);
        if (fromSource >= maxPerSource)
        {
            return SOURCE_FULL;
        }
        final int slot = freeSlots[--freeCount];
        keySrc[slot] = src;
        keyDst[slot] = dst;
        keyIdProto[slot] = idProto;
        started[slot] = now;
        fragments[slot] = 0;
        dataBytes[slot] = 0;
        endBytes[slot] = NONE;
        maxEnd[slot] = 0;
        buffersHeld[slot] = 0;
        ids[slot] = nextId++;
        insertBucket(slot);
        perSource.put(src, fromSource + 1);
        active++;
        return slot;
    }

    /** Free {@code slot}; its fragments are already gone (sent on or dropped). */
    void release(final int slot)
    {
        removeBucket(slot);
        final int src = keySrc[slot];
        final int left = perSource.get(src) - 1;
        if (left == 0)
        {
            perSource.remove(src);
        }
        else
        {
            perSource.put(src, left);
        }
        buffersHeld[slot] = 0;
        first[slot] = NONE;
        freeSlots[freeCount++] = slot;
        active--;
    }

    private static int hash(final int src, final int dst, final int idProto)
    {
        int h = src * 0x9e3779b1 ^ dst * 0x85ebca6b ^ idProto * 0xc2b2ae35;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    private int home(final int slot)
    {
        return hash(keySrc[slot], keyDst[slot], keyIdProto[slot]) & bucketMask;
    }

    private void insertBucket(final int slot)
    {
        int b = home(slot);
        while (buckets[b] != 0)
        {
            b = (b + 1) & bucketMask;
        }
        buckets[b] = slot + 1;
    }

    /** Remove {@code slot}'s bucket, moving back the entries after it that probed past it (no tombstones). */
    private void removeBucket(final int slot)
    {
        int hole = home(slot);
        while (buckets[hole] != slot + 1)
        {
            hole = (hole + 1) & bucketMask;
        }
        buckets[hole] = 0;
        int b = hole;
        while (true)
        {
            b = (b + 1) & bucketMask;
            final int e = buckets[b];
            if (e == 0)
            {
                return;
            }
            // The entry may move into the hole unless its home lies cyclically in (hole, b].
            if (((b - home(e - 1)) & bucketMask) >= ((b - hole) & bucketMask))
            {
                buckets[hole] = e;
                buckets[b] = 0;
                hole = b;
            }
        }
    }
}
