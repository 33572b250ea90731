package jvpp.bench;

import jvpp.core.Jvpp;
import jvpp.core.log.Log;

/**
 * {@code ip4-frag}: 1400-byte IPv4/UDP frames from the packet generator on loop0 routed to null0, whose IPv4 MTU
 * is 576, so ip4-frag cuts each into three fragments (552 + 552 + 262 bytes of data) in buffers from the thread's
 * cache. Its anchor ({@code ip4-forward-1400}, run by {@link BenchMain} in its own JVM in the same run) is the same
 * stream routed whole (null0 at its default MTU): the ratio is what fragmenting costs per packet. One thread.
 */
final class Ip4FragScenario
{
    private static final int SIZE = 1400;

    private Ip4FragScenario()
    {
    }

    static Measure fragmented(final BenchOptions o)
    {
        return measure(o, true);
    }

    static Measure whole(final BenchOptions o)
    {
        return measure(o, false);
    }

    private static Measure measure(final BenchOptions o, final boolean fragment)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create())
        {
            BenchCli.exec(vpp, BenchCli.LOOP_ROUTED_TO_NULL);
            BenchCli.exec(vpp, "ip route add 203.0.113.0/24 via 198.19.0.2 null0",
                "packet-generator new { name s0 limit 0 size " + SIZE + "-" + SIZE + " interface loop0 node ethernet-input "
                    + "data { IP4: 02:00:00:00:00:01 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> 203.0.113.1 - 203.0.113.200 "
                    + "UDP: 1234 -> 2345 incrementing " + (SIZE - 42) + " } }");
            if (fragment)
            {
                BenchCli.exec(vpp, "set interface mtu ip4 576 null0");
            }
            BenchCli.exec(vpp, "packet-generator enable-stream s0");
            final Measure m = Measure.pgOnMain(vpp, o);
            BenchCli.exec(vpp, "packet-generator disable-stream");
            System.out.print(vpp.execute("show errors").output());
            return m;
        }
    }
}
