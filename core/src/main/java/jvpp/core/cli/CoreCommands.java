package jvpp.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Graph;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeType;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.log.Log;
import jvpp.core.net.MacAddress;
import jvpp.core.thread.CpuTopology;
import jvpp.core.thread.ProcessScheduler;
import jvpp.core.thread.ThreadInfo;
import jvpp.core.trace.TraceBuffer;

/**
 * Core's commands: the runtime, error, trace, buffer, thread and interface views, interface state, and the
 * built-ins {@code comment}, {@code echo}, {@code exec}, {@code quit}. Output formats follow vppctl's.
 *
 * <p>Thread: main.
 */
public final class CoreCommands
{
    private CoreCommands()
    {
    }

    public static void register(final Jvpp vpp)
    {
        final CliRegistry cli = vpp.cli();
        final InterfaceTable ifs = vpp.interfaces();

        cli.register("comment", "Comment, ignored", "comment <text>", in -> {
            in.takeRest();
            return out -> { };
        });
        cli.register("echo", "Print the rest of the line", "echo <text>", in -> {
            final String text = in.takeRest();
            return out -> out.println(text);
        });
        cli.register("quit", "End this CLI session", "quit", in -> CliOutput::requestQuit);
        cli.register("exec", "Run the CLI commands in a file", "exec <filename>", in -> {
            final String file = in.next("file name");
            return out -> exec(vpp, Path.of(file), out);
        });
        cli.register("show version", "Show the jvpp version", "show version", in -> out -> out.println(version()));
        cli.register("show log", "Show the recent log", "show log", in -> out -> {
            for (final String line : Log.recent())
            {
                out.println(line);
            }
        });
        cli.register("show threads", "Show jvpp's threads", "show threads", in -> out -> showThreads(vpp, out));
        cli.register("show buffers", "Show buffer pools", "show buffers", in -> out -> showBuffers(vpp, out));
        cli.register("show memory", "Show the JVM heap and the buffer arena (gc: collect first, jvpp extension)",
            "show memory [gc]", in -> {
                final boolean gc = in.accept("gc");
                return out -> showMemory(vpp, out, gc);
            });
        cli.register("show runtime", "Show per-node runtime counters", "show runtime [verbose]", in -> {
            final boolean verbose = in.accept("verbose");
            return out -> showRuntime(vpp, out, verbose);
        });
        cli.register("clear runtime", "Clear per-node runtime counters", "clear runtime", in -> out -> {
            for (final Dispatcher d : vpp.dispatchers())
            {
                d.clearRuntime();
            }
            vpp.processes().clearRuntime();
        });
        cli.register("show errors", "Show error counters", "show errors [verbose]", in -> {
            final boolean verbose = in.accept("verbose");
            return out -> showErrors(vpp, out, verbose);
        });
        cli.register("clear errors", "Clear error counters", "clear errors", in -> out -> {
            for (final Dispatcher d : vpp.dispatchers())
            {
                d.clearErrors();
            }
        });
        cli.register("trace add", "Trace the next <count> packets of an input node", "trace add <input-node> <count>", in -> {
            final String name = in.next("node name");
            final int count = in.nextInt("packet count", 1, 100_000);
            final int index = vpp.graph().index(name);
            if (index < 0)
            {
                throw new CliException("unknown node `" + name + "'");
            }
            if (vpp.graph().registration(index).type() != NodeType.INPUT)
            {
                throw new CliException("node `" + name + "' is not an input node");
            }
            return out -> {
                for (final Dispatcher d : vpp.dispatchers())
                {
                    d.traceAdd(index, count);
                }
            };
        });
        cli.register("clear trace", "Clear the packet trace", "clear trace", in -> out -> {
            for (final Dispatcher d : vpp.dispatchers())
            {
                d.traceClear();
            }
        });
        cli.register("show trace", "Show the packet trace", "show trace [max <n>]", in -> {
            final int max = in.accept("max") ? in.nextInt("packet count", 1, Integer.MAX_VALUE) : 50;
            return out -> showTrace(vpp, out, max);
        });
        cli.register("show interface", "Show interfaces and their counters", "show interface [<interface> ...]", in -> {
            final List<Interface> which = parseInterfaces(ifs, in);
            return out -> showInterface(vpp, out, which);
        });
        cli.register("show hardware-interfaces", "Show interface hardware details",
            "show hardware-interfaces [brief|verbose] [<interface> ...]", in -> {
                final boolean brief = in.accept("brief");
                final boolean verbose = !brief && in.accept("verbose");
                final boolean all = in.atEnd();
                final List<Interface> which = parseInterfaces(ifs, in);
                // As VPP: sub-interfaces have no hardware of their own; they show when named.
                if (all)
                {
                    which.removeIf(Interface::isSub);
                }
                return out -> showHardware(vpp, out, which, brief, verbose);
            });
        cli.register("set interface state", "Set an interface up or down", "set interface state <interface> {up|down}", in -> {
            final Interface ifc = ifs.parse(in);
            final boolean up;
            if (in.accept("up"))
            {
                up = true;
            }
            else if (in.accept("down"))
            {
                up = false;
            }
            else
            {
                throw in.unknown();
            }
            return out -> ifs.setAdminState(ifc, up);
        });
    }

