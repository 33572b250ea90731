package jvpp.nodes.ip4.fib;

import org.agrona.collections.Int2IntHashMap;

/** The obvious longest-prefix match the mtrie is checked against: one hash table per length, probed from /32 down. */
final class ReferenceLpm
{
    private final Int2IntHashMap[] byLength = new Int2IntHashMap[33];
    private final int defaultValue;

    ReferenceLpm(final int defaultValue)
    {
        this.defaultValue = defaultValue;
        for (int i = 0; i <= 32; i++)
        {
            byLength[i] = new Int2IntHashMap(-1);
        }
    }

    static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    boolean put(final int prefix, final int length, final int value)
    {
        return byLength[length].put(prefix & mask(length), value) == -1;
    }

    boolean remove(final int prefix, final int length)
    {
        return byLength[length].remove(prefix & mask(length)) != -1;
    }

    int lookup(final int address)
    {
        final int l = matchLength(address);
        return l < 0 ? defaultValue : byLength[l].get(address & mask(l));
    }

    int matchLength(final int address)
    {
        for (int l = 32; l >= 0; l--)
        {
            if (!byLength[l].isEmpty() && byLength[l].containsKey(address & mask(l)))
            {
                return l;
            }
        }
        return -1;
    }
}
