package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.graph.Dispatcher;

/**
 * The IPv4 full reassembly commands. {@code set ip reassembly} takes the four parameters of VPP's
 * {@code ip_reassembly_set} API (VPP has no CLI for them), in milliseconds and counts as there, and jvpp's
 * per-source limit; {@code show ip4-full-reassembly [details]} prints VPP's report, each thread's contexts with
 * {@code details}.
 *
 * <p>Thread: main.
 */
final class Ip4ReassemblyCommands
{
    private Ip4ReassemblyCommands()
    {
    }

    static void register(final Jvpp vpp, final Ip4ReassemblyConfig config)
    {
        vpp.cli().register("set ip reassembly", "Set the limits of IPv4 full reassembly (per thread)",
            "set ip reassembly [timeout <msec>] [max-reassemblies <n>] [max-reassembly-length <n>] "
                + "[expire-walk-interval <msec>] [max-reassemblies-per-source <n>]", in -> {
                int timeout = config.timeoutMs();
                int max = config.maxReassemblies();
                int length = config.maxReassemblyLength();
                int walk = config.expireWalkIntervalMs();
                int perSource = config.maxPerSource();
                if (in.atEnd())
                {
                    throw new CliException("expected timeout, max-reassemblies, max-reassembly-length, "
                        + "expire-walk-interval or max-reassemblies-per-source");
                }
                while (!in.atEnd())
                {
                    if (in.accept("timeout"))
                    {
                        timeout = in.nextInt("timeout (ms)", 1, 3_600_000);
                    }
                    else if (in.accept("max-reassemblies"))
                    {
                        max = in.nextInt("max-reassemblies", 0, Ip4ReassemblyConfig.MAX_REASSEMBLIES_LIMIT);
                    }
                    else if (in.accept("max-reassembly-length"))
                    {
                        length = in.nextInt("max-reassembly-length", 1, Ip4ReassemblyConfig.MAX_REASSEMBLY_LENGTH_LIMIT);
                    }
                    else if (in.accept("expire-walk-interval"))
                    {
                        walk = in.nextInt("expire-walk-interval (ms)", 1, 60_000);
                    }
                    else if (in.accept("max-reassemblies-per-source"))
                    {
                        perSource = in.nextInt("max-reassemblies-per-source", 1,
                            Ip4ReassemblyConfig.MAX_REASSEMBLIES_LIMIT);
                    }
                    else
                    {
                        throw in.unknown();
                    }
                }
                final int t = timeout;
                final int m = max;
                final int l = length;
                final int w = walk;
                final int s = perSource;
                return out -> {
                    if (m > 0)
                    {
                        // Every thread's table grows at the barrier (a CLI line holds it already; it nests), before
                        // the new limit applies.
                        vpp.withBarrier(() -> {
                            for (final Dispatcher d : vpp.dispatchers())
                            {
                                Ip4FullReassNode.of(d).grow(m);
                            }
                        });
                    }
                    config.set(t, m, l, w, s);
                };
            });

        vpp.cli().register("show ip4-full-reassembly", "Show IPv4 full reassembly contexts and limits",
            "show ip4-full-reassembly [details]", in -> {
                final boolean details = in.accept("details");
                in.end();
                return out -> {
                    final StringBuilder contexts = new StringBuilder();
                    final long[] sums = new long[2];
                    // Each thread's table is read with its thread stopped (the CLI line's barrier; it nests).
                    vpp.withBarrier(() -> {
                        final List<Dispatcher> ds = vpp.dispatchers();
                        for (final Dispatcher d : ds)
                        {
                            final Ip4FullReassNode node = Ip4FullReassNode.of(d);
                            if (details)
                            {
                                node.describe(contexts);
                            }
                            sums[0] += node.active();
                            sums[1] += node.heldBuffers();
                        }
                    });
                    out.println("---------------------");
                    out.println("IP4 reassembly status");
                    out.println("---------------------");
                    out.print(contexts);
                    out.println("---------------------");
                    out.println("Current full IP4 reassemblies count: " + sums[0]);
                    out.println("Buffers held by full IP4 reassemblies: " + sums[1]);
                    out.println("Maximum configured concurrent full IP4 reassemblies per worker-thread: "
                        + config.maxReassemblies());
                    out.println("Maximum configured concurrent full IP4 reassemblies per source per worker-thread: "
                        + config.maxPerSource());
                    out.println("Maximum configured amount of fragments per full IP4 reassembly: "
                        + config.maxReassemblyLength());
                    out.println("Maximum configured full IP4 reassembly timeout: " + config.timeoutMs() + "ms");
                    out.println("Maximum configured full IP4 reassembly expire walk interval: "
                        + config.expireWalkIntervalMs() + "ms");
                };
            });
    }
}
