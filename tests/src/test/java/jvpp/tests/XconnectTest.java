package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An L2 cross-connect pair with real traffic: two namespaces on one subnet, each behind a tap, the taps
 * cross-connected both ways; jvpp passes frames unchanged and learns nothing. Root only.
 */
@RequiresRoot
class XconnectTest
{
    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private String left;
    private String right;

    @BeforeEach
    void boot() throws Exception
    {
        left = net.name("xl");
        right = net.name("xr");
        net.ownNamespace(left);
        net.ownNamespace(right);
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket,
            "create netns " + left,
            "create netns " + right,
            "create tap id 0 host-if-name " + left + "0 host-ns " + left + " host-ip4-addr 10.40.0.1/24",
            "create tap id 1 host-if-name " + right + "0 host-ns " + right + " host-ip4-addr 10.40.0.2/24",
            "set interface l2 xconnect tap0 tap1",
            "set interface l2 xconnect tap1 tap0",
            "set interface state tap0 up",
            "set interface state tap1 up");
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

    @Test
    void shouldCarryTrafficBetweenTheCrossConnectedTapsUnchanged()
    {
        final Commands.Result r = HostNet.inNs(left, "ping", "-c", "3", "-W", "2", "10.40.0.2");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ttl=64"), "not routed:\n" + r.output());
        assertTrue(JvppProcess.ctl(socket, "show", "l2fib").out().contains("0 l2fib entries"), "nothing learned");
        assertTrue(JvppProcess.ctl(socket, "show", "errors").out().contains("L2 output packets"));
        // One direction only: undo tap1 -> tap0 and the replies stop.
        assertEquals(0, JvppProcess.ctl(socket, "set", "interface", "l3", "tap1").status());
        final Commands.Result oneWay = HostNet.inNs(left, "ping", "-c", "2", "-W", "1", "10.40.0.2");
        assertNotEquals(0, oneWay.status(), oneWay.output());
    }
}
