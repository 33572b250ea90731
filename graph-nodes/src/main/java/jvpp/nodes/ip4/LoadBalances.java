package jvpp.nodes.ip4;

import java.util.Arrays;

/**
 * Load-balance objects: what a FIB entry's lookup returns (VPP's load_balance_t). A load-balance has one
 * or more buckets, each an adjacency; with several, ip4-lookup picks one by the packet's flow hash (ECMP),
 * so one flow stays on one path.
 *
 * <p>Storage: {@link #count} and {@link #first} per index; the buckets of an ECMP load-balance in
 * {@link #buckets}. Load-balances are interned by their bucket list (many routes via one next hop share
 * one), and changed in place when what they resolve through changes.
 *
 * <p>Thread: main mutates; the data plane reads.
 */
public final class LoadBalances
{
    /** Index 0: no route, ICMP unreachable. Index 1: drop. */
    public static final int LB_UNREACHABLE = 0;
    public static final int LB_DROP = 1;

    public int[] count = new int[64];
    public int[] first = new int[64];
    public int[][] buckets = new int[64][];
    private int[] refs = new int[64];
    private int size;
    private int[] freeList = new int[16];
    private int freeCount;

    public LoadBalances()
    {
        add(new int[] {Adjacencies.ADJ_UNREACHABLE});
        add(new int[] {Adjacencies.ADJ_DROP});
        refs[LB_UNREACHABLE] = Integer.MAX_VALUE / 2;
        refs[LB_DROP] = Integer.MAX_VALUE / 2;
    }

    /** A new load-balance over {@code adjs} with one reference. */
    public int add(final int[] adjs)
    {
        final int i;
        if (freeCount > 0)
        {
            i = freeList[--freeCount];
        }
        else
        {
            if (size == count.length)
            {
                final int n = size * 2;
                count = Arrays.copyOf(count, n);
                first = Arrays.copyOf(first, n);
                buckets = Arrays.copyOf(buckets, n);
                refs = Arrays.copyOf(refs, n);
            }
            i = size++;
        }
        set(i, adjs);
        refs[i] = 1;
        return i;
    }

    /** Replace the buckets of {@code lb}. */
    public void set(final int lb, final int[] adjs)
    {
        final int[] b = adjs.length == 0 ? new int[] {Adjacencies.ADJ_DROP} : adjs.clone();
        buckets[lb] = b;
        first[lb] = b[0];
        count[lb] = b.length;
    }

    public void lock(final int lb)
    {
        refs[lb]++;
    }

    /** Drop a reference; returns true when the last one went and the index was freed. */
    public boolean unlock(final int lb)
    {
        if (--refs[lb] == 0)
        {
            if (freeCount == freeList.length)
            {
                freeList = Arrays.copyOf(freeList, freeList.length * 2);
            }
            freeList[freeCount++] = lb;
            return true;
        }
        return false;
    }

    /** The adjacency of {@code lb} for a packet of flow hash {@code hash}. */
    public int pick(final int lb, final int hash)
    {
        final int n = count[lb];
        return n == 1 ? first[lb] : buckets[lb][(hash & 0x7fff_ffff) % n];
    }

    public int size()
    {
        return size;
    }
}
