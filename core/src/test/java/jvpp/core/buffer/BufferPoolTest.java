package jvpp.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferPoolTest
{
    private final BufferArena arena = BufferArena.allocate(1000, 2048, false);
    private final BufferPool pool = new BufferPool("test", 0, 0, arena);

    @AfterEach
    void close()
    {
        arena.close();
    }

    @Test
    void shouldLayOutSlotsWithReserveAndHeadroomWhenAllocated()
    {
        assertEquals(2368, arena.stride());
        assertEquals(0, arena.stride() % 64);
        assertEquals(5 * 2368 + BufferArena.PRE_DATA_SIZE + BufferArena.HEADROOM, arena.dataOffset(5));
        assertTrue(arena.mappedLength() >= 1000L * 2368);
    }

    @Test
    void shouldAccountEveryBufferWhenAllocatingAndFreeingThroughCaches()
    {
        final BufferCache a = pool.newCache("a");
        final BufferCache b = pool.newCache("b");
        final int[] got = new int[600];
        assertEquals(600, a.alloc(got, 0, 600));
        final Set<Integer> unique = new HashSet<>();
        for (final int bi : got)
        {
            assertTrue(unique.add(bi), "buffer handed out twice: " + bi);
            assertEquals(arena.dataOffset(bi), pool.start[bi]);
        }
        assertEquals(600, pool.used());
        b.free(got, 0, 600); // freed by another thread's cache: ownership moved
        assertEquals(0, pool.used());
        assertEquals(1000, pool.free() + pool.cached());
        a.close();
        b.close();
        assertEquals(1000, pool.free());
    }

    @Test
    void shouldReturnFewerWhenPoolIsExhausted()
    {
        final BufferCache c = pool.newCache("c");
        final int[] got = new int[1200];
        assertEquals(1000, c.alloc(got, 0, 1200));
        assertEquals(-1, c.alloc());
        c.free(got, 0, 1000);
        assertEquals(0, pool.used());
    }

    @Test
    void shouldThrowOnDoubleFreeWhenDebugIsOn()
    {
        assertTrue(BufferPool.DEBUG, "tests run with -Djvpp.buffer.debug=true");
        final BufferCache c = pool.newCache("c");
        final int bi = c.alloc();
        c.free(bi);
        assertThrows(IllegalStateException.class, () -> c.free(bi));
    }
}
