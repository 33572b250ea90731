package jvpp.bench;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.log.Log;

/**
 * {@code l2-bridge}: 64-byte frames from the packet generator received on loop0, a member of bridge domain 1,
 * switched to null0 (another member) by a learned-as-static MAC: ethernet-input → l2-input → l2-learn → l2-fwd →
 * l2-output → interface-output → null0-tx, one thread. One flow: one source MAC (refreshed once per burst by
 * l2-learn) and one destination (looked up once per burst by l2-fwd's cached key). Anchor (own JVM, same run):
 * pg-null.
 *
 * <p>{@code l2-bridge-1k}: the same with 1024 source and 1024 destination MACs stepping per packet (1024 static
 * entries towards null0), so every packet costs l2-learn and l2-fwd a table lookup each. Anchor: l2-bridge.
 */
final class L2BridgeScenario
{
    private L2BridgeScenario()
    {
    }

    static Measure measure(final BenchOptions o)
    {
        return measure(o, 1);
    }

    static Measure measure1k(final BenchOptions o)
    {
        return measure(o, 1024);
    }

    private static Measure measure(final BenchOptions o, final int macs)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create())
        {
            final List<String> lines = new java.util.ArrayList<>(List.of("create loopback interface",
                "create null interface", "set interface l2 bridge loop0 1", "set interface l2 bridge null0 1",
                "set interface state loop0 up", "set interface state null0 up"));
            for (int i = 0; i < macs; i++)
            {
                lines.add("l2fib add " + jvpp.core.net.MacAddress.format(0x0200_0001_0000L + i) + " 1 null0 static");
            }
            final String src = macs == 1 ? "02:00:00:00:01:01"
                : "02:00:00:02:00:00 - " + jvpp.core.net.MacAddress.format(0x0200_0002_0000L + macs - 1);
            final String dst = macs == 1 ? "02:00:00:01:00:00"
                : "02:00:00:01:00:00 - " + jvpp.core.net.MacAddress.format(0x0200_0001_0000L + macs - 1);
            lines.add("packet-generator new { name s0 limit 0 size 64-64 interface loop0 node ethernet-input data { "
                + "IP4: " + src + " -> " + dst + " UDP: 198.18.0.1 -> 198.19.0.1 UDP: 1234 -> 2345 incrementing 22 } }");
            lines.add("packet-generator enable-stream s0");
            BenchCli.exec(vpp, lines.toArray(new String[0]));
            final Measure m = Measure.pgOnMain(vpp, o);
            System.out.printf("INFO null0 discarded what bridge domain 1 switched to it; %s%n",
                vpp.execute("show l2fib").output().trim());
            return m;
        }
    }
}
