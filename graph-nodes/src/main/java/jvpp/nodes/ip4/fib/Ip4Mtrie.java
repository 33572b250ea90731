package jvpp.nodes.ip4.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * IPv4 longest-prefix match as a 16-8-8 multibit trie, after VPP's {@code ip4_mtrie_16}: an address's first
 * 16 bits index a root ply of 65536 leaves, the third and fourth octets index 256-leaf plies below it. A
 * lookup is at most three dependent array loads.
 *
 * <p><b>Storage.</b> One flat {@code int[]} holds every leaf: the root ply at offsets [0, 65536), then the
 * 256-leaf plies of a pool, ply {@code p} at offset {@code 65536 + 256 p}. There is no object per ply. Freed
 * plies go on a free list and are reused.
 *
 * <p><b>Leaf encoding.</b> A leaf {@code >= 0} is terminal: it is the value itself (values are non-negative:
 * load-balance indices). A leaf {@code < 0} points at a child ply: {@code ~leaf} is the child's offset in the
 * same array, so the next load is {@code leaves[~leaf + octet]} with no multiply and no tag to strip.
 *
 * <p><b>Prefix lengths.</b> A parallel {@code byte[]} remembers, for every leaf slot, the length of the
 * prefix that set it (VPP's {@code dst_address_length}), so that adding a shorter prefix never overwrites a
 * longer one and removing a prefix restores its cover only where it was the one in effect. A slot no prefix
 * covers holds {@code defaultValue} with length 0, exactly as if {@code 0.0.0.0/0 -> defaultValue} were
 * installed, so the default route needs no special case. A ply is collapsed back into a terminal leaf of
 * its parent (and freed) once none of its slots holds anything more specific than the parent slot did.
 *
 * <p><b>Removal.</b> The caller names the covering prefix (VPP style): {@link #remove} takes the value and
 * length of the longest prefix strictly shorter than the removed one that contains it, or
 * {@code (defaultValue, 0)} when there is none. {@link Ip4Fib} finds it in its per-length tables.
 *
 * <p><b>Threads.</b> Mutations ({@link #add}, {@link #remove}, {@link #reclaim}) on the main thread only.
 * {@link #lookup} and {@link #lookupBatch} from any thread, concurrently with mutations; a lookup sees, for
 * every address, either the value before or after each single mutation's effect on that address's leaf,
 * never a half-built ply:
 * <ul>
 * <li>a new ply is completely filled (with the value its parent slot held) before its pointer is stored in
 *     the parent, and every leaf store that a reader may see is a release store ({@link VarHandle#setRelease});
 *     readers use plain loads, each depending on the previous one;</li>
 * <li>when the pool is full, the array is copied into a larger one which is then published through a
 *     {@code volatile} field; main writes only to the newest array, so a reader that loaded an older array
 *     (once per lookup or batch) sees a frozen, consistent snapshot in which every pointer is in range;</li>
 * <li>plies freed by {@link #remove} are parked and not reused until main calls {@link #reclaim()} at a
 *     point where no lookup that began before the frees can still be running (a worker barrier). Without
 *     {@code reclaim()} the pool only grows; that is safe, merely wasteful.</li>
 * </ul>
 */
public final class Ip4Mtrie
{
    /** Leaves in the root ply: one per value of the address's first 16 bits. */
    public static final int ROOT_SLOTS = 1 << 16;
    /** Leaves in each lower ply: one per value of an octet. */
    public static final int PLY_SLOTS = 256;

    private static final VarHandle LEAF = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int INITIAL_CAPACITY = 64;
    private static final int MAX_CAPACITY = (Integer.MAX_VALUE - 64 - ROOT_SLOTS) / PLY_SLOTS;

    private final int defaultValue;
    /** Root then plies; replaced (never mutated after replacement) when the pool grows. */
    private volatile int[] leaves;
    /** Main only: the prefix length behind each leaf slot, same layout as {@link #leaves}. */
    private byte[] lengths;
    /** Main only: per ply, how many slots are pointers or hold a prefix longer than the ply's parent slot. */
    private int[] specific;
    private int capacity;
    private int highWater;
    private int livePlies;
    private int[] free = new int[16];
    private int freeCount;
    private int[] parked = new int[16];
    private int parkedCount;

    /**
     * @param defaultValue what {@link #lookup} returns where no prefix matches; must be {@code >= 0}.
     */
    public Ip4Mtrie(final int defaultValue)
    {
        checkValue(defaultValue);
        this.defaultValue = defaultValue;
        capacity = INITIAL_CAPACITY;
        final int[] l = new int[ROOT_SLOTS + capacity * PLY_SLOTS];
        Arrays.fill(l, 0, ROOT_SLOTS, defaultValue);
        lengths = new byte[l.length];
        specific = new int[capacity];
        leaves = l;
    }

    public int defaultValue()
    {
        return defaultValue;
    }

    /**
     * Install {@code prefix/length -> value}, or change its value when it is already installed. Bits of
     * {@code prefix} beyond {@code length} are ignored. Main thread only.
     *
     * @param prefix the prefix, first octet in the most significant byte.
     * @param length 0 to 32.
     * @param value  {@code >= 0}.
     */
    public void add(final int prefix, final int length, final int value)
    {
        checkLength(length);
        checkValue(value);
        final int p = prefix & mask(length);
        if (length <= 16)
        {
            final int first = p >>> 16;
            final int end = first + (1 << (16 - length));
            for (int off = first; off < end; off++)
            {
                fillSlot(off, -1, 0, value, length);
            }
            return;
        }
        final int l2 = childOf(p >>> 16, -1, 0);
        if (length <= 24)
        {
            final int first = l2 + ((p >>> 8) & 0xff);
            final int end = first + (1 << (24 - length));
            for (int off = first; off < end; off++)
            {
                fillSlot(off, l2, 16, value, length);
            }
            return;
        }
        final int l3 = childOf(l2 + ((p >>> 8) & 0xff), l2, 16);
        final int first = l3 + (p & 0xff);
        final int end = first + (1 << (32 - length));
        for (int off = first; off < end; off++)
        {
            fillSlot(off, l3, 24, value, length);
        }
    }

    /**
     * Uninstall {@code prefix/length}: wherever it is the match in effect, its cover takes over. Removing a
     * prefix that was never added changes nothing. Main thread only.
     *
     * @param coverValue  value of the longest installed prefix strictly shorter than {@code length} that
     *                    contains {@code prefix}, or {@link #defaultValue()} when there is none.
     * @param coverLength that prefix's length, or 0 when there is none.
     */
    public void remove(final int prefix, final int length, final int coverValue, final int coverLength)
    {
        checkLength(length);
        checkValue(coverValue);
        if (coverLength < 0 || (coverLength >= length && length > 0) || (length == 0 && coverLength != 0))
        {
            throw new IllegalArgumentException("cover length " + coverLength + " for a /" + length);
        }
        final int p = prefix & mask(length);
        if (length <= 16)
        {
            final int first = p >>> 16;
            final int end = first + (1 << (16 - length));
            for (int off = first; off < end; off++)
            {
                clearSlot(off, -1, 0, length, coverValue, coverLength);
            }
            return;
        }
        final int root = p >>> 16;
        final int rootLeaf = leaves[root];
        if (rootLeaf >= 0)
        {
            return;
        }
        final int l2 = ~rootLeaf;
        if (length <= 24)
        {
            final int first = l2 + ((p >>> 8) & 0xff);
            final int end = first + (1 << (24 - length));
            for (int off = first; off < end; off++)
            {
                clearSlot(off, l2, 16, length, coverValue, coverLength);
            }
        }
        else
        {
            final int mid = l2 + ((p >>> 8) & 0xff);
            final int midLeaf = leaves[mid];
            if (midLeaf >= 0)
            {
                return;
            }
            final int l3 = ~midLeaf;
            final int first = l3 + (p & 0xff);
            final int end = first + (1 << (32 - length));
            for (int off = first; off < end; off++)
            {
                clearSlot(off, l3, 24, length, coverValue, coverLength);
            }
            collapseIfPlain(mid, l2, 16, l3);
        }
        collapseIfPlain(root, -1, 0, l2);
    }

    /**
     * Make the plies freed by {@link #remove} since the last call reusable. Main thread only, and only when
     * no lookup that started before those removals can still be running (after a worker barrier).
     */
    public void reclaim()
    {
        while (parkedCount > 0)
        {
            if (freeCount == free.length)
            {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = parked[--parkedCount];
        }
    }

    /** The value of the longest prefix containing {@code address}, or {@link #defaultValue()}. Any thread. */
    public int lookup(final int address)
    {
        final int[] l = leaves;
        int leaf = l[address >>> 16];
        if (leaf < 0)
        {
            leaf = l[~leaf + ((address >>> 8) & 0xff)];
            if (leaf < 0)
            {
                leaf = l[~leaf + (address & 0xff)];
            }
        }
        return leaf;
    }

    /**
     * {@code out[i] = lookup(addresses[i])} for {@code i < n}, one trie level at a time across the whole
     * batch, so that the cache misses of different addresses overlap instead of queueing behind each other.
     * Uses {@code out} as its only scratch: allocates nothing and may run on several threads at once. Any
     * thread.
     */
    public void lookupBatch(final int[] addresses, final int[] out, final int n)
    {
        final int[] l = leaves;
        int pointers = 0;
        for (int i = 0; i < n; i++)
        {
            final int leaf = l[addresses[i] >>> 16];
            out[i] = leaf;
            pointers |= leaf;
        }
        if (pointers >= 0)
        {
            return;
        }
        pointers = 0;
        for (int i = 0; i < n; i++)
        {
            final int leaf = out[i];
            if (leaf < 0)
            {
                final int next = l[~leaf + ((addresses[i] >>> 8) & 0xff)];
                out[i] = next;
                pointers |= next;
            }
        }
        if (pointers >= 0)
        {
            return;
        }
        for (int i = 0; i < n; i++)
        {
            final int leaf = out[i];
            if (leaf < 0)
            {
                out[i] = l[~leaf + (addresses[i] & 0xff)];
            }
        }
    }

    /** Plies linked into the trie (not counting freed ones). Main thread. */
    public int plies()
    {
        return livePlies;
    }

    /** Plies the pool can hold before it grows again. Main thread. */
    public int capacity()
    {
        return capacity;
    }

    /** Bytes of the arrays this trie holds (leaves, lengths, per-ply counters, free lists). Main thread. */
    public long memoryBytes()
    {
        return 4L * leaves.length + lengths.length + 4L * specific.length + 4L * free.length + 4L * parked.length;
    }

    /** The netmask of a prefix length: {@code mask(24) == 0xffffff00}, {@code mask(0) == 0}. */
    public static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /**
     * Overwrite the slot at {@code off} with {@code value/length} if it is not more specific; below a pointer,
     * do the same to every slot of the child ply.
     */
    private void fillSlot(final int off, final int owner, final int base, final int value, final int length)
    {
        final int leaf = leaves[off];
        if (leaf < 0)
        {
            final int child = ~leaf;
            for (int i = 0; i < PLY_SLOTS; i++)
            {
                fillSlot(child + i, child, base + (base == 0 ? 16 : 8), value, length);
            }
        }
        else if (lengths[off] <= length)
        {
            store(off, owner, base, value, length);
        }
    }

    /** Where {@code length} set the slot at {@code off} (or below it), put the cover back. */
    private void clearSlot(
        final int off, final int owner, final int base, final int length, final int coverValue, final int coverLength)
    {
        final int leaf = leaves[off];
        if (leaf < 0)
        {
            final int child = ~leaf;
            for (int i = 0; i < PLY_SLOTS; i++)
            {
                clearSlot(child + i, child, base + (base == 0 ? 16 : 8), length, coverValue, coverLength);
            }
        }
        else if (lengths[off] == length)
        {
            store(off, owner, base, coverValue, coverLength);
        }
    }

    /**
     * The child ply below the slot at {@code off}, creating it (filled with the slot's terminal value and
     * length, then linked) when the slot is terminal.
     */
    private int childOf(final int off, final int owner, final int base)
    {
        final int leaf = leaves[off];
        if (leaf < 0)
        {
            return ~leaf;
        }
        final byte length = lengths[off];
        final int child = allocatePly();
        final int[] l = leaves;
        Arrays.fill(l, child, child + PLY_SLOTS, leaf);
        Arrays.fill(lengths, child, child + PLY_SLOTS, length);
        specific[plyIndex(child)] = 0;
        livePlies++;
        // The release store orders the fill above before the pointer for any reader that sees the pointer.
        store(off, owner, base, ~child, length);
        return child;
    }

    /** When no slot of {@code child} is more specific than its parent slot at {@code off}, fold it back. */
    private void collapseIfPlain(final int off, final int owner, final int base, final int child)
    {
        final int ply = plyIndex(child);
        if (specific[ply] != 0)
        {
            return;
        }
        // Every slot of a plain ply holds the same cover (each shorter prefix filled all of them alike).
        store(off, owner, base, leaves[child], lengths[child]);
        livePlies--;
        if (parkedCount == parked.length)
        {
            parked = Arrays.copyOf(parked, parked.length * 2);
        }
        parked[parkedCount++] = ply;
    }

    /** The one place leaves change: keeps the owner ply's count of specific slots, then release-stores. */
    private void store(final int off, final int owner, final int base, final int leaf, final int length)
    {
        if (owner >= 0)
        {
            final int before = isSpecific(leaves[off], lengths[off], base);
            final int after = isSpecific(leaf, length, base);
            specific[plyIndex(owner)] += after - before;
        }
        lengths[off] = (byte)length;
        LEAF.setRelease(leaves, off, leaf);
    }

    private static int isSpecific(final int leaf, final int length, final int base)
    {
        return leaf < 0 || length > base ? 1 : 0;
    }

    private int allocatePly()
    {
        final int ply;
        if (freeCount > 0)
        {
            ply = free[--freeCount];
        }
        else
        {
            if (highWater == capacity)
            {
                grow();
            }
            ply = highWater++;
        }
        return ROOT_SLOTS + ply * PLY_SLOTS;
    }

    private void grow()
    {
        if (capacity >= MAX_CAPACITY)
        {
            throw new IllegalStateException("ip4 mtrie: ply pool full at " + capacity + " plies");
        }
        final int newCapacity = (int)Math.min((long)capacity * 2, MAX_CAPACITY);
        final int size = ROOT_SLOTS + newCapacity * PLY_SLOTS;
        lengths = Arrays.copyOf(lengths, size);
        specific = Arrays.copyOf(specific, newCapacity);
        final int[] grown = Arrays.copyOf(leaves, size);
        capacity = newCapacity;
        // Volatile store: a reader that loads the new array sees the whole copy.
        leaves = grown;
    }

    private static int plyIndex(final int offset)
    {
        return (offset - ROOT_SLOTS) >> 8;
    }

    private static void checkLength(final int length)
    {
        if (length < 0 || length > 32)
        {
            throw new IllegalArgumentException("prefix length " + length + " not in 0..32");
        }
    }

    private static void checkValue(final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("value " + value + " is negative");
        }
    }
}
