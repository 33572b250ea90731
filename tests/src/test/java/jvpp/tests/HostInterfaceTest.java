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
 * routed to another namespace behind a tap (and, for the host-interface to host-interface path, to a third behind a
 * second veth); TCP with the veths' default offloads (TSO, GSO, checksum offload) both ways, checked by SHA-256 and
 * iperf3, jumbo pings; then the veth is deleted under traffic and re-created: the interface goes down with the
 * reason, the router keeps running and its configuration, and it comes back. Root only.
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
    private String other;
    private String veth2;

    @BeforeEach
    void names()
    {
        app = net.namespace("a");
        db = net.name("d");
        net.ownNamespace(db);
        veth = net.name("v");
        net.ownLink(veth);
        createVeth();
    }

    /** jvpp routing the veth's host-interface (created with {@code options}) and a tap. */
    private void boot(final String options, final String... more) throws Exception
    {
        socket = dir.resolve("cli.sock");
        final String[] cli = {
            "create host-interface name " + veth + " hw-addr 02:fe:00:00:aa:01" + options,
            "set interface ip address host-" + veth + " 10.20.1.1/24",
            "set interface state host-" + veth + " up",
            "create netns " + db,
            "create tap id 0 host-if-name " + db + "0 host-ns " + db + " host-ip4-addr 10.20.2.2/24 host-ip4-gw 10.20.2.1",
            "set interface ip address tap0 10.20.2.1/24",
            "set interface state tap0 up"};
        final String[] all = java.util.Arrays.copyOf(cli, cli.length + more.length);
        System.arraycopy(more, 0, all, cli.length, more.length);
        jvpp = JvppProcess.startWithCli(dir, socket, all);
    }

    /** {@link #boot} with a second container namespace {@code other} on veth {@code veth2} (10.20.3.2/24). */
    private void bootWithSecondVeth() throws Exception
    {
        other = net.namespace("c");
        veth2 = net.name("w");
        net.ownLink(veth2);
        HostNet.vethInto(other, veth2, veth2 + "p", "10.20.3.2/24", "10.20.3.1");
        boot("", "create host-interface name " + veth2 + " hw-addr 02:fe:00:00:aa:02",
            "set interface ip address host-" + veth2 + " 10.20.3.1/24",
            "set interface state host-" + veth2 + " up");
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

    /** Nothing was dropped for a reason that says the AF_PACKET path cannot carry what the veth hands it. */
    private void assertNoOversizeDrops()
    {
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertFalse(errors.contains("larger than a buffer") || errors.contains("virtio-net header"), errors);
    }

    /** 50 MB by SHA-256 and 3 s of iperf3 from the container to {@code peer} at {@code address}, then back. */
    private void assertTcpBothWays(final String peer, final String address) throws Exception
    {
        TcpTransfer.assertArrivesIntact(net, app, peer, address, 50);
        TcpTransfer.assertArrivesIntact(net, peer, app, "10.20.1.2", 50);
        TcpTransfer.assertIperf3Runs(net, app, peer, address);
        TcpTransfer.assertIperf3Runs(net, peer, app, "10.20.1.2");
    }

    @Test
    void shouldRouteAContainerOnAVethToANamespaceBehindATap() throws Exception
    {
        boot("");
        final Commands.Result r = HostNet.inNs(app, "ping", "-c", "3", "-W", "2", "10.20.2.2");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ttl=63"), r.output());
    }

    /**
     * TCP from the namespace behind the tap (default gso: the kernel hands jvpp 64 KB super-frames) out through a
     * host-interface with {@code cksum-gso-disable}, which takes no GSO: gso cuts each super-frame into
     * MSS-sized segments. 20 MB checked by SHA-256, then 3 s of iperf3; never a speed.
     */
    @Test
    @RequiresRoot(commands = {"ip", "ping", "python3", "iperf3"})
    void shouldCarryTcpFromATapWithGsoOutThroughTheHostInterfaceSegmentedInSoftware() throws Exception
    {
        boot(" cksum-gso-disable");
        assertTrue(hardware().contains("offloads none"), hardware());
        TcpTransfer.assertArrivesIntact(net, db, app, "10.20.1.2", 20);
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertTrue(errors.contains("GSO frames segmented"), "the tap's super-frames were cut by gso:\n" + errors);
        assertFalse(errors.contains("no buffer for a GSO segment") || errors.contains("GSO type not segmented"), errors);
        TcpTransfer.assertIperf3Runs(net, db, app, "10.20.1.2");
    }

    /**
     * TCP from the container's veth with its default offloads (TSO: 64 KB super-frames with partial checksums) in
     * through the host-interface to the tap, and back: each super-frame crosses as one packet with its virtio-net
     * header's GSO metadata, none is dropped as too large, and the tap takes it whole. 50 MB each way checked by
     * SHA-256, then 3 s of iperf3 each way; never a speed.
     */
    @Test
    @RequiresRoot(commands = {"ip", "ping", "python3", "iperf3"})
    void shouldCarryTcpBothWaysBetweenAVethWithDefaultOffloadsAndATap() throws Exception
    {
        boot("");
        assertTrue(hardware().contains("offloads gso csum-offload"), hardware());
        assertTcpBothWays(db, "10.20.2.2");
        assertNoOversizeDrops();
        assertTrue(hardware().contains("read or written whole"), "super-frames went whole:\n" + hardware());
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertFalse(errors.contains("GSO frames segmented"), "nothing needed software GSO:\n" + errors);
    }

    /**
     * Two containers on veths with default offloads, each behind its own host-interface: TCP both ways (50 MB by
     * SHA-256, iperf3 each way), and a jumbo {@code ping -M do -s 8000} at MTU 9000 on both veths.
     */
    @Test
    @RequiresRoot(commands = {"ip", "ping", "python3", "iperf3"})
    void shouldCarryTcpAndJumboPingsBetweenTwoHostInterfaces() throws Exception
    {
        bootWithSecondVeth();
        assertTcpBothWays(other, "10.20.3.2");
        for (final String[] end : new String[][] {{app, veth}, {other, veth2}})
        {
            HostNet.run("ip", "link", "set", end[1], "mtu", "9000");
            HostNet.run("ip", "-n", end[0], "link", "set", end[1] + "p", "mtu", "9000");
        }
        final Commands.Result ping = HostNet.inNs(app, "ping", "-c", "3", "-W", "2", "-M", "do", "-s", "8000",
            "10.20.3.2");
        assertEquals(0, ping.status(), ping.output());
        assertTrue(ping.output().contains("8008 bytes from 10.20.3.2"), ping.output());
        assertNoOversizeDrops();
    }

    @Test
    void shouldGoDownWithTheReasonAndComeBackWhenTheVethIsDeletedAndRecreated() throws Exception
    {
        boot("");
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
