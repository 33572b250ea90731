package jvpp.nodes.ip4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The reassembly context table against a HashMap: random creates and releases in a small table, so that keys
 * collide, probe past the end of the buckets and are moved back when an entry before them goes; the per-source and
 * total limits; a grown table that keeps every context in its slot.
 */
class Ip4ReassemblyTableTest
{
    private static final int SLOTS = 64;

    private record Key(int src, int dst, int idProto)
    {
    }

    private static void assertSame(final Ip4ReassemblyTable t, final Map<Key, Integer> reference)
    {
        assertEquals(reference.size(), t.active());
        for (final Map.Entry<Key, Integer> e : reference.entrySet())
        {
            final Key k = e.getKey();
            assertEquals(e.getValue(), t.find(k.src(), k.dst(), k.idProto()), "slot of " + k);
        }
    }

    @Test
    void shouldFindEveryContextItHoldsAndNoneItReleasedThroughRandomChurn()
    {
        final Random r = new Random(13);
        final Ip4ReassemblyTable t = new Ip4ReassemblyTable(SLOTS);
        final Map<Key, Integer> reference = new HashMap<>();
        final List<Key> live = new ArrayList<>();
        for (int step = 0; step < 200_000; step++)
        {
            if (!live.isEmpty() && (live.size() == SLOTS || r.nextInt(3) == 0))
            {
                final Key k = live.remove(r.nextInt(live.size()));
                final int slot = reference.remove(k);
                t.release(slot);
                assertEquals(Ip4ReassemblyTable.NONE, t.find(k.src(), k.dst(), k.idProto()), "released " + k);
            }
            else
            {
                // Few distinct values, so that keys share fields and buckets.
                final Key k = new Key(r.nextInt(8), r.nextInt(4), r.nextInt(16));
                if (reference.containsKey(k))
                {
                    continue;
                }
                final int slot = t.create(k.src(), k.dst(), k.idProto(), step, SLOTS, SLOTS);
                assertTrue(slot >= 0, "a slot while " + live.size() + " are in use");
                t.first[slot] = 1;
                reference.put(k, slot);
                live.add(k);
            }
            if (step % 997 == 0)
            {
                assertSame(t, reference);
            }
        }
        assertSame(t, reference);
    }

    @Test
    void shouldRefuseBeyondTheLimitsAndGrowKeepingEverySlot()
    {
        final Ip4ReassemblyTable t = new Ip4ReassemblyTable(4);
        for (int id = 0; id < 2; id++)
        {
            t.first[t.create(1, 9, id, 0, 3, 2)] = 1;
        }
        assertEquals(Ip4ReassemblyTable.SOURCE_FULL, t.create(1, 9, 7, 0, 3, 2));
        t.first[t.create(2, 9, 0, 0, 3, 2)] = 1;
        assertEquals(Ip4ReassemblyTable.FULL, t.create(3, 9, 0, 0, 3, 2), "max-reassemblies 3");
        final int slot = t.find(2, 9, 0);
        final Ip4ReassemblyTable g = t.grown(16);
        assertEquals(16, g.capacity);
        assertEquals(3, g.active());
        assertEquals(slot, g.find(2, 9, 0));
        assertEquals(Ip4ReassemblyTable.SOURCE_FULL, g.create(1, 9, 7, 0, 16, 2), "the source's count came along");
        for (int id = 0; id < 13; id++)
        {
            assertTrue(g.create(5, 9, id, 0, 16, 16) >= 0);
        }
        assertEquals(Ip4ReassemblyTable.FULL, g.create(6, 9, 0, 0, 16, 16), "every slot in use");
    }
}
