package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo router (two taps whose host sides live in namespaces jvpp creates, as conf/demo.conf) in each rx mode:
 * {@code set interface rx-mode} shows in {@code show interface rx-placement}, ping crosses it in every mode, and in
 * interrupt and adaptive mode an idle jvpp sleeps instead of spinning. Root only.
 *
 * <p>The CPU check is a behaviour check, not a speed test: the jvpp process's user + system time over 3 idle
 * seconds, from /proc/&lt;pid&gt;/stat, must stay under 20 % of one core. A sleeping jvpp uses well under 2 %; a
 * thread that spins uses 50-100 %; so failing this very loose bound means "it spins", never "it is slow".
 */
@RequiresRoot
class RxModeTest
{
    private static final long IDLE_MS = 3_000;
    private static final double SPINNING_SHARE = 0.20;

    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private String red;
    private String blue;

    private void boot(final String cpu, final String... extra) throws Exception
    {
        red = net.name("r");
        blue = net.name("b");
        net.ownNamespace(red);
        net.ownNamespace(blue);
        socket = dir.resolve("cli.sock");
        final String[] lines = {
            "create netns " + red,
            "create netns " + blue,
            "create tap id 0 host-if-name " + red + "0 host-ns " + red + " host-ip4-addr 10.10.1.2/24 host-ip4-gw 10.10.1.1",
            "set interface ip address tap0 10.10.1.1/24",
            "set interface state tap0 up",
            "create tap id 1 host-if-name " + blue + "0 host-ns " + blue + " host-ip4-addr 10.10.2.2/24 host-ip4-gw 10.10.2.1",
            "set interface ip address tap1 10.10.2.1/24",
            "set interface state tap1 up"};
        final String[] all = java.util.Arrays.copyOf(lines, lines.length + extra.length);
        System.arraycopy(extra, 0, all, lines.length, extra.length);
        jvpp = JvppProcess.startWithSections(dir, socket, cpu, all);
    }

    @AfterEach
    void stop() throws Exception
    {
        if (jvpp != null)
        {
            jvpp.close();
        }
        net.close();
    }

    private String ctl(final String... words)
    {
        final JvppProcess.Ctl r = JvppProcess.ctl(socket, words);
        assertEquals(0, r.status(), String.join(" ", words) + ": " + r.out() + r.err());
        return r.out();
    }

    private void assertPingCrosses()
    {
        final Commands.Result there = HostNet.inNs(red, "ping", "-c", "5", "-i", "0.05", "-W", "2", "10.10.2.2");
        assertEquals(0, there.status(), there.output());
        assertTrue(there.output().contains("ttl=63"), there.output());
        final Commands.Result own = HostNet.inNs(blue, "ping", "-c", "2", "-W", "2", "10.10.2.1");
        assertEquals(0, own.status(), "jvpp answers for itself:\n" + own.output());
    }

    /** User + system clock ticks of the jvpp process (all threads) over {@code IDLE_MS}, as a share of one core. */
    private double idleShare() throws Exception
    {
        Thread.sleep(500);
        final long t0 = System.nanoTime();
        final long j0 = jiffies();
        Thread.sleep(IDLE_MS);
        final long j1 = jiffies();
        final double seconds = (System.nanoTime() - t0) / 1e9;
        final double share = (j1 - j0) / 100.0 / seconds;
        System.out.printf("idle jvpp: %d ticks in %.1f s = %.1f %% of a core%n", j1 - j0, seconds, share * 100);
        return share;
    }

    private long jiffies() throws Exception
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(jvpp.process().pid()), "stat"));
        // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Test
    void shouldRouteInPollingMode() throws Exception
    {
        routeAndIdle("polling");
    }

    @Test
    void shouldRouteInInterruptModeAndSleepWhenIdle() throws Exception
    {
        routeAndIdle("interrupt");
    }

    @Test
    void shouldRouteInAdaptiveModeAndSleepWhenIdle() throws Exception
    {
        routeAndIdle("adaptive");
    }

    private void routeAndIdle(final String mode) throws Exception
    {
        boot("");
        ctl("set", "interface", "rx-mode", "tap0", mode);
        ctl("set", "interface", "rx-mode", "tap1", mode);
        final String placement = ctl("show", "interface", "rx-placement");
        assertTrue(placement.contains("tap0 queue 0 (" + mode + ")") && placement.contains("tap1 queue 0 (" + mode + ")"),
            placement);
        assertPingCrosses();
        if (!mode.equals("polling"))
        {
            final double share = idleShare();
            assertTrue(share < SPINNING_SHARE, mode + ": an idle jvpp used " + Math.round(share * 100) + " % of a core");
        }
        assertPingCrosses();
    }

    @Test
    void shouldStartTapsAdaptiveAndLetAnIdleWorkerAndMainSleep() throws Exception
    {
        boot("cpu { workers 1 }\n");
        final String placement = ctl("show", "interface", "rx-placement");
        assertTrue(placement.contains("Thread 1 (jvpp_wk_0):") && placement.contains("tap0 queue 0 (adaptive)"), placement);
        assertPingCrosses();
        final double share = idleShare();
        assertTrue(share < SPINNING_SHARE, "an idle jvpp with a worker used " + Math.round(share * 100) + " % of a core");
        ctl("set", "interface", "rx-mode", "tap0", "interrupt");
        assertTrue(ctl("show", "interface", "rx-placement").contains("tap0 queue 0 (interrupt)"),
            "a command reaches the sleeping worker through the barrier");
        assertPingCrosses();
    }

    @Test
    void shouldTakeTheDefaultRxModeFromTheCpuSection() throws Exception
    {
        boot("cpu { rx-mode polling }\n");
        final String placement = ctl("show", "interface", "rx-placement");
        assertTrue(placement.contains("tap0 queue 0 (polling)") && placement.contains("tap1 queue 0 (polling)"), placement);
        assertPingCrosses();
    }
}
