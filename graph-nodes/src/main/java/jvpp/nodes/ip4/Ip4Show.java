package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliOutput;
import jvpp.core.iface.Interface;
import jvpp.core.net.Ip4;
import jvpp.core.net.MacAddress;
import jvpp.nodes.ip4.fib.Ip4Fib;

/** {@code show ip fib} and {@code show ip neighbors}, formatted after vppctl's. Thread: main. */
final class Ip4Show
{
    private Ip4Show()
    {
    }

    static void fib(final CliOutput out, final Jvpp vpp, final Ip4Main ip4, final boolean summary, final int[] which)
    {
        final Ip4Fib fib = ip4.fib();
        if (summary)
        {
            final int[] perLength = new int[33];
            fib.forEach((prefix, length, lb) -> perLength[length]++);
            out.println("ipv4-VRF:0, fib_index:0, flow hash:[src dst sport dport proto ]");
            out.printf("    Prefix length         Count%n");
            for (int l = 32; l >= 0; l--)
            {
                if (perLength[l] > 0)
                {
                    out.printf("%16d%14d%n", l, perLength[l]);
                }
            }
            out.printf("  %d prefixes, %d trie plies, %d KiB%n", fib.size(), fib.mtrie().plies(),
                fib.mtrie().memoryBytes() / 1024);
            return;
        }
        out.println("ipv4-VRF:0, fib_index:0, flow hash:[src dst sport dport proto ]");
        if (which != null)
        {
            final int prefix;
            final int length;
            if (which[1] < 0)
            {
                final long m = fib.longestMatch(which[0]);
                if (m < 0)
                {
                    return;
                }
                prefix = Ip4Fib.matchPrefix(m);
                length = Ip4Fib.matchLength(m);
            }
            else
            {
                prefix = which[0] & Ip4Main.mask(which[1]);
                length = which[1];
            }
            final int lb = fib.get(prefix, length);
            if (lb >= 0)
            {
                entry(out, vpp, ip4, prefix, length, lb);
            }
            return;
        }
        fib.forEach((prefix, length, lb) -> entry(out, vpp, ip4, prefix, length, lb));
    }

    private static void entry(final CliOutput out, final Jvpp vpp, final Ip4Main ip4, final int prefix, final int length,
        final int lb)
    {
        out.println(Ip4.format(prefix) + "/" + length);
        final int source = ip4.bestSource(prefix, length);
        if (source >= 0)
        {
            for (final Path p : ip4.route(source, prefix, length).paths())
            {
                out.println("  path: " + p.describe(vpp.interfaces()) + " (source " + Ip4Main.sourceName(source) + ")");
            }
        }
        final LoadBalances lbs = ip4.loadBalances();
        out.println("  unicast-ip4-chain");
        out.println("  [@0]: dpo-load-balance: [proto:ip4 index:" + lb + " buckets:" + lbs.count[lb] + "]");
        final int[] b = lbs.buckets[lb];
        for (int i = 0; i < b.length; i++)
        {
            out.println("    [" + i + "] " + ip4.adjacencies().describe(b[i], vpp.interfaces()));
        }
    }

    static void neighbors(final CliOutput out, final Jvpp vpp, final Ip4Main ip4, final Interface only)
    {
        final List<Ip4Main.Neighbor> all = ip4.neighbors();
        out.printf("%10s%22s%8s%22s  %s%n", "Age", "IP", "Flags", "Ethernet", "Interface");
        final long now = System.nanoTime();
        for (final Ip4Main.Neighbor n : all)
        {
            if (only != null && only.swIfIndex() != n.swIfIndex())
            {
                continue;
            }
            out.printf("%10.4f%22s%8s%22s  %s%n", (now - n.updatedNanos()) / 1e9, Ip4.format(n.address()),
                n.isStatic() ? "S" : "D", MacAddress.format(n.mac()), vpp.interfaces().name(n.swIfIndex()));
        }
    }
}
