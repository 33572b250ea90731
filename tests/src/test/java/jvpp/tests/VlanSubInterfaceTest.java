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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VLAN sub-interfaces with real tagged traffic on a veth pair. The router's end is an AF_PACKET
 * host-interface with two sub-interfaces: {@code .100} routed (10.41.0.1/24) and {@code .7} (dot1q 200) bridged
 * to an untagged tap into an "access" namespace (10.42.0.3/24). The other end is the VLAN host: a second
 * jvpp with sub-interfaces for VLAN 100 (10.41.0.2) and VLAN 200 (10.42.0.2), since this kernel has neither
 * 802.1Q VLAN devices nor a bridge ({@code ip link add ... type vlan}: "Unknown device type"). The peer only
 * delivers a frame to an address of a sub-interface when it carries that sub-interface's tag. Root only.
 */
@RequiresRoot
class VlanSubInterfaceTest
{
    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess router;
    private JvppProcess peer;
    private Path routerSocket;
    private Path peerSocket;
    private String access;
    private String trunk;

    @BeforeEach
    void boot() throws Exception
    {
        access = net.name("va");
        net.ownNamespace(access);
        trunk = net.name("vv");
        final String peerEnd = net.name("vw");
        net.ownLink(trunk);
        HostNet.run("ip", "link", "add", trunk, "type", "veth", "peer", "name", peerEnd);
        HostNet.run("ip", "link", "set", trunk, "up");
        HostNet.run("ip", "link", "set", peerEnd, "up");
        routerSocket = dir.resolve("router.sock");
        final String host = "host-" + trunk;
        router = JvppProcess.startWithCli(Files.createDirectory(dir.resolve("router")), routerSocket,
            "create host-interface name " + trunk,
            "set interface state " + host + " up",
            "create sub-interfaces " + host + " 100",
            "set interface ip address " + host + ".100 10.41.0.1/24",
            "set interface state " + host + ".100 up",
            "create sub-interfaces " + host + " 7 dot1q 200",
            "set interface l2 bridge " + host + ".7 1",
            "set interface state " + host + ".7 up",
            "create netns " + access,
            "create tap id 0 host-if-name " + access + "0 host-ns " + access + " host-ip4-addr 10.42.0.3/24",
            "set interface l2 bridge tap0 1",
            "set interface state tap0 up");
        peerSocket = dir.resolve("peer.sock");
        final String p = "host-" + peerEnd;
        peer = JvppProcess.startWithCli(Files.createDirectory(dir.resolve("peer")), peerSocket,
            "create host-interface name " + peerEnd,
            "set interface state " + p + " up",
            "create sub-interfaces " + p + " 100",
            "set interface ip address " + p + ".100 10.41.0.2/24",
            "set interface state " + p + ".100 up",
            "create sub-interfaces " + p + " 200",
            "set interface ip address " + p + ".200 10.42.0.2/24",
            "set interface state " + p + ".200 up");
    }

    @AfterEach
    void stop() throws Exception
    {
        if (peer != null)
        {
            peer.close();
        }
        if (router != null)
        {
            router.close();
        }
        net.close();
    }

    private static String ping(final Path socket, final String address)
    {
        return JvppProcess.ctl(socket, "ping", address, "repeat", "3").out();
    }

    @Test
    void shouldRouteOnVlan100AndBridgeVlan200ToAnUntaggedPort()
    {
        final String host = "host-" + trunk;
        // VLAN 100: ARP and ping answered by the router's sub-interface, tagged both ways.
        final String routed = ping(peerSocket, "10.41.0.1");
        assertTrue(routed.contains("3 sent, 3 received"), routed);
        final String subShow = JvppProcess.ctl(routerSocket, "show", "interface", host + ".100").out();
        assertTrue(subShow.contains("rx packets") && subShow.contains("tx packets"), subShow);

        // VLAN 200: bridged, the tag popped towards the untagged access namespace and pushed back; Linux in
        // the access namespace answers and pings the VLAN host itself.
        final String bridged = ping(peerSocket, "10.42.0.3");
        assertTrue(bridged.contains("received") && !bridged.contains(" 0 received"), bridged);
        final Commands.Result linux = HostNet.inNs(access, "ping", "-c", "3", "-W", "2", "10.42.0.2");
        assertEquals(0, linux.status(), linux.output());
        assertTrue(linux.output().contains("ttl=64"), "bridged, not routed:\n" + linux.output());
        final String fib = JvppProcess.ctl(routerSocket, "show", "l2fib", "verbose").out();
        assertTrue(fib.contains(host + ".7") && fib.contains("tap0"), fib);

        // Down, the sub-interface drops VLAN 100 ("subinterface down"); VLAN 200 carries on.
        assertEquals(0, JvppProcess.ctl(routerSocket, "set", "interface", "state", host + ".100", "down").status());
        assertTrue(ping(peerSocket, "10.41.0.1").contains(" 0 received"));
        assertTrue(JvppProcess.ctl(routerSocket, "show", "errors").out().contains("subinterface down"));
        assertEquals(0, HostNet.inNs(access, "ping", "-c", "1", "-W", "2", "10.42.0.2").status());
    }
}
