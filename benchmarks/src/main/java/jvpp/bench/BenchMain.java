package jvpp.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bin/jvpp-bench <scenario>|jmh [jmh args]|list}: runs an in-process scenario and prints one
 * {@code RESULT <scenario> mpps=<x> ns_per_pkt=<y> alloc_bytes_per_pkt=<z>} line per result, each with its
 * in-run anchor and their ratio, or hands the arguments to JMH.
 */
public final class BenchMain
{
    /** One measurement, run in a JVM of its own; it may print INFO lines and returns what it measured. */
    @FunctionalInterface
    interface Measurement
    {
        Measure run(BenchOptions options) throws Exception;
    }

    /** A scenario: its measurement and the anchor measured beside it in the same run, or an in-process job. */
    private record Scenario(Measurement measurement, String anchor, String anchorWhat, InProcess inProcess)
    {
    }

    /** A scenario that prints its own RESULT lines in one JVM. */
    @FunctionalInterface
    interface InProcess
    {
        void run(BenchOptions options) throws Exception;
    }

    private static final Map<String, Measurement> MEASUREMENTS = new LinkedHashMap<>();
    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static
    {
        MEASUREMENTS.put("pg-null", PgNullScenario::measure);
        MEASUREMENTS.put("pg-null-anchor", PgNullScenario::bare);
        MEASUREMENTS.put("ip4-forward-10", Ip4ForwardScenario::measure10);
        MEASUREMENTS.put("ip4-forward-1m", Ip4ForwardScenario::measure1m);
        MEASUREMENTS.put("ip4-forward-pcap", Ip4ForwardScenario::measure10Pcap);
        MEASUREMENTS.put("ip4-forward-w1", WorkersScenario::measure1);
        MEASUREMENTS.put("l2-bridge", L2BridgeScenario::measure);
        MEASUREMENTS.put("l2-bridge-1k", L2BridgeScenario::measure1k);
        MEASUREMENTS.put("ip4-forward-w2", WorkersScenario::measure2);
        MEASUREMENTS.put("ip4-frag", Ip4FragScenario::fragmented);
        MEASUREMENTS.put("ip4-forward-1400", Ip4FragScenario::whole);
        MEASUREMENTS.put("ip4-reass", Ip4ReassScenario::fragmented);
        MEASUREMENTS.put("ip4-local-1400", Ip4ReassScenario::whole);
        SCENARIOS.put("pg-null", new Scenario(PgNullScenario::measure, "pg-null-anchor",
            "alloc + 64-byte copy + free, no graph", null));
        SCENARIOS.put("ip4-forward-10", new Scenario(Ip4ForwardScenario::measure10, "pg-null",
            "the same generator into null0, no routing", null));
        SCENARIOS.put("ip4-forward-pcap", new Scenario(Ip4ForwardScenario::measure10Pcap, "ip4-forward-10",
            "the same path with pcap trace off", null));
        SCENARIOS.put("ip4-forward-1m", new Scenario(Ip4ForwardScenario::measure1m, "pg-null",
            "the same generator into null0, no routing", null));
        SCENARIOS.put("ip4-frag", new Scenario(Ip4FragScenario::fragmented, "ip4-forward-1400",
            "the same 1400-byte stream routed whole", null));
        SCENARIOS.put("ip4-reass", new Scenario(Ip4ReassScenario::fragmented, "ip4-local-1400",
            "the same 1400-byte datagrams to ip4-local whole", null));
        SCENARIOS.put("fib-load-1m", new Scenario(null, null, null, FibLoadScenario::run));
        SCENARIOS.put("l2-bridge", new Scenario(L2BridgeScenario::measure, "pg-null",
            "the same generator into null0, no switching", null));
        SCENARIOS.put("l2-bridge-1k", new Scenario(L2BridgeScenario::measure1k, "l2-bridge",
            "one flow: both lookups cached per burst", null));
        SCENARIOS.put("ip4-forward-workers", new Scenario(WorkersScenario::measure2, "ip4-forward-w1",
            "the same path on one worker: the ratio is the scaling from 1 to 2 workers", null));
        SCENARIOS.put("route-churn-workers", new Scenario(null, null, null, RouteChurnScenario::run));
    }

    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 0 || args[0].equals("list") || args[0].equals("--help"))
        {
            System.out.println("usage: jvpp-bench <scenario> [--packets N] [--warmup N] [--cpu N] [--runtime]");
            System.out.println("       jvpp-bench jmh [JMH options]     (e.g. jmh -f 1 -wi 3 -i 5 Dispatcher)");
            System.out.println("scenarios: " + String.join(" ", SCENARIOS.keySet()));
            return;
        }
        if (args[0].equals("jmh"))
        {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args[0].equals("--measure"))
        {
            final BenchOptions o = BenchOptions.parse(Arrays.copyOfRange(args, 2, args.length));
            if (o.cpu >= 0)
            {
                jvpp.core.thread.CpuTopology.pinCurrentThread(o.cpu);
            }
            final Measure m = MEASUREMENTS.get(args[1]).run(o);
            System.out.println(m.result(args[1]));
            System.exit(0);
        }
        final Scenario s = SCENARIOS.get(args[0]);
        if (s == null)
        {
            System.err.println("jvpp-bench: unknown scenario `" + args[0] + "' (known: " + String.join(" ", SCENARIOS.keySet()) + ")");
            System.exit(2);
        }
        final String[] options = Arrays.copyOfRange(args, 1, args.length);
        if (s.inProcess() != null)
        {
            s.inProcess().run(BenchOptions.parse(options));
            System.exit(0);
        }
        // Each measurement in a fresh JVM, as JMH forks: run in one JVM, the first trains the JIT on code paths
        // the second then leaves (seen here: ip4-forward-10 at 71-76 ns/packet after pg-null, ~50 alone).
        final double measured = fork(args[0].equals("ip4-forward-workers") ? "ip4-forward-w2" : args[0], options);
        final double anchor = fork(s.anchor(), options);
        System.out.printf("RATIO %s/%s mpps=%.2f (anchor: %s; each measured in its own JVM, same run)%n",
            args[0].equals("ip4-forward-workers") ? "ip4-forward-w2" : args[0],
            s.anchor(), measured / anchor, s.anchorWhat());
        System.exit(0);
    }

    /** Run measurement {@code name} in a child JVM with this JVM's flags; echo its output; return its mpps. */
    private static double fork(final String name, final String[] options) throws Exception
    {
        final java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.add("--measure");
        cmd.add(name);
        cmd.addAll(Arrays.asList(options));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double mpps = Double.NaN;
        try (java.io.BufferedReader r = new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = r.readLine()) != null)
            {
                System.out.println(line);
                final String prefix = "RESULT " + name + " mpps=";
                if (line.startsWith(prefix))
                {
                    mpps = Double.parseDouble(line.substring(prefix.length(), line.indexOf(' ', prefix.length())));
                }
            }
        }
        if (p.waitFor() != 0 || Double.isNaN(mpps))
        {
            throw new IllegalStateException("measurement " + name + " failed (exit " + p.exitValue() + ")");
        }
        return mpps;
    }
}
