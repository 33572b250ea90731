package jvpp.core.testing;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Host commands for tests (ip, ping, sysctl...): run one to its end, bounded in time, and get its status and
 * output. A {@link Subprocess} underneath, so output of any size is read while the command runs and the
 * timeout always fires. Any thread may call it.
 */
public final class Commands
{
    private Commands()
    {
    }

    /**
     * Exit status (-1: did not finish in time or could not start), what it printed on each stream, and whether
     * it was killed for its timeout (then {@code stderr} ends with a line saying so).
     */
    public record Result(int status, String stdout, String stderr, boolean timedOut)
    {
        /** stdout followed by stderr: for assertions on what it said and for failure messages. */
        public String output()
        {
            return stdout + stderr;
        }
    }

    /** Run {@code command}, killing it (and what it started) after {@code timeoutSeconds}. */
    public static Result run(final long timeoutSeconds, final String... command)
    {
        try (Subprocess p = Subprocess.start(command))
        {
            return p.await(Duration.ofSeconds(timeoutSeconds));
        }
        catch (final UncheckedIOException ex)
        {
            return new Result(-1, "", ex.getMessage() + ": " + ex.getCause() + "\n", false);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, "", ex + "\n", false);
        }
    }
}
