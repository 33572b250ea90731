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
}
