package jvpp.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SubprocessTest
{
    private static final int BIG = 200_000;

    @Test
    void shouldReadOutputLargerThanAPipeWhileTheCommandRuns()
    {
        // Over 64 KiB on each stream: a helper that waited before reading, or read one stream only, would stall
        // here until the timeout.
        final long t0 = System.nanoTime();
        final Commands.Result r = Commands.run(30, "sh", "-c",
            "head -c " + BIG + " /dev/zero | tr '\\0' x; head -c " + BIG + " /dev/zero | tr '\\0' y >&2");
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, r.status(), r.stderr().substring(Math.max(0, r.stderr().length() - 200)));
        assertFalse(r.timedOut());
        assertTrue(ms < 10_000, "took " + ms + " ms");
        assertEquals("x".repeat(BIG), r.stdout(), "stdout whole");
        assertEquals("y".repeat(BIG), r.stderr(), "stderr whole");
    }

    @Test
    void shouldKillTheCommandWhenItsTimeoutRunsOut() throws Exception
    {
        final long t0 = System.nanoTime();
        final Commands.Result r;
        final long pid;
        try (Subprocess p = Subprocess.start("sleep", "30"))
        {
            pid = p.pid();
            r = p.await(Duration.ofSeconds(1));
            assertFalse(p.isAlive(), "killed before await returned");
        }
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 2_000, "returned after " + ms + " ms");
        assertTrue(r.timedOut());
        assertEquals(-1, r.status());
        assertTrue(r.stderr().contains("timed out after 1000 ms: sleep 30"), r.stderr());
        assertTrue(gone(pid), "sleep (pid " + pid + ") is gone");
    }

    @Test
    void shouldReturnByTheTimeoutWhenRunAsACommand()
    {
        final long t0 = System.nanoTime();
        final Commands.Result r = Commands.run(1, "sleep", "30");
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 2_000, "returned after " + ms + " ms");
        assertTrue(r.timedOut());
        assertEquals(-1, r.status());
    }

    @Test
    void shouldKillWhatTheCommandStartedWhenItTimesOut() throws Exception
    {
        final long childPid;
        try (Subprocess p = Subprocess.start("sh", "-c", "sleep 30 & echo $!; wait"))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!p.stdout().endsWith("\n") && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            childPid = Long.parseLong(p.stdout().trim());
            final Commands.Result r = p.await(Duration.ofSeconds(1));
            assertTrue(r.timedOut());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!gone(childPid) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(gone(childPid), "the shell's sleep (pid " + childPid + ") is gone too");
    }

    @Test
    void shouldGiveTheExitStatusAndEachStream()
    {
        final Commands.Result r = Commands.run(10, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.status());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertEquals("out\nerr\n", r.output());
        assertFalse(r.timedOut());
    }

    @Test
    void shouldSayWhenTheCommandCannotStart()
    {
        final Commands.Result r = Commands.run(10, "/nonexistent/jvpp-test-command");
        assertEquals(-1, r.status());
        assertTrue(r.output().contains("cannot start /nonexistent/jvpp-test-command"), r.output());
    }

    /** No such process, or a zombie its new parent has not reaped yet (it runs no more). */
    private static boolean gone(final long pid) throws IOException
    {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        {
            return true;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        }
        catch (final NoSuchFileException ex)
        {
            return true;
        }
    }
}
