package jvpp.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Host commands for tests (ip, ping, sysctl...): run one, bounded in time, and get its status and output. */
public final class Commands
{
    private Commands()
    {
    }

    /** Exit status (-1: did not finish or could not start) and stdout and stderr merged. */
    public record Result(int status, String output)
    {
    }

    /** Run {@code command}, killing it after {@code timeoutSeconds}. */
    public static Result run(final long timeoutSeconds, final String... command)
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, ex.toString());
        }
    }
}
