package jvpp.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import jvpp.bench.BenchCli;
import jvpp.core.Jvpp;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.graph.NodeType;
import jvpp.core.log.Log;
import jvpp.core.net.Ip4;
import jvpp.nodes.ip4.Ip4Main;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Each IPv4 node alone, per packet. A replay source hands the same 256 buffers to the node under test on
 * every loop, restoring their first 64 bytes and metadata first (64-byte IPv4/UDP frames to 65 536
 * destinations under 10 routes; for ip4-local, ICMP echo requests to loop0's own address, which it answers
 * in place); the node is the real one, registered under a bench name with all its arcs leading to a sink.
 * {@code node=none} measures the replay alone: a node's own cost is its score minus that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true"})
public class Ip4NodesBenchmark
{
    @Param({"none", "ethernet-input", "ip4-input", "ip4-lookup", "ip4-rewrite", "ip4-local"})
    public String node;

    private Jvpp vpp;
    private Dispatcher dispatcher;
    private Replay replay;

    /** Restores the frame and hands it to the node under test. */
    static final class Replay extends Node
    {
        final int[] bufs = new int[Frame.SIZE];
        final byte[][] snapshot = new byte[Frame.SIZE][];
        final int[] offset = new int[Frame.SIZE];
        final int[] length = new int[Frame.SIZE];
        final int[] opaque = new int[Frame.SIZE];
        int rxIf;

        @Override
        protected void onAttach()
        {
            buffers.alloc(bufs, 0, Frame.SIZE);
        }

        @Override
        public int poll()
        {
            for (int i = 0; i < Frame.SIZE; i++)
            {
                final int bi = bufs[i];
                final int at = pool.arena().dataOffset(bi) + offset[i];
                mem.putBytes(at, snapshot[i]);
                bStart[bi] = at;
                bLength[bi] = length[i];
                bRxIf[bi] = rxIf;
                bOpaque[bi] = opaque[i];
            }
            enqueue(0, bufs, 0, Frame.SIZE);
            return Frame.SIZE;
        }
    }

    /** Counts, does not free: the replay owns the buffers. */
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
        BenchCli.exec(vpp, BenchCli.LOOP_ROUTED_TO_NULL);
        for (int i = 0; i < 10; i++)
        {
            vpp.execute("ip route add 10." + i + ".0.0/16 via 198.19.0.2 null0");
        }
        final String target = node.equals("none") ? "bench-sink" : "bench-" + node;
        vpp.graph().register(NodeRegistration.internal("bench-sink", List.of(), List.of(), Sink::new));
        if (!node.equals("none"))
        {
            final NodeRegistration real = vpp.graph().registration(vpp.graph().indexOrThrow(node));
            final List<String> sinks = new ArrayList<>();
            for (int i = 0; i < real.nexts().size() + 8; i++)
            {
                sinks.add("bench-sink");
            }
            vpp.graph().register(new NodeRegistration(target, NodeType.INTERNAL, sinks, real.errors(), real.factory()));
        }
        vpp.graph().register(NodeRegistration.input("bench-replay", List.of(target), List.of(), Replay::new));
        vpp.syncThreads();
        dispatcher = vpp.mainDispatcher();
        replay = (Replay)dispatcher.node("bench-replay");
        final Ip4Main ip4 = vpp.service(Ip4Main.class);
        replay.rxIf = vpp.interfaces().get("loop0").swIfIndex();
        final boolean l2 = node.equals("ethernet-input") || node.equals("none");
        final boolean echo = node.equals("ip4-local");
        final Random r = new Random(42);
        for (int i = 0; i < Frame.SIZE; i++)
        {
            final byte[] frame = new byte[64];
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            b.putShort(0, (short)0xdead, java.nio.ByteOrder.BIG_ENDIAN);
            b.putShort(6, (short)0x0200, java.nio.ByteOrder.BIG_ENDIAN);
            b.putShort(12, (short)0x0800, java.nio.ByteOrder.BIG_ENDIAN);
            final int dst = echo ? Ip4.parse("198.18.0.1") : Ip4.parse("10." + r.nextInt(10) + ".0.0") | r.nextInt(1 << 16);
            new jvpp.core.net.Ip4Flyweight().wrap(b, 14)
                .writeHeader(50, 64, echo ? Ip4.PROTO_ICMP : Ip4.PROTO_UDP, Ip4.parse("198.18.0.2"), dst);
            if (echo)
            {
                // Echo request (type 8), id 1, sequence i, 22 zero bytes of payload.
                b.putByte(34, (byte)8);
                b.putShort(38, (short)1, java.nio.ByteOrder.BIG_ENDIAN);
                b.putShort(40, (short)i, java.nio.ByteOrder.BIG_ENDIAN);
                b.putShort(36, (short)Ip4.checksum(b, 34, 30), java.nio.ByteOrder.BIG_ENDIAN);
            }
            replay.snapshot[i] = l2 ? frame : java.util.Arrays.copyOfRange(frame, 14, 64);
            replay.offset[i] = l2 ? 0 : 14;
            replay.length[i] = l2 ? 64 : 50;
            replay.opaque[i] = ip4.loadBalances().first[ip4.fib().lookup(dst)];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        dispatcher.buffers().free(replay.bufs, 0, Frame.SIZE);
        vpp.close();
    }

    @Benchmark
    @OperationsPerInvocation(Frame.SIZE)
    public int loop()
    {
        return dispatcher.doWork();
    }
}
