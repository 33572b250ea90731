package jvpp.tests;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.log.Log;
import jvpp.nodes.ip4.Ip4Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two worker threads forward packet-generator traffic through the IPv4 path while main changes routes in bulk
 * for two seconds: forwarding never stops, each bulk change is applied whole, every packet is accounted for,
 * the FIB ends where it began, and no buffer is lost. Config changes reach the workers only at the barrier.
 * How many changes a second that is, is measured by {@code bin/jvpp-bench route-churn-workers}, not here.
 */
class WorkersTest
{
    private Jvpp vpp;

    @BeforeEach
    void boot()
    {
        Log.console(false);
        vpp = Jvpp.create(new Jvpp.Context().hugepages(false).workers(new int[] {-1, -1}).workerIdle("yield"));
        vpp.enterMainThread();
        for (final String line : List.of("create loopback interface", "set interface ip address loop0 198.18.0.1/24",
            "set interface state loop0 up", "create null interface", "set interface ip address null0 198.19.0.1/24",
            "set ip neighbor null0 198.19.0.2 02:fe:00:00:00:99 static", "set interface state null0 up",
            "ip route add 203.0.113.0/24 via 198.19.0.2"))
        {
            ok(vpp, line);
        }
        for (int w = 0; w < 2; w++)
        {
            ok(vpp, "packet-generator new { name s" + w + " limit 0 rate 2m size 64-64 interface loop0 worker " + w
                + " node ethernet-input data { IP4: 1.2.3 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> 203.0.113.1 - 203.0.113.99 "
                + "UDP: 1234 -> 2345 incrementing 22 } }");
        }
        vpp.startWorkers();
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private long pg(final int thread)
    {
        return vpp.dispatchers().get(thread).node("pg-input").vectors();
    }

    private long sentOnNull0()
    {
        long sum = 0;
        final int null0 = vpp.interfaces().get("null0").swIfIndex();
        for (final var d : vpp.dispatchers())
        {
            sum += d.interfaceCounters().get(null0, InterfaceCounters.TX_PACKETS);
        }
        return sum;
    }

    @Test
    void shouldKeepForwardingOnBothWorkersWhileRoutesChangeInBulk() throws Exception
    {
        ok(vpp, "packet-generator enable-stream");
        final Ip4Main ip4 = vpp.service(Ip4Main.class);
        final int baseline = ip4.fib().size();
        final long end = System.nanoTime() + 2_000_000_000L;
        int changes = 0;
        long lastCheck = System.nanoTime();
        long w1 = pg(1);
        long w2 = pg(2);
        int stalls = 0;
        while (System.nanoTime() < end)
        {
            // 256 routes added, then removed, one command (one barrier hold) each way, as bulk programming does
            // (VPP's `count'); 203.0.113.0/24, which the traffic uses, stays. Two busy workers and main share two
            // cores here, so a hold waits up to a scheduler tick: per-route holds would top out near 250/s.
            final int b = (changes / 512) & 127;
            ok(vpp, "ip route add count 256 10." + b + ".0.0/24 via 198.19.0.2 null0");
            assertEquals(baseline + 256, ip4.fib().size(), "all 256 routes added, none half-way");
            ok(vpp, "ip route del count 256 10." + b + ".0.0/24");
            assertEquals(baseline, ip4.fib().size(), "all 256 routes deleted");
            changes += 512;
            if (System.nanoTime() - lastCheck > 200_000_000L)
            {
                final long n1 = pg(1);
                final long n2 = pg(2);
                if (n1 == w1 || n2 == w2)
                {
                    stalls++;
                }
                w1 = n1;
                w2 = n2;
                lastCheck = System.nanoTime();
            }
        }
        System.out.printf("route changes: %d in 2 s, barrier holds %d, pg: worker0 %d worker1 %d packets%n",
            changes, vpp.barrier().holds(), pg(1), pg(2));
        assertEquals(0, stalls, "forwarding stopped on a worker during the churn");
        ok(vpp, "packet-generator disable-stream");
        Thread.sleep(100);
        assertEquals(baseline, ip4.fib().size(), "the FIB ends as it began");
        final long generated = pg(1) + pg(2);
        assertTrue(generated > 100_000, "traffic flowed: " + generated);
        assertEquals(generated, sentOnNull0(), "every generated packet left through null0 (none misrouted or lost)");
        final String runtime = ok(vpp, "show runtime");
        assertTrue(runtime.contains("Thread 1 jvpp_wk_0") && runtime.contains("Thread 2 jvpp_wk_1"), runtime);
        assertTrue(runtime.contains("Summary of all threads"), runtime);
        final String threads = ok(vpp, "show threads");
        assertTrue(threads.contains("jvpp_wk_0") && threads.contains("workers"), threads);
        assertEquals(0, vpp.pool().used(), "every buffer back after the streams stop");
    }

    @Test
    void shouldAllocateNothingPerPacketOnTheWorkers() throws Exception
    {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        ok(vpp, "packet-generator enable-stream");
        Thread.sleep(1500);
        final List<Thread> workers = vpp.workerThreads();
        final long[] ids = workers.stream().mapToLong(Thread::getId).toArray();
        final long[] before = mx.getThreadAllocatedBytes(ids);
        final long p0 = pg(1) + pg(2);
        Thread.sleep(1000);
        final long[] after = mx.getThreadAllocatedBytes(ids);
        final long packets = pg(1) + pg(2) - p0;
        long bytes = 0;
        for (int i = 0; i < ids.length; i++)
        {
            bytes += after[i] - before[i];
        }
        System.out.printf("workers allocated %d bytes over %d packets%n", bytes, packets);
        assertTrue(packets > 100_000, "traffic: " + packets);
        assertTrue(bytes < 4096, "bytes allocated by the workers over " + packets + " packets: " + bytes);
    }

    @Test
    void shouldSpreadOneQueuesFlowsOverBothWorkersThroughTheHandoff() throws Exception
    {
        // One stream on worker 0, as a single-queue port would be, feeding worker-handoff: 200 flows.
        ok(vpp, "packet-generator new { name one limit 400000 rate 2m size 64-64 interface loop0 worker 0 node worker-handoff "
            + "data { IP4: 1.2.3 -> de:ad:00:00:00:00 UDP: 198.18.0.2 - 198.18.0.201 -> 203.0.113.1 UDP: 1234 -> 2345 "
            + "incrementing 22 } }");
        ok(vpp, "packet-generator enable-stream one");
        final long deadline = System.currentTimeMillis() + 10_000;
        while (sentOnNull0() < 400_000 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(50);
        }
        final long w0 = vpp.dispatchers().get(1).node("ip4-input").vectors();
        final long w1 = vpp.dispatchers().get(2).node("ip4-input").vectors();
        System.out.printf("handoff: worker0 forwarded %d, worker1 %d%n", w0, w1);
        assertEquals(400_000, sentOnNull0(), "every packet forwarded once");
        assertTrue(w0 > 100_000 && w1 > 100_000, "both workers forward: " + w0 + " / " + w1);
        assertTrue(ok(vpp, "show errors").contains("packets handed to another worker"));
        Thread.sleep(100);
        assertEquals(0, vpp.pool().used(), "buffers crossing threads all come back");
    }

    /** One tx queue, not thread-safe on purpose: it remembers which threads ever called it. */
    private static final class OneQueuePort implements jvpp.pmd.Port
    {
        final java.util.Set<String> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public String driverName()
        {
            return "one-queue";
        }

        @Override
        public int rxQueues()
        {
            return 0;
        }

        @Override
        public int txQueues()
        {
            return 1;
        }

        @Override
        public int rxBurst(final int q, final jvpp.core.buffer.BufferCache c, final int[] b, final int o, final int m)
        {
            return 0;
        }

        @Override
        public int txBurst(final int q, final jvpp.core.buffer.BufferCache c, final int[] b, final int o, final int n)
        {
            callers.add(Thread.currentThread().getName() + " queue " + q);
            c.free(b, o, n);
            sent.addAndGet(n);
            return n;
        }

        @Override
        public boolean linkUp()
        {
            return true;
        }

        @Override
        public long mac()
        {
            return 0x02fe_0000_0077L;
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void shouldHandFramesToTheWorkerThatOwnsTheOnlyTxQueue() throws Exception
    {
        final OneQueuePort port = new OneQueuePort();
        vpp.withBarrier(() -> vpp.service(jvpp.pmd.Ports.class).create("one0", port));
        ok(vpp, "set interface ip address one0 198.20.0.1/24");
        ok(vpp, "set ip neighbor one0 198.20.0.2 02:fe:00:00:00:88 static");
        ok(vpp, "set interface state one0 up");
        ok(vpp, "ip route add 203.0.114.0/24 via 198.20.0.2");
        for (int w = 0; w < 2; w++)
        {
            ok(vpp, "packet-generator new { name t" + w + " limit 100000 rate 2m size 64-64 interface loop0 worker " + w
                + " node ethernet-input data { IP4: 1.2.3 -> de:ad:00:00:00:00 UDP: 198.18.0.2 -> 203.0.114.1 - 203.0.114.99 "
                + "UDP: 1234 -> 2345 incrementing 22 } }");
        }
        ok(vpp, "packet-generator enable-stream t0");
        ok(vpp, "packet-generator enable-stream t1");
        final long deadline = System.currentTimeMillis() + 10_000;
        while (port.sent.get() < 200_000 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(50);
        }
        System.out.printf("one-queue port: %d sent by %s%n", port.sent.get(), port.callers);
        assertEquals(200_000, port.sent.get(), "both workers' packets went out");
        assertEquals(java.util.Set.of("jvpp_wk_0 queue 0"), port.callers, "only the owning worker touched the queue");
        assertTrue(!ok(vpp, "show errors").contains("tx handoff queue full"), "no handed frame was dropped");
        Thread.sleep(100);
        assertEquals(0, vpp.pool().used());
    }
}
