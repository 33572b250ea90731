package jvpp.core.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.log.Log;
import jvpp.core.sys.LibC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A thread's epoll waiter, and the threads that sleep in it: no root needed (eventfds stand in for queues). */
class WaiterTest
{
    private final Waiter waiter = new Waiter();
    private final int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
    private final Memory one = new Memory(8);

    @AfterEach
    void close()
    {
        waiter.close();
        LibC.close(fd);
        one.close();
    }

    private void signal()
    {
        one.setLong(0, 1);
        LibC.write(fd, Pointer.nativeValue(one), 8);
    }

    @Test
    void shouldMarkASlotReadyOncePerArrivalAndOnATimeoutSweep()
    {
        final Waiter.Slot slot = new Waiter.Slot(fd);
        waiter.register(slot);
        assertTrue(slot.ready, "registering marks ready: the queue may hold frames already");
        slot.ready = false;
        assertEquals(0, waiter.poll());
        assertFalse(slot.ready);
        signal();
        assertEquals(1, waiter.poll());
        assertTrue(slot.ready);
        slot.ready = false;
        assertEquals(0, waiter.poll(), "edge-triggered: the same unread data is reported once");
        assertEquals(0, waiter.await(TimeUnit.MILLISECONDS.toNanos(5)));
        assertTrue(slot.ready, "a wait that times out sweeps every slot");
        slot.ready = false;
        Waiter.unregister(slot);
        assertFalse(slot.registeredWith(waiter));
        signal();
        assertEquals(0, waiter.poll(), "unregistered");
        assertFalse(slot.ready);
    }

    @Test
    void shouldReturnFromAwaitWhenAnotherThreadWakesIt() throws Exception
    {
        waiter.poll();
        final CompletableFuture<Integer> woke = CompletableFuture.supplyAsync(() -> {
            waiter.sleeping(true);
            try
            {
                return waiter.await(Waiter.SLEEP_MAX_NANOS);
            }
            finally
            {
                waiter.sleeping(false);
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!woke.isDone() && System.nanoTime() < deadline)
        {
            waiter.wakeIfSleeping();
            Thread.sleep(1);
        }
        assertEquals(1, woke.get(5, TimeUnit.SECONDS), "one event: the eventfd");
        assertEquals(1, waiter.wakeups());
    }

    /**
     * A worker with nothing to poll sleeps in its waiter; a barrier hold wakes it through its eventfd rather than
     * waiting for its sleep to time out (checked by the waiter's wake-up count, not by a clock).
     */
    @Test
    void shouldLetAnIdleWorkerSleepAndWakeItForTheBarrier() throws Exception
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create(new Jvpp.Context().buffers(256).hugepages(false).workers(new int[] {-1})))
        {
            vpp.startWorkers();
            final Dispatcher worker = vpp.dispatchers().get(1);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (worker.waiter().sleeps() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertTrue(worker.waiter().sleeps() > 0, "a worker with no queues sleeps");
            for (int i = 0; i < 50 && worker.waiter().wakeups() == 0; i++)
            {
                vpp.execute("show version");
            }
            assertTrue(worker.waiter().wakeups() > 0, "the barrier wakes a sleeping worker");
            assertTrue(vpp.barrier().holds() > 0);
        }
    }
}
