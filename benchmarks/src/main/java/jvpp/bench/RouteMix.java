package jvpp.bench;

import java.util.SplittableRandom;

import org.agrona.collections.IntHashSet;
import org.agrona.collections.LongHashSet;

/**
 * A reproducible, BGP-like IPv4 route set for benchmarks: {@code generate(n, seed)} gives {@code n} distinct
 * prefixes whose length mix follows the public Internet table (shares per 100 000 routes):
 * <pre>
 *   /8 2   /9 10   /10 25   /11 60   /12 120   /13 250   /14 450   /15 800
 *   /16 1400   /17 900   /18 1300   /19 2500   /20 4000   /21 4500   /22 12500   /23 10500
 *   /24 60073
 *   /25 150   /26 120   /27 80   /28 60   /29 50   /30 40   /31 10   /32 100
 * </pre>
 * i.e. ~60 % /24, ~38 % /16–/23, ~1.7 % shorter than /16 and ~0.6 % longer than /24. Addresses are drawn
 * uniformly from unicast space, first octet 1–223 except 127 (no 0.0.0.0/8, 127/8 or 224/3), with no
 * clustering: every /16 tends to hold a few prefixes, which is the worst case for an mtrie's ply count and so
 * a conservative one for memory. There is no default route; add one if the scenario wants it. The same
 * {@code (n, seed)} gives the same prefixes in the same order on every run and JVM.
 *
 * <p>{@link #destinations(int)} gives distinct addresses, each inside some generated prefix (its longest match
 * may be a more specific one), drawn from prefixes chosen at random so that they spread over the whole table.
 *
 * <p>Thread: any; an instance is immutable once generated, apart from the random state
 * {@link #destinations} uses, so give each thread its own.
 */
public final class RouteMix
{
    /** The seed the scenarios use. */
    public static final long DEFAULT_SEED = 0x1f1b_2024L;

    private static final int[] WEIGHTS = {
        // /0../7
        0, 0, 0, 0, 0, 0, 0, 0,
        // /8../15
        2, 10, 25, 60, 120, 250, 450, 800,
        // /16../23
        1400, 900, 1300, 2500, 4000, 4500, 12500, 10500,
        // /24
        60073,
        // /25../32
        150, 120, 80, 60, 50, 40, 10, 100,
    };
    private static final int TOTAL_WEIGHT = 100_000;

    private final int[] prefixes;
    private final byte[] lengths;
    private final SplittableRandom random;

    private RouteMix(final int[] prefixes, final byte[] lengths, final SplittableRandom random)
    {
        this.prefixes = prefixes;
        this.lengths = lengths;
        this.random = random;
    }

    /** {@code count} distinct prefixes from {@code seed}; see the class comment for the mix. */
    public static RouteMix generate(final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] cumulative = new int[WEIGHTS.length];
        int sum = 0;
        for (int l = 0; l < WEIGHTS.length; l++)
        {
            sum += WEIGHTS[l];
            cumulative[l] = sum;
        }
        if (sum != TOTAL_WEIGHT)
        {
            throw new IllegalStateException("weights add up to " + sum);
        }
        final int[] prefixes = new int[count];
        final byte[] lengths = new byte[count];
        final LongHashSet seen = new LongHashSet(count * 2);
        int n = 0;
        while (n < count)
        {
            final int r = random.nextInt(TOTAL_WEIGHT);
            int length = 0;
            while (cumulative[length] <= r)
            {
                length++;
            }
            int firstOctet = 1 + random.nextInt(222);
            if (firstOctet >= 127)
            {
                firstOctet++;
            }
            final int prefix = ((firstOctet << 24) | (random.nextInt() & 0xff_ffff)) & mask(length);
            if (seen.add(key(prefix, length)))
            {
                prefixes[n] = prefix;
                lengths[n] = (byte)length;
                n++;
            }
        }
        return new RouteMix(prefixes, lengths, random);
    }

    public int size()
    {
        return prefixes.length;
    }

    /** The {@code i}th prefix, first octet in the most significant byte, host bits zero. */
    public int prefix(final int i)
    {
        return prefixes[i];
    }

    public int length(final int i)
    {
        return lengths[i];
    }

    /** How many distinct addresses the prefixes cover at most (counting overlaps twice). */
    public long addressCount()
    {
        long total = 0;
        for (final byte l : lengths)
        {
            total += 1L << (32 - l);
        }
        return total;
    }

    /**
     * {@code count} distinct addresses in random order, each inside a generated prefix picked at random.
     *
     * @throws IllegalArgumentException when the prefixes cannot hold {@code count} distinct addresses.
     */
    public int[] destinations(final int count)
    {
        if (count > addressCount())
        {
            throw new IllegalArgumentException(count + " destinations in " + addressCount() + " addresses");
        }
        final int[] out = new int[count];
        final IntHashSet seen = new IntHashSet(count * 2);
        int n = 0;
        while (n < count)
        {
            final int k = random.nextInt(prefixes.length);
            final int address = prefixes[k] | (random.nextInt() & ~mask(lengths[k]));
            if (seen.add(address))
            {
                out[n++] = address;
            }
        }
        return out;
    }

    /** The netmask of a prefix length: {@code mask(24) == 0xffffff00}. */
    public static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    private static long key(final int prefix, final int length)
    {
        return ((prefix & 0xffff_ffffL) << 6) | length;
    }
}
