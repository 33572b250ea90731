package jvpp.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Buffer chains: append, walk, total length, trim, freeing a head frees its chain, the debug checks. */
class BufferChainTest
{
    private final BufferArena arena = BufferArena.allocate(64, 2048, false);
    private final BufferPool pool = new BufferPool("test", 0, 0, arena);
    private final BufferCache cache = pool.newCache("t");

    @AfterEach
    void close()
    {
        cache.close();
        arena.close();
    }

    /** A chain of buffers holding {@code lengths} bytes each; returns its head. */
    private int chain(final int... lengths)
    {
        final int head = cache.alloc();
        pool.length[head] = lengths[0];
        int tail = head;
        for (int i = 1; i < lengths.length; i++)
        {
            final int bi = cache.alloc();
            pool.length[bi] = lengths[i];
            pool.append(head, tail, bi);
            tail = bi;
        }
        return head;
    }

    @Test
    void shouldWalkAndMeasureAChainWhenAppended()
    {
        final int head = chain(2048, 2048, 100);
        assertEquals(4196, pool.totalLength(head));
        assertEquals(3, pool.chainCount(head));
        final int second = pool.next(head);
        final int third = pool.next(second);
        assertEquals(100, pool.length[third]);
        assertEquals(-1, pool.next(third));
        assertEquals(3, pool.used());
        cache.free(head);
        assertEquals(0, pool.used(), "freeing the head freed the chain");
    }

    @Test
    void shouldFreeEveryChainWhenFreeingABatchOfHeads()
    {
        final int[] heads = {chain(10), chain(2048, 5), chain(2048, 2048, 2048, 1)};
        assertEquals(7, pool.used());
        cache.free(heads, 0, heads.length);
        assertEquals(0, pool.used());
        assertEquals(pool.total(), pool.free() + pool.cached());
    }

    @Test
    void shouldFreeTheTailAndKeepTheLengthWhenTrimmed()
    {
        final int head = chain(2048, 2048, 2048);
        cache.trim(head, 3000);
        assertEquals(3000, pool.totalLength(head));
        assertEquals(2, pool.chainCount(head));
        assertEquals(2, pool.used());
        cache.trim(head, 60);
        assertEquals(60, pool.totalLength(head));
        assertEquals(1, pool.chainCount(head));
        assertEquals(0, pool.flags[head] & BufferPool.FLAG_NEXT_PRESENT);
        cache.free(head);
        assertEquals(0, pool.used());
    }

    @Test
    void shouldStartEveryAllocatedBufferUnchainedAndWithoutOffload()
    {
        final int head = chain(2048, 2048);
        pool.flags[head] |= BufferPool.FLAG_GSO | BufferPool.FLAG_CSUM_PARTIAL;
        cache.free(head);
        for (int i = 0; i < pool.total(); i++)
        {
            final int bi = cache.alloc();
            assertEquals(0, pool.flags[bi]);
            assertEquals(pool.length[bi], pool.totalLength(bi));
            assertEquals(-1, pool.next(bi));
        }
    }

    @Test
    void shouldThrowWhenFreeingABufferInsideAChain()
    {
        assertTrue(BufferPool.DEBUG, "tests run with -Djvpp.buffer.debug=true");
        final int head = chain(2048, 10);
        final int inner = pool.next(head);
        assertThrows(IllegalStateException.class, () -> cache.free(inner));
        cache.free(head);
        assertThrows(IllegalStateException.class, () -> cache.free(head), "double free of a chain");
    }

    @Test
    void shouldThrowWhenAppendingAFreeOrChainedBuffer()
    {
        final int head = chain(2048, 10);
        final int inner = pool.next(head);
        final int other = chain(5);
        assertThrows(IllegalStateException.class, () -> pool.append(other, other, inner), "already in a chain");
        final int gone = cache.alloc();
        cache.free(gone);
        assertThrows(IllegalStateException.class, () -> pool.append(other, other, gone), "not allocated");
        assertThrows(IllegalStateException.class, () -> pool.append(head, head, other), "not the tail");
        cache.free(head);
        cache.free(other);
        assertEquals(0, pool.used());
    }

