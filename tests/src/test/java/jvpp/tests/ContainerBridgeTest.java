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
 * The shipped container scenario (conf/containers.cli): three namespaces bridged in domain 1 through taps, a
 * loopback BVI as their gateway, a routed uplink namespace; real ping traffic. Namespace names are made unique
 * to this run. Root only.
 */
@RequiresRoot
class ContainerBridgeTest
{
    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private final String[] containers = new String[3];
    private String uplink;

    @BeforeEach
    void boot() throws Exception
    {
        final Path repo = Path.of(System.getProperty("user.dir")).getParent();
        String cli = Files.readString(repo.resolve("conf/containers.cli"));
        for (int i = 0; i < 3; i++)
        {
            containers[i] = net.name("c" + (i + 1));
            net.ownNamespace(containers[i]);
            cli = cli.replace("netns c" + (i + 1) + "\n", "netns " + containers[i] + "\n")
                .replace("host-ns c" + (i + 1) + " ", "host-ns " + containers[i] + " ");
        }
        uplink = net.name("up");
        net.ownNamespace(uplink);
        cli = cli.replace("netns uplink\n", "netns " + uplink + "\n").replace("host-ns uplink ", "host-ns " + uplink + " ");
        assertTrue(cli.contains("host-ns " + uplink) && cli.contains("host-ns " + containers[2]),
            "conf/containers.cli changed: update this test");
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

    private static Commands.Result ping(final String ns, final String to, final int count)
    {
        return HostNet.inNs(ns, "ping", "-c", Integer.toString(count), "-W", "2", to);
    }

    private String ctl(final String... words)
    {
        return JvppProcess.ctl(socket, words).out();
    }

    @Test
    void shouldBridgeContainersAndLearnTheirMacs()
    {
        final Commands.Result r = ping(containers[0], "10.20.0.12", 3);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ttl=64"), "bridged, not routed:\n" + r.output());
        final Commands.Result r2 = ping(containers[2], "10.20.0.11", 2);
        assertEquals(0, r2.status(), r2.output());
        final String fib = ctl("show", "l2fib", "verbose");
        for (final String tap : new String[] {"tap0", "tap1", "tap2"})
        {
            assertTrue(fib.contains(tap), tap + " learned:\n" + fib);
        }
        assertTrue(fib.contains("loop0"), "the BVI's static entry:\n" + fib);
        final String errors = ctl("show", "errors");
        assertTrue(errors.contains("L2 flood copies made"), "the first ARP request was flooded:\n" + errors);
        final String bd = ctl("show", "bridge-domain", "1", "detail");
        assertTrue(bd.contains("loop0") && bd.contains("tap2"), bd);
    }

    @Test
    void shouldRouteBetweenContainersAndUplinkThroughTheBvi()
    {
        final Commands.Result gw = ping(containers[1], "10.20.0.1", 2);
        assertEquals(0, gw.status(), "the BVI answers for itself:\n" + gw.output());
        final Commands.Result out = ping(containers[0], "10.30.0.2", 3);
        assertEquals(0, out.status(), out.output());
        assertTrue(out.output().contains("ttl=63"), "routed once by jvpp:\n" + out.output());
        final Commands.Result in = ping(uplink, "10.20.0.13", 2);
        assertEquals(0, in.status(), "uplink to a container through the BVI:\n" + in.output());
        final String neighbors = ctl("show", "ip", "neighbors");
        assertTrue(neighbors.contains("10.20.0.11") && neighbors.contains("loop0"), neighbors);
    }

    @Test
    void shouldForgetAMacWhenClearedAndFloodUntilRelearned()
    {
        assertEquals(0, ping(containers[0], "10.20.0.12", 1).status());
        ctl("clear", "l2fib");
        // The containers' own background traffic (IPv6 ND, ARP refresh) may be relearned at once, so the exact
        // count after a clear is asserted in-process (L2BridgeTest); here: the BVI's entry survives it.
        assertTrue(ctl("show", "l2fib", "verbose").contains("loop0"), "the BVI entry stays");
        final Commands.Result r = ping(containers[0], "10.20.0.12", 2);
        assertEquals(0, r.status(), r.output());
        assertTrue(ctl("show", "l2fib", "verbose").contains("tap1"), "relearned");
    }
}
