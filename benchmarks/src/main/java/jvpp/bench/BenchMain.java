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
    /** A scenario: runs and prints its RESULT lines. */
    @FunctionalInterface
    interface Scenario
    {
        void run(BenchOptions options) throws Exception;
    }

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static
    {
        SCENARIOS.put("pg-null", PgNullScenario::run);
        SCENARIOS.put("fib-load-1m", FibLoadScenario::run);
        SCENARIOS.put("ip4-forward-10", Ip4ForwardScenario::run10);
        SCENARIOS.put("ip4-forward-1m", Ip4ForwardScenario::run1m);
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
        final Scenario s = SCENARIOS.get(args[0]);
        if (s == null)
        {
            System.err.println("jvpp-bench: unknown scenario `" + args[0] + "' (known: " + String.join(" ", SCENARIOS.keySet()) + ")");
            System.exit(2);
        }
        s.run(BenchOptions.parse(Arrays.copyOfRange(args, 1, args.length)));
        System.exit(0);
    }
}
