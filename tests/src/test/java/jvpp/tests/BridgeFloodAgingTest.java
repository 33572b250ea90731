package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.Subprocess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge domain's unknown-unicast flooding and MAC aging, seen from real namespaces. Three namespaces x, y,
 * z (IPv6 off, so the kernels stay quiet) on taps in bridge domain 1 with {@code mac-age 1}:
 * <ul>
 *   <li>x pings an address whose neighbor entry names a MAC nobody has: every frame arrives on y's and z's
 *       interfaces (their kernel rx counters), and none does once {@code set bridge-domain uu-flood 1 disable};
 *   <li>x then goes quiet while z keeps pinging y: within the minute plus the scanner's period x's MAC leaves
 *       the l2fib, y's and z's stay, and so does a static entry.
 * </ul>
 * About 80 seconds (the age is a whole minute, as in VPP). Root only.
 */
@RequiresRoot
class BridgeFloodAgingTest
{
    private static final String MAC_X = "02:50:00:00:00:11";
    private static final String MAC_Y = "02:50:00:00:00:12";
    private static final String MAC_Z = "02:50:00:00:00:13";
    private static final String NOBODY = "02:50:00:00:99:99";
    private static final int FRAMES = 20;

    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private final String[] ns = new String[3];
    private Subprocess background;

    @BeforeEach
    void boot() throws Exception
    {
        final String[] cli = new String[3 * 3 + 2];
        int k = 0;
        cli[k++] = "create bridge-domain 1 mac-age 1";
        final String[] macs = {MAC_X, MAC_Y, MAC_Z};
        for (int i = 0; i < 3; i++)
        {
            ns[i] = net.namespace("b" + "xyz".charAt(i));
            HostNet.run("ip", "netns", "exec", ns[i], "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            HostNet.run("ip", "netns", "exec", ns[i], "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            cli[k++] = "create tap id " + i + " host-if-name " + ns[i] + "0 host-ns " + ns[i] + " host-mac-addr "
                + macs[i] + " host-ip4-addr 10.50.0." + (11 + i) + "/24";
            cli[k++] = "set interface l2 bridge tap" + i + " 1";
            cli[k++] = "set interface state tap" + i + " up";
        }
        cli[k++] = "l2fib add 02:50:00:00:00:77 1 tap2 static";
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket, cli);
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

    private long rxPackets(final int i)
    {
        return HostNet.stat(ns[i], ns[i] + "0", "rx_packets");
    }

    /** x sends {@link #FRAMES} echo requests to a MAC no port has; returns what y and z received meanwhile. */
    private long[] floodFromX()
    {
        final long y = rxPackets(1);
        final long z = rxPackets(2);
        HostNet.inNs(ns[0], "ping", "-c", Integer.toString(FRAMES), "-i", "0.02", "-W", "1", "10.50.0.99");
        return new long[] {rxPackets(1) - y, rxPackets(2) - z};
    }

    private String l2fib()
    {
        return JvppProcess.ctl(socket, "show", "l2fib", "verbose").out();
    }

    @Test
    void shouldFloodUnknownUnicastToTheOtherPortsAndAgeOutIdleMacs() throws Exception
    {
        HostNet.run("ip", "-n", ns[0], "neigh", "replace", "10.50.0.99", "lladdr", NOBODY, "dev", ns[0] + "0",
            "nud", "permanent");
        final long[] flooded = floodFromX();
        assertTrue(flooded[0] >= FRAMES && flooded[1] >= FRAMES,
            "y and z each received the " + FRAMES + " unknown-unicast frames: " + flooded[0] + ", " + flooded[1]);
        assertEquals(0, JvppProcess.ctl(socket, "set", "bridge-domain", "uu-flood", "1", "disable").status());
        final long[] dropped = floodFromX();
        assertTrue(dropped[0] < FRAMES / 4 && dropped[1] < FRAMES / 4,
            "uu-flood off: y and z received " + dropped[0] + ", " + dropped[1]);
        assertTrue(JvppProcess.ctl(socket, "show", "errors").out().contains("uu-flood disabled"));

        // Aging: z keeps talking to y, x is idle from now on.
        assertEquals(0, HostNet.inNs(ns[2], "ping", "-c", "1", "-W", "2", "10.50.0.12").status());
        background = net.start("ip", "netns", "exec", ns[2], "ping", "-q", "-i", "0.5", "10.50.0.12");
        final String learned = l2fib();
        assertTrue(learned.contains(MAC_X) && learned.contains(MAC_Y) && learned.contains(MAC_Z), learned);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        String fib = learned;
        while (fib.contains(MAC_X) && System.nanoTime() < deadline)
        {
            Thread.sleep(2000);
            fib = l2fib();
        }
        assertFalse(fib.contains(MAC_X), "x's idle MAC aged out within 100 s:\n" + fib);
        assertTrue(fib.contains(MAC_Y) && fib.contains(MAC_Z), "active MACs stay:\n" + fib);
        assertTrue(fib.contains("02:50:00:00:00:77"), "static entries never age:\n" + fib);
        assertTrue(background.isAlive(), "the background ping ran throughout");
    }
}
