package jvpp.nodes.ip4.fib;

import java.util.Arrays;

import org.agrona.collections.Int2IntHashMap;

/**
 * One IPv4 FIB table: its prefixes as the control plane sees them (one hash table per prefix length,
 * VPP's {@code ip4_fib_t} hash) and the {@link Ip4Mtrie} the data plane looks up. Values are non-negative
 * ints (load-balance indices).
 *
 * <p>Removing a prefix finds its cover (the longest installed prefix strictly shorter that contains it)
 * by probing the per-length tables from {@code length - 1} down to 0, and hands it to
 * {@link Ip4Mtrie#remove}; with no cover the mtrie falls back to the table's default value.
 *
 * <p>Threads: {@link #lookup} and {@link #lookupBatch} from any thread, concurrently with changes (see
 * {@link Ip4Mtrie}); everything else on the main thread only.
 */
public final class Ip4Fib
{
    /** Receives prefixes in {@link #forEach} order. */
    @FunctionalInterface
    public interface PrefixConsumer
    {
        void accept(int prefix, int length, int value);
    }

    /** What {@link #get} returns for a prefix that is not installed. */
    public static final int MISSING = -1;

    private final Ip4Mtrie mtrie;
    private final Int2IntHashMap[] byLength = new Int2IntHashMap[33];
    private int size;

    /**
     * @param defaultValue what {@link #lookup} returns where no prefix matches (no default route); {@code >= 0}.
     */
    public Ip4Fib(final int defaultValue)
    {
        mtrie = new Ip4Mtrie(defaultValue);
        for (int i = 0; i < byLength.length; i++)
        {
            byLength[i] = new Int2IntHashMap(8, 0.65f, MISSING);
        }
    }

    /** Install or change {@code prefix/length -> value}; host bits of {@code prefix} are ignored. Main thread. */
    public void set(final int prefix, final int length, final int value)
    {
        checkLength(length);
        if (value < 0)
        {
            throw new IllegalArgumentException("value " + value + " is negative");
        }
        final int p = prefix & Ip4Mtrie.mask(length);
        if (byLength[length].put(p, value) == MISSING)
        {
            size++;
        }
        mtrie.add(p, length, value);
    }

    /** Uninstall {@code prefix/length}; false when it was not installed. Main thread. */
    public boolean remove(final int prefix, final int length)
    {
        checkLength(length);
        final int p = prefix & Ip4Mtrie.mask(length);
        if (byLength[length].remove(p) == MISSING)
        {
            return false;
        }
        size--;
        int coverValue = mtrie.defaultValue();
        int coverLength = 0;
        for (int l = length - 1; l >= 0; l--)
        {
            final int v = byLength[l].get(p & Ip4Mtrie.mask(l));
            if (v != MISSING)
            {
                coverValue = v;
                coverLength = l;
                break;
            }
        }
        mtrie.remove(p, length, coverValue, coverLength);
        return true;
    }

    /** The value of exactly {@code prefix/length}, or {@link #MISSING}. Main thread. */
    public int get(final int prefix, final int length)
    {
        checkLength(length);
        return byLength[length].get(prefix & Ip4Mtrie.mask(length));
    }

    /** Data plane: the value of the longest prefix containing {@code address}, else the default. Any thread. */
    public int lookup(final int address)
    {
        return mtrie.lookup(address);
    }

    /** Data plane: {@link Ip4Mtrie#lookupBatch}. Any thread. */
    public void lookupBatch(final int[] addresses, final int[] out, final int n)
    {
        mtrie.lookupBatch(addresses, out, n);
    }

    /** Control plane: the length of the longest installed prefix containing {@code address}, or -1. Main. */
    public int longestMatchLength(final int address)
    {
        for (int l = 32; l >= 0; l--)
        {
            if (byLength[l].containsKey(address & Ip4Mtrie.mask(l)))
            {
                return l;
            }
        }
        return -1;
    }

    /**
     * Control plane: the longest installed prefix containing {@code address} as
     * {@code (length << 32) | (prefix & 0xffffffffL)} (see {@link #matchPrefix}, {@link #matchLength}), or -1
     * when none does. Main thread.
     */
    public long longestMatch(final int address)
    {
        final int l = longestMatchLength(address);
        return l < 0 ? -1 : ((long)l << 32) | (address & Ip4Mtrie.mask(l) & 0xffff_ffffL);
    }

    /** The prefix of a {@link #longestMatch} result. */
    public static int matchPrefix(final long match)
    {
        return (int)match;
    }

    /** The length of a {@link #longestMatch} result. */
    public static int matchLength(final long match)
    {
        return (int)(match >>> 32);
    }

    /** Installed prefixes. Main thread. */
    public int size()
    {
        return size;
    }

    /** The trie behind {@link #lookup}, for {@code plies()}, {@code memoryBytes()} and {@code reclaim()}. */
    public Ip4Mtrie mtrie()
    {
        return mtrie;
    }

    /** {@link Ip4Mtrie#reclaim()}: main thread, after a worker barrier. */
    public void reclaim()
    {
        mtrie.reclaim();
    }

    /**
     * Every installed prefix in ascending order of address (unsigned), then of length, as {@code show ip fib}
     * lists them. Sorts on each call: control plane only. Main thread.
     */
    public void forEach(final PrefixConsumer consumer)
    {
        final long[] keys = new long[size];
        int n = 0;
        for (int l = 0; l <= 32; l++)
        {
            final Int2IntHashMap.KeyIterator it = byLength[l].keySet().iterator();
            while (it.hasNext())
            {
                keys[n++] = ((it.nextValue() & 0xffff_ffffL) << 6) | l;
            }
        }
        Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++)
        {
            final int prefix = (int)(keys[i] >>> 6);
            final int length = (int)(keys[i] & 63);
            consumer.accept(prefix, length, byLength[length].get(prefix));
        }
    }

    private static void checkLength(final int length)
    {
        if (length < 0 || length > 32)
        {
            throw new IllegalArgumentException("prefix length " + length + " not in 0..32");
        }
    }
}
