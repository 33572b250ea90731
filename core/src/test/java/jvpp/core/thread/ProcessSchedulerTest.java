package jvpp.core.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProcessSchedulerTest
{
    @Test
    void shouldRunAProcessWhenItsTimerExpiresAndRescheduleIt()
    {
        final ProcessScheduler s = new ProcessScheduler();
        final int[] runs = {0};
        final long period = TimeUnit.MILLISECONDS.toNanos(5);
        final long start = System.nanoTime();
        s.register("test-process", now -> ++runs[0] < 3 ? now + period : ProcessScheduler.SUSPEND, start + period);
        assertEquals(0, s.poll(start));
        final long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (runs[0] < 3 && System.nanoTime() < deadline)
        {
            s.poll(System.nanoTime());
        }
        assertEquals(3, runs[0]);
        final long after = System.nanoTime();
        // Suspended: further polls do not run it.
        while (System.nanoTime() < after + 3 * period)
        {
            s.poll(System.nanoTime());
        }
        assertEquals(3, runs[0]);
        assertEquals(3, s.handles().get(0).calls());
    }

    @Test
    void shouldRunASignalledProcessOnTheNextPollAndWakeMainAndCatchUpAfterASleep() throws Exception
    {
        final ProcessScheduler s = new ProcessScheduler();
        try (Waiter main = new Waiter())
        {
            s.waiter(main);
            main.await(0);   // opened (main's is, once it has slept)
            final int[] runs = {0};
            final long start = System.nanoTime();
            final ProcessScheduler.Handle h = s.register("signalled", now -> {
                runs[0]++;
                return ProcessScheduler.SUSPEND;
            }, start + TimeUnit.SECONDS.toNanos(60));
            assertEquals(start + TimeUnit.SECONDS.toNanos(60), s.nextDeadline());
            assertEquals(0, s.poll(System.nanoTime()));
            final Thread other = new Thread(h::signal);
            other.start();
            other.join();
            assertEquals(1, main.await(Waiter.SLEEP_MAX_NANOS), "the signal woke main's waiter");
            assertEquals(1, s.poll(System.nanoTime()));
            assertEquals(1, runs[0]);
            final long period = TimeUnit.MILLISECONDS.toNanos(2);
            final long t0 = System.nanoTime();
            s.register("periodic", now -> ++runs[0] > 0 ? now + period : 0, t0 + period);
            Thread.sleep(30);
            // Asleep for ~15 wheel ticks: one poll must catch up on all of them and run the process.
            assertEquals(1, s.poll(System.nanoTime()));
            assertEquals(2, runs[0]);
        }
    }
}
