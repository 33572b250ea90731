package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.Subprocess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container-like namespace attached through a veth whose jvpp end is an AF_PACKET host-interface,
 * routed to another namespace behind a tap; then the veth is deleted under traffic and re-created: the
 * interface goes down with the reason, the router keeps running and its configuration, and it comes back.
 * Root only.
 */
@RequiresRoot
class HostInterfaceTest
{
    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private String app;
    private String db;
    private String veth;

    @BeforeEach
    void boot() throws Exception
    {
        app = net.namespace("a");
        db = net.name("d");
        net.ownNamespace(db);
        veth = net.name("v");
        net.ownLink(veth);
        createVeth();
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket,
            "create host-interface name " + veth + " hw-addr 02:fe:00:00:aa:01",
            "set interface ip address host-" + veth + " 10.20.1.1/24",
            "set interface state host-" + veth + " up",
            "create netns " + db,
            "create tap id 0 host-if-name " + db + "0 host-ns " + db + " host-ip4-addr 10.20.2.2/24 host-ip4-gw 10.20.2.1",
            "set interface ip address tap0 10.20.2.1/24",
            "set interface state tap0 up");
    }

    /** The container's veth: its end in namespace app with 10.20.1.2/24 and a default route via jvpp. */
    private void createVeth()
    {
        HostNet.vethInto(app, veth, veth + "p", "10.20.1.2/24", "10.20.1.1");
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

    private boolean pingDb()
    {
        return HostNet.inNs(app, "ping", "-c", "2", "-W", "2", "10.20.2.2").status() == 0;
    }

    private String hardware()
    {
        return JvppProcess.ctl(socket, "show", "hardware-interfaces", "host-" + veth).out();
    }

    @Test
    void shouldRouteAContainerOnAVethToANamespaceBehindATap()
    {
        final Commands.Result r = HostNet.inNs(app, "ping", "-c", "3", "-W", "2", "10.20.2.2");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ttl=63"), r.output());
    }

    /**
     * TCP from the namespace behind the tap (default gso: the kernel hands jvpp 64 KB super-frames) out through the
     * host-interface, which takes no GSO: gso cuts each super-frame into MSS-sized segments. 20 MB checked by
     * SHA-256, then 3 s of iperf3; never a speed.
     */
    @Test
    @RequiresRoot(commands = {"ip", "ping", "python3", "iperf3"})
    void shouldCarryTcpFromATapWithGsoOutThroughTheHostInterfaceSegmentedInSoftware() throws Exception
    {
        TcpTransfer.assertArrivesIntact(net, db, app, "10.20.1.2", 20);
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertTrue(errors.contains("GSO frames segmented"), "the tap's super-frames were cut by gso:\n" + errors);
        assertFalse(errors.contains("no buffer for a GSO segment") || errors.contains("GSO type not segmented"), errors);
        TcpTransfer.assertIperf3Runs(net, db, app, "10.20.1.2");
    }

    @Test
    void shouldGoDownWithTheReasonAndComeBackWhenTheVethIsDeletedAndRecreated() throws Exception
    {
        assertTrue(pingDb(), "works before");
        // Traffic running while the device goes.
        final Subprocess flood = net.start("ip", "netns", "exec", app, "ping", "-i", "0.05", "-w", "3", "10.20.2.2");
        try
        {
            Thread.sleep(500);
            HostNet.run("ip", "link", "del", veth);
            HostNet.within(5_000, () -> hardware().contains("kernel device " + veth + " removed"));
            final String down = hardware();
            assertTrue(down.contains("Link down: kernel device " + veth + " removed"), down);
            assertTrue(down.contains("Link down events: 1"), down);
            assertTrue(jvpp.process().isAlive(), "the router keeps running");
            assertTrue(JvppProcess.ctl(socket, "show", "interface", "address").out().contains("L3 10.20.1.1/24"),
                "configuration kept");
        }
        finally
        {
            flood.await(Duration.ofSeconds(10));
        }
        createVeth();
        final boolean back = HostNet.within(10_000, () -> !hardware().contains("Link down:") && pingDb());
        assertTrue(back, "back up and forwarding after the veth returns:\n" + hardware());
    }
}
