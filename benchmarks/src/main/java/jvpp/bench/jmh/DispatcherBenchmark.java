package jvpp.bench.jmh;

import java.util.concurrent.TimeUnit;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.log.Log;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One dispatcher loop (a 256-packet frame from pg-input) through a chain of graph nodes, per packet.
 * {@code path=null}: pg-input → interface-output → null0-tx. {@code path=drop}: pg-input → ethernet-input
 * → error-drop (every frame dropped as an unknown EtherType and counted).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true"})
public class DispatcherBenchmark
{
    @Param({"null", "drop"})
    public String path;

    private Jvpp vpp;
    private Dispatcher dispatcher;

    @Setup(Level.Trial)
    public void setUp()
    {
        Log.console(false);
        vpp = Jvpp.create();
        vpp.execute("create null interface");
        vpp.execute("set interface state null0 up");
        final String node = path.equals("null") ? "tx-interface null0 node interface-output" : "node ethernet-input";
        final String type = path.equals("null") ? "IP4" : "0x88b5";
        if (!vpp.execute("packet-generator new { name s0 limit 0 size 64-64 " + node + " data { " + type
            + ": 1.2.3 -> 4.5.6 hex 4500001c000000004011000001010101020202020000000000080000 } }").ok())
        {
            throw new IllegalStateException("stream");
        }
        vpp.execute("packet-generator enable-stream s0");
        dispatcher = vpp.mainDispatcher();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        vpp.close();
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public int loop()
    {
        return dispatcher.doWork();
    }
}