    @Test
    void shouldThrowRatherThanSpinWhenAChainLoops()
    {
        final int head = chain(100, 100);
        final int second = pool.next(head);
        pool.nextBuffer[second] = head;
        pool.flags[second] |= BufferPool.FLAG_NEXT_PRESENT;
        assertThrows(IllegalStateException.class, () -> cache.free(head));
    }

    @Test
    void shouldSumAcrossBuffersOfOddLengthAsIfTheBytesWereContiguous()
    {
        final int head = chain(101, 1, 2048, 7);
        final byte[] all = new byte[101 + 1 + 2048 + 7];
        for (int i = 0; i < all.length; i++)
        {
            all[i] = (byte)(i * 31 + 7);
        }
        int k = 0;
        for (int b = head; b >= 0; b = pool.next(b))
        {
            pool.memory().putBytes(pool.start[b], all, k, pool.length[b]);
            k += pool.length[b];
        }
        final org.agrona.concurrent.UnsafeBuffer flat = new org.agrona.concurrent.UnsafeBuffer(all);
        assertEquals(jvpp.core.net.Ip4.onesSum(flat, 3, all.length - 3), pool.onesSum(head, pool.start[head] + 3));
        cache.free(head);
    }

    @Test
    void shouldCopyAWholeChainWithItsOffloadState()
    {
        final int head = chain(2048, 2048, 99);
        pool.flags[head] |= BufferPool.FLAG_GSO;
        pool.gsoSize[head] = 1448;
        for (int b = head, i = 0; b >= 0; b = pool.next(b), i++)
        {
            pool.memory().setMemory(pool.start[b], pool.length[b], (byte)i);
        }
        final int copy = cache.copy(head);
        assertEquals(pool.totalLength(head), pool.totalLength(copy));
        assertEquals(3, pool.chainCount(copy));
        assertEquals(1448, pool.gsoSize[copy]);
        assertEquals(BufferPool.FLAG_GSO | BufferPool.FLAG_NEXT_PRESENT, pool.flags[copy]);
        assertEquals(2, pool.memory().getByte(pool.start[pool.next(pool.next(copy))] + 98));
        assertEquals(6, pool.used());
        cache.free(copy);
        cache.free(head);
        assertEquals(0, pool.used());
    }

    /** Makes five-buffer chains (a 9000-byte frame's worth) and drops them through error-drop. */
    private static final class ChainSource extends Node
    {
        @Override
        public int poll()
        {
            for (int p = 0; p < 64; p++)
            {
                final int head = buffers.alloc();
                bLength[head] = 2048;
                int tail = head;
                for (int i = 0; i < 4; i++)
                {
                    final int bi = buffers.alloc();
                    bLength[bi] = i == 3 ? 808 : 2048;
                    pool.append(head, tail, bi);
                    tail = bi;
                }
                drop(head, 0);
            }
            return 64;
        }
    }

    @Test
    void shouldDropWholeChainsAndAllocateNothingPerPacketThroughErrorDrop()
    {
        final Jvpp vpp = TestJvpp.create(4096);
        try
        {
            vpp.graph().register(NodeRegistration.input("chain-source", List.of("error-drop"), List.of("chained"),
                ChainSource::new));
            vpp.syncThreads();
            final var d = vpp.mainDispatcher();
            final var src = d.node("chain-source");
            while (src.vectors() < 200_000)
            {
                d.doWork();
            }
            final var threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long id = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(id);
            final long target = src.vectors() + 1_000_000;
            while (src.vectors() < target)
            {
                d.doWork();
            }
            final long bytes = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(bytes <= 2048, "bytes allocated over a million chained packets: " + bytes);
            TestJvpp.drain(vpp);
            assertEquals(0, vpp.pool().used(), "every buffer of every chain back");
            assertTrue(d.errorCount(vpp.graph().errorIndex("chain-source", "chained")) >= 1_200_000);
        }
        finally
        {
            vpp.close();
        }
    }
}
