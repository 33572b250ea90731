package jvpp.core.testing;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliResult;
import jvpp.core.log.Log;

/** Small in-process instances for tests: few buffers, ordinary pages, quiet log. */
public final class TestJvpp
{
    private TestJvpp()
    {
    }

    public static Jvpp create(final int buffers)
    {
        Log.console(false);
        final Jvpp vpp = Jvpp.create(new Jvpp.Context().buffers(buffers).hugepages(false));
        return vpp;
    }

    public static Jvpp create()
    {
        return create(4096);
    }

    /** Run a command that must succeed; returns its output. */
    public static String ok(final Jvpp vpp, final String line)
    {
        final CliResult r = vpp.execute(line);
        if (!r.ok())
        {
            throw new AssertionError("`" + line + "' failed: " + r.output());
        }
        return r.output();
    }

    /** Run a command that must fail; returns its output (the error). */
    public static String fails(final Jvpp vpp, final String line)
    {
        final CliResult r = vpp.execute(line);
        if (r.ok())
        {
            throw new AssertionError("`" + line + "' should have failed but printed: " + r.output());
        }
        return r.output();
    }

    /** Run the main dispatcher until it does no more work (bounded). */
    public static void drain(final Jvpp vpp)
    {
        for (int i = 0; i < 10_000 && vpp.mainDispatcher().doWork() > 0; i++)
        {
            // keep going
        }
    }
}
