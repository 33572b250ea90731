package jvpp.bench.jmh;

import java.util.concurrent.TimeUnit;

import jvpp.bench.RouteMix;
import jvpp.nodes.ip4.fib.Ip4Mtrie;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ip4Mtrie lookups of a 256-address frame, per address: {@code single} calls {@link Ip4Mtrie#lookup} per
 * address, {@code batch} resolves the frame one trie level at a time with {@link Ip4Mtrie#lookupBatch}.
 * {@code routes} {@link RouteMix} prefixes are installed; each invocation takes the next 256 of up to 1 M
 * distinct destinations covered by them (random order), so with 1 M routes the leaves come from all over
 * the table and most loads miss the cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true"})
public class Ip4MtrieBenchmark
{
    private static final int FRAME = 256;

    @Param({"10", "1000000"})
    public int routes;

    private Ip4Mtrie mtrie;
    private int[][] frames;
    private final int[] out = new int[FRAME];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final RouteMix mix = RouteMix.generate(routes, RouteMix.DEFAULT_SEED);
        mtrie = new Ip4Mtrie(1 << 20);
        for (int i = 0; i < mix.size(); i++)
        {
            mtrie.add(mix.prefix(i), mix.length(i), i % 1024);
        }
        final int count = (int)Math.min(1 << 20, Math.max(FRAME, Long.highestOneBit(mix.addressCount() / 2)));
        final int[] destinations = mix.destinations(count);
        frames = new int[count / FRAME][];
        for (int f = 0; f < frames.length; f++)
        {
            frames[f] = java.util.Arrays.copyOfRange(destinations, f * FRAME, (f + 1) * FRAME);
        }
    }

    private int[] nextFrame()
    {
        final int[] frame = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return frame;
    }

    @Benchmark
    @OperationsPerInvocation(FRAME)
    public int single()
    {
        final int[] frame = nextFrame();
        final Ip4Mtrie m = mtrie;
        final int[] o = out;
        for (int i = 0; i < FRAME; i++)
        {
            o[i] = m.lookup(frame[i]);
        }
        return o[FRAME - 1];
    }

    @Benchmark
    @OperationsPerInvocation(FRAME)
    public int batch()
    {
        mtrie.lookupBatch(nextFrame(), out, FRAME);
        return out[FRAME - 1];
    }
}
