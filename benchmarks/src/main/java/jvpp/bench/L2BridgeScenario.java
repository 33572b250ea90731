package jvpp.bench;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliResult;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Node;
import jvpp.core.log.Log;

/**
 * {@code l2-bridge}: 64-byte frames from the packet generator received on loop0, a member of bridge domain 1,
 * switched to null0 (another member) by a learned-as-static MAC: ethernet-input → l2-input → l2-learn → l2-fwd →
 * l2-output → interface-output → null0-tx, one thread. One source MAC, which l2-learn refreshes on every
 * packet (the packet generator cannot vary MACs). Anchor (own JVM, same run): pg-null.
 */
final class L2BridgeScenario
{
    private L2BridgeScenario()
    {
    }

    static Measure measure(final BenchOptions o)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create(new Jvpp.Config().buffers(16384)))
        {
            for (final String line : List.of("create loopback interface", "create null interface",
                "set interface l2 bridge loop0 1", "set interface l2 bridge null0 1", "set interface state loop0 up",
                "set interface state null0 up", "l2fib add 02:00:00:00:00:99 1 null0 static",
                "packet-generator new { name s0 limit 0 size 64-64 interface loop0 node ethernet-input data { "
                    + "IP4: 02:00:00:00:01:01 -> 02:00:00:00:00:99 UDP: 198.18.0.1 -> 198.19.0.1 UDP: 1234 -> 2345 "
                    + "incrementing 22 } }",
                "packet-generator enable-stream s0"))
            {
                final CliResult r = vpp.execute(line);
                if (!r.ok())
                {
                    throw new IllegalStateException(line + ": " + r.output());
                }
            }
            final Dispatcher d = vpp.mainDispatcher();
            final Node pg = d.node("pg-input");
            final Measure m = Measure.run(d::doWork, pg::vectors, o.warmup, o.packets);
            if (o.runtime)
            {
                vpp.execute("clear runtime");
                Measure.run(d::doWork, pg::vectors, 0, o.packets / 4);
                System.out.print(vpp.execute("show runtime").output());
            }
            System.out.printf("INFO null0 discarded what bridge domain 1 switched to it; %s%n",
                vpp.execute("show l2fib").output().trim());
            return m;
        }
    }
}
