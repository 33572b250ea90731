package jvpp.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.log.Log;
import jvpp.core.net.Ip4;
import jvpp.core.thread.CpuTopology;
import jvpp.nodes.ip4.Adjacencies;
import jvpp.nodes.ip4.Ip4Main;
import jvpp.nodes.ip4.Path;
import jvpp.nodes.pg.PacketGenerator;
import jvpp.nodes.pg.PgStream;

/**
 * {@code ip4-forward-10} and {@code ip4-forward-1m}: 64-byte IPv4/UDP frames from the packet generator on
 * loop0 through ethernet-input → ip4-input → ip4-lookup → ip4-rewrite → interface-output → null0-tx, one
 * thread. The FIB holds 10 routes, or 1 M routes of a BGP-like length mix ({@link RouteMix}); destinations
 * cycle through 65 536 addresses spread over the routes. Its anchor (run by {@link BenchMain} in its own JVM
 * in the same run) is {@code pg-null}: the same generator straight into null0 with no routing.
 */
final class Ip4ForwardScenario
{
    private static final int DESTINATIONS = 65_536;

    private Ip4ForwardScenario()
    {
    }

    static Measure measure10(final BenchOptions o)
    {
        return measure(o, 10, false);
    }

    /**
     * ip4-forward-10 with {@code pcap trace tx} on every interface, 64 bytes a packet, into /dev/null: what the copy
     * into the capture ring and the writer thread cost per packet (the writer shares the machine with the loop).
     */
    static Measure measure10Pcap(final BenchOptions o)
    {
        return measure(o, 10, true);
    }

    static Measure measure1m(final BenchOptions o)
    {
        return measure(o, 1_000_000, false);
    }

    private static Measure measure(final BenchOptions o, final int routes, final boolean pcap)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create())
        {
            BenchCli.exec(vpp, BenchCli.LOOP_ROUTED_TO_NULL);
            final Ip4Main ip4 = vpp.service(Ip4Main.class);
            final int null0 = vpp.interfaces().get("null0").swIfIndex();
            final List<Path> via = List.of(new Path(Path.Kind.ATTACHED_NEXTHOP, null0, Ip4.parse("198.19.0.2")));
            final int[] dsts;
            if (routes == 10)
            {
                for (int i = 0; i < 10; i++)
                {
                    ip4.addRoute(Ip4Main.SOURCE_CLI, Ip4.parse("10." + i + ".0.0"), 16, via);
                }
                dsts = new int[DESTINATIONS];
                final java.util.Random r = new java.util.Random(RouteMix.DEFAULT_SEED);
                for (int i = 0; i < dsts.length; i++)
                {
                    dsts[i] = Ip4.parse("10." + r.nextInt(10) + ".0.0") | r.nextInt(1 << 16);
                }
            }
            else
            {
                final RouteMix mix = RouteMix.generate(routes, RouteMix.DEFAULT_SEED);
                gc();
                final long heap0 = heapUsed();
                final long t0 = System.nanoTime();
                for (int i = 0; i < mix.size(); i++)
                {
                    ip4.addRoute(Ip4Main.SOURCE_CLI, mix.prefix(i), mix.length(i), via);
                }
                final double seconds = (System.nanoTime() - t0) / 1e9;
                gc();
                System.out.printf("RESULT route-load-1m seconds=%.3f heap_mb=%.1f routes=%d (through Ip4Main: path-set "
                    + "interning, per-source tables, FIB tables and trie)%n", seconds, (heapUsed() - heap0) / 1048576.0,
                    ip4.fib().size());
                dsts = routable(ip4, mix.destinations(DESTINATIONS));
            }
            BenchCli.exec(vpp, "packet-generator new { name s0 limit 0 size 64-64 interface loop0 node ethernet-input data { "
                + "IP4: 02:00:00:00:00:01 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> 10.0.0.1 UDP: 1234 -> 2345 "
                + "incrementing 22 } }");
            final PacketGenerator pg = vpp.service(PacketGenerator.class);
            final PgStream stream = pg.stream("s0").withDestinations(dsts);
            pg.add(stream);
            if (pcap)
            {
                BenchCli.exec(vpp, "pcap trace tx max " + jvpp.core.pcap.PcapCapture.MAX_PACKETS_LIMIT
                    + " intfc any max-bytes-per-pkt 64 file /dev/null");
            }
            BenchCli.exec(vpp, "packet-generator enable-stream s0");
            final Dispatcher d = vpp.mainDispatcher();
            final Measure m = Measure.pgOnMain(vpp, o);
            if (pcap)
            {
                final jvpp.core.pcap.PcapCapture c = vpp.graph().pcap();
                System.out.printf("INFO pcap: %d captured, %d skipped (ring full)%n", c.captured(), c.skipped());
                BenchCli.exec(vpp, "pcap trace off");
            }
            if (o.runtime)
            {
                System.out.print(vpp.execute("show errors").output());
            }
            BenchCli.exec(vpp, "packet-generator disable-stream");
            final long sent = d.interfaceCounters().get(null0, InterfaceCounters.TX_PACKETS);
            System.out.printf("INFO %d routes, %d destinations, %d of %d generated packets left through null0, "
                + "buffers in %s, cpu %.2f GHz (TSC)%n", ip4.fib().size(), dsts.length, sent, stream.sent(),
                vpp.arena().hugepages() ? "2M hugepages" : "ordinary pages", CpuTopology.cpuGhz());
            return m;
        }
    }

    /** Keep only destinations that route out of null0 (a generated prefix may cover our own subnets). */
    private static int[] routable(final Ip4Main ip4, final int[] candidates)
    {
        final int[] out = new int[candidates.length];
        int n = 0;
        for (final int a : candidates)
        {
            final int adj = ip4.loadBalances().first[ip4.fib().lookup(a)];
            if (ip4.adjacencies().type[adj] == Adjacencies.REWRITE)
            {
                out[n++] = a;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static void gc()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
    }

    private static long heapUsed()
    {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
