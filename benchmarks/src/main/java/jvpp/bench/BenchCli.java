package jvpp.bench;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliResult;

/** Configure a benchmark's instance with CLI lines: a line that fails stops the benchmark, with its output. */
public final class BenchCli
{
    /** loop0 198.18.0.1/24 (where pg streams arrive) routed to null0 198.19.0.1/24 with neighbor 198.19.0.2. */
    public static final String[] LOOP_ROUTED_TO_NULL = {"create loopback interface",
        "set interface ip address loop0 198.18.0.1/24", "set interface state loop0 up", "create null interface",
        "set interface ip address null0 198.19.0.1/24", "set ip neighbor null0 198.19.0.2 02:fe:00:00:00:99 static",
        "set interface state null0 up"};

    private BenchCli()
    {
    }

    /** Run {@code lines} in order on {@code vpp}; the first that fails throws with its output. */
    public static void exec(final Jvpp vpp, final String... lines)
    {
        for (final String line : lines)
        {
            final CliResult r = vpp.execute(line);
            if (!r.ok())
            {
                throw new IllegalStateException(line + ": " + r.output());
            }
        }
    }
}
