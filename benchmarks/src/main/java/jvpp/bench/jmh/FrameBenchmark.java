package jvpp.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
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
 * The cost of moving buffer indices between nodes: a frame of 256 preallocated buffers is pushed through a
 * chain of {@code hops} pass-through nodes, each handing buffers on one by one with {@code enqueue(arc, bi)}
 * ({@code mode=single}), by writing a next arc per packet and calling {@code enqueueToNext} once
 * ({@code mode=tonext}, how per-packet decisions should be handed on), or as a whole frame ({@code mode=bulk}). No packet bytes
 * are touched: this isolates frame handling and dispatch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true"})
public class FrameBenchmark
{
    @Param({"single", "tonext", "bulk"})
    public String mode;

    @Param({"4"})
    public int hops;

    private Jvpp vpp;
    private Dispatcher dispatcher;
    private Source source;

    /** Re-injects the same 256 buffers every loop. */
    static final class Source extends Node
    {
        final int[] bufs = new int[Frame.SIZE];

        @Override
        protected void onAttach()
        {
            buffers.alloc(bufs, 0, Frame.SIZE);
        }

        @Override
        public int poll()
        {
            enqueue(0, bufs, 0, Frame.SIZE);
            return Frame.SIZE;
        }
    }

    static final class Pass extends Node
    {
        final String mode;
        final int[] arcs = new int[Frame.SIZE];

        Pass(final String mode)
        {
            this.mode = mode;
        }

        @Override
        public int process(final Frame frame)
        {
            if (mode.equals("bulk"))
            {
                enqueue(0, frame.bufs, 0, frame.n);
            }
            else if (mode.equals("tonext"))
            {
                final int[] b = frame.bufs;
                final int n = frame.n;
                for (int i = 0; i < n; i++)
                {
                    arcs[i] = (b[i] & 0x4000_0000) == 0 ? 0 : 1; // a real per-packet decision, always arc 0 here
                }
                enqueueToNext(b, arcs, n);
            }
            else
            {
                final int[] b = frame.bufs;
                for (int i = 0, n = frame.n; i < n; i++)
                {
                    enqueue(0, b[i]);
                }
            }
            return frame.n;
        }
    }

    /** Consumes without freeing: the source owns the buffers. */
    static final class Sink extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            return frame.n;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        Log.console(false);
        vpp = Jvpp.create(new Jvpp.Context().buffers(4096));
        vpp.graph().register(NodeRegistration.input("bench-source", List.of("bench-pass-0"), List.of(), Source::new));
        for (int i = 0; i < hops; i++)
        {
            final String next = i + 1 < hops ? "bench-pass-" + (i + 1) : "bench-sink";
            vpp.graph().register(NodeRegistration.internal("bench-pass-" + i, List.of(next, "error-drop"), List.of(),
                () -> new Pass(mode)));
        }
        vpp.graph().register(NodeRegistration.internal("bench-sink", List.of(), List.of(), Sink::new));
        vpp.syncThreads();
        dispatcher = vpp.mainDispatcher();
        source = (Source)dispatcher.node("bench-source");
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        vpp.mainDispatcher().buffers().free(source.bufs, 0, Frame.SIZE);
        vpp.close();
    }

    @Benchmark
    @OperationsPerInvocation(Frame.SIZE)
    public int loop()
    {
        return dispatcher.doWork();
    }
}