    private static List<Interface> parseInterfaces(final InterfaceTable ifs, final CliInput in) throws CliException
    {
        final List<Interface> which = new ArrayList<>();
        while (!in.atEnd())
        {
            final Interface ifc = ifs.get(in.peek());
            if (ifc == null)
            {
                throw in.unknown();
            }
            in.next("interface");
            which.add(ifc);
        }
        return which.isEmpty() ? new ArrayList<>(ifs.all()) : which;
    }

    /** Run a file of commands, stopping at the first that fails. */
    public static void exec(final Jvpp vpp, final Path file, final CliOutput out) throws CliException
    {
        final List<CliScript.Line> lines;
        try
        {
            lines = CliScript.read(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new CliException("failed to open `" + file + "'");
        }
        catch (final IOException ex)
        {
            throw new CliException("failed to open `" + file + "': " + ex.getMessage());
        }
        for (final CliScript.Line line : lines)
        {
            final CliResult r = vpp.execute(line.text());
            if (!r.ok())
            {
                final String output = r.output().strip();
                final int lastLine = output.lastIndexOf('\n');
                out.print(lastLine < 0 ? "" : output.substring(0, lastLine + 1));
                throw new CliException("CLI line error: " + (lastLine < 0 ? output : output.substring(lastLine + 1))
                    + " [" + file + ":" + line.number() + "]");
            }
            out.print(r.output());
        }
    }

    public static String version()
    {
        final Properties p = new Properties();
        try (InputStream in = CoreCommands.class.getResourceAsStream("/jvpp-version.properties"))
        {
            if (in != null)
            {
                p.load(in);
            }
        }
        catch (final IOException ignore)
        {
            // no version resource: say so below
        }
        return "jvpp v" + p.getProperty("version", "unknown") + " built on " + p.getProperty("built", "unknown")
            + " (Java " + System.getProperty("java.version") + ")";
    }

    private static void showThreads(final Jvpp vpp, final CliOutput out)
    {
        out.printf("%-7s%-20s%-12s%-8s%-25s%-7s%-7s%-7s%n", "ID", "Name", "Type", "LWP", "Sched Policy (Priority)",
            "lcore", "Core", "Socket");
        for (final ThreadInfo t : vpp.threads())
        {
            out.printf("%-7d%-20s%-12s%-8d%-25s%-7d%-7d%-7d%n", t.id(), t.name(), t.type(), t.lwp(), "other (0)",
                t.lcore(), t.core(), t.socket());
        }
    }

    /**
     * The heap as the JVM sees it, after a full collection with {@code gc} (what a soak compares over time: the
     * live heap, not what garbage happens to be waiting), the memory outside it and the buffer arena.
     */
    private static void showMemory(final Jvpp vpp, final CliOutput out, final boolean gc)
    {
        final java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory.getMemoryMXBean();
        if (gc)
        {
            m.gc();
        }
        final java.lang.management.MemoryUsage heap = m.getHeapMemoryUsage();
        final java.lang.management.MemoryUsage nonHeap = m.getNonHeapMemoryUsage();
        out.printf("heap%s: used %d, committed %d, max %d bytes%n", gc ? " after gc" : "", heap.getUsed(),
            heap.getCommitted(), heap.getMax());
        out.printf("non-heap: used %d, committed %d bytes%n", nonHeap.getUsed(), nonHeap.getCommitted());
        out.printf("buffer arena: %d bytes mapped (%s)%n", vpp.pool().arena().mappedLength(),
            vpp.pool().arena().hugepages() ? "hugepages" : "ordinary pages");
    }

    private static void showBuffers(final Jvpp vpp, final CliOutput out)
    {
        final BufferPool p = vpp.pool();
        out.printf("%-20s%6s%5s%7s%11s%8s%8s%8s%8s%n", "Pool Name", "Index", "NUMA", "Size", "Data Size", "Total",
            "Avail", "Cached", "Used");
        final int free = p.free();
        final int cached = p.cached();
        out.printf("%-20s%6d%5d%7d%11d%8d%8d%8d%8d%n", p.name(), p.index(), p.numaNode(), p.arena().stride(),
            p.arena().dataSize(), p.total(), free, cached, p.total() - free - cached);
        for (final BufferPool.Holder h : p.holders())
        {
            out.printf("  of the used, held by %s: %d%n", h.name(), h.count().getAsLong());
        }
    }

    private static void showRuntime(final Jvpp vpp, final CliOutput out, final boolean verbose)
    {
        final double ghz = CpuTopology.cpuGhz();
        final double seconds = (System.nanoTime() - vpp.bootNanos()) / 1e9;
        for (final Dispatcher d : vpp.dispatchers())
        {
            final ThreadInfo info = d.threadIndex() < vpp.threads().size() ? vpp.threads().get(d.threadIndex()) : null;
            out.printf("Thread %d %s (lcore %d)%n", d.threadIndex(), d.threadName(), info == null ? 0 : info.lcore());
            long in = 0;
            long drop = 0;
            for (int i = 0; i < d.nodeCount(); i++)
            {
                final Node n = d.node(i);
                if (n.type() == NodeType.INPUT)
                {
                    in += n.vectors();
                }
                else if (n.name().equals("error-drop"))
                {
                    drop += n.vectors();
                }
            }
            out.printf("Time %.1f, average vectors/node %.2f, loops/sec %.2f%n", seconds, averageVectors(d),
                d.loops() / seconds);
            out.printf("  vector rates in %.4e, out %.4e, drop %.4e, punt %.4e%n", in / seconds,
                txPackets(vpp, d) / seconds, drop / seconds, 0.0);
            out.printf("%-30s%-17s%16s%16s%16s%16s%16s%n", "             Name", "     State", "Calls", "Vectors",
                "Suspends", "Clocks", "Vectors/Call");
            for (int i = 0; i < d.nodeCount(); i++)
            {
                final Node n = d.node(i);
                if (n.calls() == 0 && !verbose)
                {
                    continue;
                }
                final String state = n.type() == NodeType.INPUT ? (n.polling() ? "polling" : "disabled") : "active";
                row(out, n.name(), state, n.calls(), n.vectors(), n.nanos(), ghz);
            }
            if (d.threadIndex() == 0)
            {
                for (final ProcessScheduler.Handle h : vpp.processes().handles())
                {
                    if (h.calls() > 0 || verbose)
                    {
                        row(out, h.name(), h.scheduled() ? "time wait" : "event wait", h.calls(), 0, h.nanos(), ghz);
                    }
                }
            }
        }
        if (vpp.dispatchers().size() > 1)
        {
            out.println("Summary of all threads");
            out.printf("%-30s%-17s%16s%16s%16s%16s%16s%n", "             Name", "     State", "Calls", "Vectors",
                "Suspends", "Clocks", "Vectors/Call");
            final Dispatcher main = vpp.mainDispatcher();
            for (int i = 0; i < main.nodeCount(); i++)
            {
                long calls = 0;
                long vectors = 0;
                long nanos = 0;
                for (final Dispatcher d : vpp.dispatchers())
                {
                    final Node n = d.node(i);
                    calls += n.calls();
                    vectors += n.vectors();
                    nanos += n.nanos();
                }
                if (vectors > 0 || verbose)
                {
                    final Node n = main.node(i);
                    row(out, n.name(), n.type() == NodeType.INPUT ? "polling" : "active", calls, vectors, nanos, ghz);
                }
            }
        }
    }

    private static void row(final CliOutput out, final String name, final String state, final long calls,
        final long vectors, final long nanos, final double ghz)
    {
        final double clocks = nanos * ghz / Math.max(1, vectors > 0 ? vectors : calls);
        out.printf("%-30s%-17s%16d%16d%16d%16.2e%16.2f%n", name, centre(state, 17), calls, vectors, 0, clocks,
            calls == 0 ? 0.0 : (double)vectors / calls);
    }

    private static String centre(final String s, final int width)
    {
        final int pad = Math.max(0, (width - s.length()) / 2);
        return " ".repeat(pad) + s;
    }

    private static double averageVectors(final Dispatcher d)
    {
        long calls = 0;
        long vectors = 0;
        for (int i = 0; i < d.nodeCount(); i++)
        {
            final Node n = d.node(i);
            if (n.type() == NodeType.INTERNAL)
            {
                calls += n.calls();
                vectors += n.vectors();
            }
        }
        return calls == 0 ? 0 : (double)vectors / calls;
    }

    private static long txPackets(final Jvpp vpp, final Dispatcher d)
    {
        long sum = 0;
        for (final Interface ifc : vpp.interfaces().all())
        {
            sum += d.interfaceCounters().get(ifc.swIfIndex(), InterfaceCounters.TX_PACKETS);
        }
        return sum;
    }

    private static void showErrors(final Jvpp vpp, final CliOutput out, final boolean verbose)
    {
        final Graph g = vpp.graph();
        out.printf("%10s  %-30s %s%n", "Count", "Node", "Reason");
        for (int e = 0; e < g.errorCount(); e++)
        {
            long sum = 0;
            for (final Dispatcher d : vpp.dispatchers())
            {
                sum += d.errorCount(e);
            }
            if (sum != 0 || verbose)
            {
                out.printf("%10d  %-30s %s%n", sum, g.errorNode(e), g.errorReason(e));
            }
        }
    }

    private static void showTrace(final Jvpp vpp, final CliOutput out, final int max)
    {
        boolean any = false;
        for (final Dispatcher d : vpp.dispatchers())
        {
            final TraceBuffer t = d.trace();
            if (t.count() == 0)
            {
                continue;
            }
            any = true;
            out.printf("------------------- Start of thread %d %s -------------------%n", d.threadIndex(), d.threadName());
            final TraceBuffer.Record view = t.new Record();
            int lastPacket = -1;
            int packets = 0;
            for (final int i : t.orderByPacket())
            {
                t.view(i, view);
                if (view.packet() != lastPacket)
                {
                    if (++packets > max)
                    {
                        break;
                    }
                    out.printf("%sPacket %d%n%n", lastPacket < 0 ? "" : "\n", view.packet());
                    lastPacket = view.packet();
                }
                final long us = (view.nanoTime() - vpp.bootNanos()) / 1000;
                out.printf("%02d:%02d:%02d:%06d: %s%n", us / 3_600_000_000L, us / 60_000_000 % 60, us / 1_000_000 % 60,
                    us % 1_000_000, d.graph().name(view.node()));
                final StringBuilder sb = new StringBuilder();
                d.node(view.node()).formatTrace(sb, view);
                if (sb.length() > 0)
                {
                    out.println(sb);
                }
            }
            if (t.overflow() > 0)
            {
                out.printf("(trace buffer full: %d records not kept)%n", t.overflow());
            }
        }
        if (!any)
        {
            out.println("No packets in trace buffer");
        }
    }

    private static void showInterface(final Jvpp vpp, final CliOutput out, final List<Interface> which)
    {
        out.printf("%-32s%5s%10s  %-21s%-16s%16s%n", "              Name", "Idx", "State", "MTU (L3/IP4/IP6/MPLS)",
            "    Counter", "Count");
        for (final Interface ifc : which)
        {
            final int[] m = ifc.mtu();
            final String mtu = m[0] + "/" + m[1] + "/" + m[2] + "/" + m[3];
            final String first = String.format("%-32s%5d%10s  %-21s", ifc.name(), ifc.swIfIndex(),
                ifc.adminUp() ? "up" : "down", centre(mtu, 21));
            final String pad = " ".repeat(first.length());
            boolean printed = false;
            for (int c = 0; c < InterfaceCounters.STRIDE; c++)
            {
                long sum = 0;
                for (final Dispatcher d : vpp.dispatchers())
                {
                    sum += d.interfaceCounters().get(ifc.swIfIndex(), c);
                }
                if (sum != 0)
                {
                    out.printf("%s%-16s%16d%n", printed ? pad : first, InterfaceCounters.NAMES[c], sum);
                    printed = true;
                }
            }
            if (!printed)
            {
                out.println(first.stripTrailing());
            }
        }
    }

    private static void showHardware(final Jvpp vpp, final CliOutput out, final List<Interface> which,
        final boolean brief, final boolean verbose)
    {
        out.printf("%-32s%5s%7s  %s%n", "              Name", "Idx", "Link", "Hardware");
        for (final Interface ifc : which)
        {
            out.printf("%-32s%5d%7s  %s%n", ifc.name(), ifc.swIfIndex(), ifc.linkUp() && ifc.adminUp() ? "up" : "down",
                ifc.name());
            if (brief)
            {
                continue;
            }
            if (!ifc.linkUp() && !ifc.linkDownReason().isEmpty())
            {
                out.println("  Link down: " + ifc.linkDownReason());
            }
            if (ifc.linkDownEvents() > 0)
            {
                out.println("  Link down events: " + ifc.linkDownEvents());
            }
            out.println("  Link speed: unknown");
            if (ifc.mac() != 0)
            {
                out.println("  Ethernet address " + MacAddress.format(ifc.mac()));
            }
            out.println("  " + ifc.driver().driverName());
            final StringBuilder sb = new StringBuilder();
            ifc.driver().describe(ifc, sb, verbose);
            if (sb.length() > 0)
            {
                out.print(sb.charAt(sb.length() - 1) == '\n' ? sb : sb.append('\n'));
            }
        }
    }
}
