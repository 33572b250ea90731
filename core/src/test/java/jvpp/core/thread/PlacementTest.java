package jvpp.core.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PlacementTest
{
    @Test
    void shouldPlaceQueueIOnWorkerIModNSoAddingQueuesMovesNone()
    {
        final int[] numa = {0, 0, 0};
        assertArrayEquals(new int[] {1, 2, 3, 1}, QueuePlacement.place(4, -1, numa));
        assertArrayEquals(new int[] {1, 2, 3, 1, 2, 3}, QueuePlacement.place(6, -1, numa), "the first four stay where they were");
    }

    @Test
    void shouldPreferWorkersOnTheDevicesNumaNode()
    {
        final int[] numa = {0, 1, 0, 1};
        assertArrayEquals(new int[] {2, 4, 2, 4}, QueuePlacement.place(4, 1, numa), "node 1's workers: 1 and 3 (threads 2 and 4)");
        assertArrayEquals(new int[] {1, 3, 1}, QueuePlacement.place(3, 0, numa));
        assertArrayEquals(new int[] {1, 2, 3, 4}, QueuePlacement.place(4, 5, numa), "no worker on node 5: all of them");
    }

    @Test
    void shouldPlaceOnMainWithoutWorkers()
    {
        assertArrayEquals(new int[] {0, 0}, QueuePlacement.place(2, 0, new int[0]));
    }
}
