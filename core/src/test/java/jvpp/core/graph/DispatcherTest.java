package jvpp.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTest
{
    private final Jvpp vpp = TestJvpp.create(4096);
    private final List<Integer> seen = new ArrayList<>();

    @AfterEach
    void close()
    {
        vpp.close();
    }

    /** Produces {@code perPoll} buffers numbered by their length field, {@code polls} times. */
    private static final class Source extends Node
    {
        int polls;
        int perPoll;
        int serial;

        @Override
        public int poll()
        {
            if (polls == 0)
            {
                return 0;
            }
            polls--;
            for (int i = 0; i < perPoll; i++)
            {
                final int bi = buffers.alloc();
                bLength[bi] = serial++;
                if (tracing())
                {
                    traceInput(bi);
                }
                enqueue(0, bi);
            }
            return perPoll;
        }
    }

    /** Sends even-numbered buffers to arc 0 and odd ones to arc 1 with enqueueToNext, in runs of three. */
    private static final class Split extends Node
    {
        final int[] arcs = new int[Frame.SIZE];

        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                arcs[i] = (bLength[frame.bufs[i]] / 3) & 1;
            }
            enqueueToNext(frame.bufs, arcs, frame.n);
            return frame.n;
        }
    }

    /** Sends each buffer to arc 0, or drops odd-numbered ones with reason 0 when {@code dropOdd}. */
    private static final class Pass extends Node
    {
        final boolean dropOdd;

        Pass(final boolean dropOdd)
        {
            this.dropOdd = dropOdd;
        }

        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                final int bi = frame.bufs[i];
                if (dropOdd && (bLength[bi] & 1) == 1)
                {
                    drop(bi, 0);
                }
                else
                {
                    enqueue(0, bi);
                }
            }
            return frame.n;
        }
    }

    private final class Sink extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                seen.add(bLength[frame.bufs[i]]);
                buffers.free(frame.bufs[i]);
            }
            return frame.n;
        }
    }

    private Source build(final boolean dropOdd)
    {
        final Graph g = vpp.graph();
        g.register(NodeRegistration.input("test-source", List.of("test-pass"), List.of(), Source::new));
        g.register(NodeRegistration.internal("test-pass", List.of("test-sink", "error-drop"), List.of("odd"),
            () -> new Pass(dropOdd)));
        g.register(NodeRegistration.internal("test-sink", List.of(), List.of(), Sink::new));
        vpp.syncThreads();
        return (Source)vpp.mainDispatcher().node("test-source");
    }

    @Test
    void shouldDeliverInOrderAcrossFullFramesWhenOnePollProducesMoreThanAFrame()
    {
        final Source src = build(false);
        src.polls = 3;
        src.perPoll = 1000; // four frames per poll into test-pass
        TestJvpp.drain(vpp);
        assertEquals(3000, seen.size());
        for (int i = 0; i < seen.size(); i++)
        {
            assertEquals(i, seen.get(i));
        }
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldSplitRunsByArcInOrderWhenEnqueueingToNext()
    {
        final Graph g = vpp.graph();
        g.register(NodeRegistration.input("test-source", List.of("test-split"), List.of(), Source::new));
        g.register(NodeRegistration.internal("test-split", List.of("test-sink", "test-sink-odd"), List.of(), Split::new));
        g.register(NodeRegistration.internal("test-sink", List.of(), List.of(), Sink::new));
        g.register(NodeRegistration.internal("test-sink-odd", List.of(), List.of(), Sink::new));
        vpp.syncThreads();
        final Source src = (Source)vpp.mainDispatcher().node("test-source");
        src.polls = 4;
        src.perPoll = 700;
        TestJvpp.drain(vpp);
        assertEquals(2800, seen.size());
        int lastEven = -1;
        int lastOdd = -1;
        for (final int v : seen)
        {
            if ((v / 3 & 1) == 0)
            {
                assertTrue(v > lastEven, "order kept on arc 0");
                lastEven = v;
            }
            else
            {
                assertTrue(v > lastOdd, "order kept on arc 1");
                lastOdd = v;
            }
        }
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldCountCallsVectorsAndErrorsWhenDropping() throws InterruptedException
    {
        final Source src = build(true);
        src.polls = 2;
        src.perPoll = 100;
        TestJvpp.drain(vpp);
        final Dispatcher d = vpp.mainDispatcher();
        assertEquals(100, seen.size());
        assertEquals(200, d.node("test-pass").vectors());
        assertEquals(2, d.node("test-pass").calls());
        assertEquals(100, d.node("test-sink").vectors());
        assertEquals(100, d.errorCount(vpp.graph().errorIndex("test-pass", "odd")));
        final String errors = TestJvpp.ok(vpp, "show errors");
        assertTrue(errors.contains("test-pass") && errors.contains("odd") && errors.contains("100"), errors);
        TestJvpp.ok(vpp, "clear errors");
        assertEquals(0, d.errorCount(vpp.graph().errorIndex("test-pass", "odd")));
        Thread.sleep(600); // Time since boot is at least 0.6 now
        TestJvpp.ok(vpp, "clear runtime");
        assertEquals(0, d.node("test-pass").calls());
        // Time restarts with the counters (VPP's clear runtime), and the rates with it.
        final java.util.regex.Matcher time = java.util.regex.Pattern.compile("Time (\\d+\\.\\d)")
            .matcher(TestJvpp.ok(vpp, "show runtime"));
        assertTrue(time.find());
        assertTrue(Double.parseDouble(time.group(1)) < 0.5, time.group());
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldKeepFrameCountFlatWhenRunningManyLoops()
    {
        final Source src = build(false);
        src.polls = 10;
        src.perPoll = 300;
        TestJvpp.drain(vpp);
        final int frames = vpp.mainDispatcher().framesAllocated();
        src.polls = 1000;
        TestJvpp.drain(vpp);
        assertEquals(frames, vpp.mainDispatcher().framesAllocated());
    }

    @Test
    void shouldTracePacketsThroughEveryNodeWhenTraceAdded()
    {
        final Source src = build(true);
        TestJvpp.ok(vpp, "trace add test-source 3");
        src.polls = 1;
        src.perPoll = 10;
        TestJvpp.drain(vpp);
        final String trace = TestJvpp.ok(vpp, "show trace");
        assertTrue(trace.contains("Packet 1") && trace.contains("Packet 3"), trace);
        assertTrue(!trace.contains("Packet 4"), trace);
        assertTrue(trace.contains("test-pass") && trace.contains("test-sink") && trace.contains("error-drop"), trace);
        TestJvpp.ok(vpp, "clear trace");
        assertTrue(TestJvpp.ok(vpp, "show trace").contains("No packets in trace buffer"));
        assertTrue(TestJvpp.fails(vpp, "trace add test-pass 1").contains("not an input node"));
        assertTrue(TestJvpp.fails(vpp, "trace add nosuch 1").contains("unknown node `nosuch'"));
    }
}
