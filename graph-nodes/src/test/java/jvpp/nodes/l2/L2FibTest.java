package jvpp.nodes.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bounded MAC table: the limit, and removal that keeps every remaining entry findable. */
class L2FibTest
{
    @Test
    void shouldRefuseInsertWhenTableIsAtItsLimit()
    {
        final L2Fib fib = new L2Fib(8);
        for (int i = 0; i < 8; i++)
        {
            assertTrue(fib.insert(L2Fib.key(0, 0x0200_0000_0000L + i), i, 0, false) >= 0);
        }
        assertEquals(-1, fib.insert(L2Fib.key(0, 0x0200_0000_00ffL), 9, 0, false));
        assertTrue(fib.insert(L2Fib.key(0, 0x0200_0000_0003L), 7, 0, true) >= 0, "an existing key is overwritten");
        assertEquals(8, fib.size());
    }

    @Test
    void shouldFindEveryRemainingEntryWhenOthersAreRemoved()
    {
        final L2Fib fib = new L2Fib(1000);
        for (int i = 0; i < 1000; i++)
        {
            fib.insert(L2Fib.key(i % 3, 0x0200_0000_0000L + i), i, i, false);
        }
        assertEquals(500, fib.removeIf((key, sw, seen, st) -> (sw & 1) == 0));
        for (int i = 0; i < 1000; i++)
        {
            final int slot = fib.find(L2Fib.key(i % 3, 0x0200_0000_0000L + i));
            if ((i & 1) == 0)
            {
                assertEquals(-1, slot);
            }
            else
            {
                assertEquals(i, fib.swIfIndex(slot));
            }
        }
        assertEquals(500, fib.size());
    }
}
