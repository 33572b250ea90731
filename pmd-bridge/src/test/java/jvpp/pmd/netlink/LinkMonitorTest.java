package jvpp.pmd.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RequiresRoot("creating and deleting veth pairs")
class LinkMonitorTest
{
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private record Seen(int index, boolean exists, boolean up)
    {
    }

    private final HostNet host = new HostNet();
    private LinkMonitor monitor;
    private final Map<String, Seen> last = new ConcurrentHashMap<>();
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void cleanUp()
    {
        if (monitor != null)
        {
            monitor.close();
        }
        host.close();
    }

    private void record(final String name, final int index, final boolean exists, final boolean up)
    {
        if (host.named(name))
        {
            last.put(name, new Seen(index, exists, up));
            log.add(name + (exists ? (up ? " up" : " down") : " gone"));
        }
    }

    private void await(final String name, final Predicate<Seen> what, final String description)
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline)
        {
            final Seen seen = last.get(name);
            if (seen != null && what.test(seen))
            {
                return;
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail(name + " never seen " + description + " within 5 s; events: " + log);
    }

    @Test
    void shouldReportVethDeletedAndRecreated()
    {
        final String a = host.link("a");
        final String b = host.link("b");
        monitor = new LinkMonitor().addListener(this::record).start();
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(a, b);
            await(a, s -> s.exists() && !s.up(), "created");
            rt.setLinkUp(a, true);
            rt.setLinkUp(b, true);
            await(a, s -> s.exists() && s.up(), "up");

            rt.deleteLink(b);
            await(a, s -> !s.exists(), "deleted with its peer");
            await(b, s -> !s.exists(), "deleted");

            rt.createVeth(a, b);
            await(a, Seen::exists, "re-created");
            rt.setLinkUp(a, true);
            rt.setLinkUp(b, true);
            await(a, s -> s.exists() && s.up(), "up again");
            rt.setLinkUp(b, false);
            await(a, s -> s.exists() && !s.up(), "down when its peer goes down (no carrier)");
        }
        assertTrue(monitor.events() > 0);
    }

    @Test
    void shouldReportLinkGoneWhenItsNamespaceIsDeleted()
    {
        final String ns = host.netns("n");
        final String a = host.link("a");
        final String b = host.link("b");
        NetNs.create(ns);
        monitor = new LinkMonitor().addListener(this::record).start();
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(a, b);
            final int fd = NetNs.open(ns);
            try
            {
                rt.setLinkNetns(b, fd);
            }
            finally
            {
                NetNs.close(fd);
            }
            await(b, s -> !s.exists(), "gone from the root namespace when moved");
            await(a, Seen::exists, "present");
            NetNs.delete(ns);
            await(a, s -> !s.exists(), "gone when the peer's namespace is deleted");
        }
    }

    @Test
    void shouldResyncWhenEventsOverflowTheSocket() throws InterruptedException
    {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final int pairs = 12;
        final String[] as = new String[pairs];
        final String[] bs = new String[pairs];
        for (int i = 0; i < pairs; i++)
        {
            as[i] = host.link("a" + Integer.toString(i, 36));
            bs[i] = host.link("b" + Integer.toString(i, 36));
        }
        final String trigger = host.link("t");
        final String triggerPeer = host.link("u");
        monitor = new LinkMonitor(null, 1).addListener((name, index, exists, up) -> {
            if (name.equals(trigger) && stalled.getCount() > 0)
            {
                stalled.countDown();
                try
                {
                    release.await(5, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }).addListener(this::record).start();
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(trigger, triggerPeer);
            assertTrue(stalled.await(5, TimeUnit.SECONDS), "the listener stalls the monitor");
            for (int i = 0; i < pairs; i++)
            {
                rt.createVeth(as[i], bs[i]);
                rt.setLinkUp(as[i], true);
            }
            for (int i = 0; i < pairs / 2; i++)
            {
                rt.deleteLink(as[i]);
            }
            release.countDown();
            for (int i = 0; i < pairs; i++)
            {
                if (i < pairs / 2)
                {
                    final Seen seen = last.get(as[i]);
                    // deleted while events were lost: never heard of, or heard of and then gone
                    final String name = as[i];
                    if (seen != null)
                    {
                        await(name, s -> !s.exists(), "gone");
                    }
                }
                else
                {
                    await(as[i], Seen::exists, "present after the resync");
                    await(bs[i], Seen::exists, "present after the resync");
                }
            }
        }
        assertTrue(monitor.resyncs() >= 1, "ENOBUFS led to a resync; events " + monitor.events());
    }

    @Test
    void shouldStopPromptlyWhenClosed()
    {
        monitor = new LinkMonitor().start();
        final long start = System.nanoTime();
        monitor.close();
        monitor.close();
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 1000, "closed in " + ms + " ms");
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("jvpp-link-monitor") && t.isAlive()), "monitor thread ended");
        assertEquals(0, monitor.resyncs());
    }
}
