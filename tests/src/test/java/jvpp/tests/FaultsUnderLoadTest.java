package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.function.BooleanSupplier;
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
 * Faults while traffic flows. Namespace a pings namespace b through jvpp (taps) every 20 ms for the whole test
 * while the other interfaces are hurt one after the other: the namespace of a container on tap2 is killed and
 * made again, tap2's host device is deleted, the veth behind host-interface host-&lt;veth&gt; is deleted and made
 * again. Each time the hurt interface goes link-down with its reason, the router keeps running, a↔b loses
 * nothing, the configuration stays, and the interface comes back and forwards. Root only.
 */
@RequiresRoot
class FaultsUnderLoadTest
{
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private String a;
    private String b;
    private String c;
    private String d;
    private String veth;
    private Subprocess load;

    @BeforeEach
    void boot() throws Exception
    {
        a = net.name("fa");
        b = net.name("fb");
        c = net.name("fc");
        net.ownNamespace(a);
        net.ownNamespace(b);
        net.ownNamespace(c);
        d = net.namespace("fd");
        veth = net.name("fv");
        net.ownLink(veth);
        createVeth();
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket,
            "create netns " + a,
            "create netns " + b,
            "create netns " + c,
            "create tap id 0 host-if-name " + a + "0 host-ns " + a + " host-ip4-addr 10.70.1.2/24 host-ip4-gw 10.70.1.1",
            "create tap id 1 host-if-name " + b + "0 host-ns " + b + " host-ip4-addr 10.70.2.2/24 host-ip4-gw 10.70.2.1",
            "create tap id 2 host-if-name " + c + "0 host-ns " + c + " host-ip4-addr 10.70.3.2/24 host-ip4-gw 10.70.3.1",
            "create host-interface name " + veth,
            "set interface ip address tap0 10.70.1.1/24",
            "set interface ip address tap1 10.70.2.1/24",
            "set interface ip address tap2 10.70.3.1/24",
            "set interface ip address host-" + veth + " 10.70.4.1/24",
            "set interface state tap0 up",
            "set interface state tap1 up",
            "set interface state tap2 up",
            "set interface state host-" + veth + " up");
    }

    /** The container's veth: its end in namespace d with 10.70.4.2/24 and a default route via jvpp. */
    private void createVeth()
    {
        HostNet.vethInto(d, veth, veth + "p", "10.70.4.2/24", "10.70.4.1");
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

    private String hardware(final String ifc)
    {
        return JvppProcess.ctl(socket, "show", "hardware-interfaces", ifc).out();
    }

    private static void await(final String what, final BooleanSupplier done) throws InterruptedException
    {
        assertTrue(HostNet.within(15_000, done), "not within 15 s: " + what);
    }

    private static boolean ping(final String ns, final String to)
    {
        return HostNet.inNs(ns, "ping", "-c", "1", "-W", "1", to).status() == 0;
    }

    @Test
    void shouldKeepForwardingAndBringEachHurtInterfaceBack() throws Exception
    {
        assertTrue(ping(a, "10.70.2.2") && ping(c, "10.70.1.2") && ping(d, "10.70.1.2"), "all up before");
        load = net.start("ip", "netns", "exec", a, "ping", "-i", "0.02", "10.70.2.2");
        Thread.sleep(300);

        // 1. The container's namespace dies (its devices with it), then a new one of the same name appears.
        HostNet.run("ip", "netns", "del", c);
        await("tap2 down: device gone", () -> hardware("tap2").contains("Link down: device gone"));
        assertTrue(ping(a, "10.70.2.2"), "a<->b unaffected");
        HostNet.run("ip", "netns", "add", c);
        await("tap2 re-created in the new " + c + " and forwarding", () -> ping(c, "10.70.1.2"));
        assertTrue(JvppProcess.ctl(socket, "show", "interface", "address").out().contains("10.70.3.1/24"));

        // 2. The tap's host device is deleted under it: re-created at once (its namespace is there).
        HostNet.run("ip", "-n", c, "link", "del", c + "0");
        await("tap2 back after its device was deleted", () -> ping(c, "10.70.1.2"));

        // 3. The veth behind the host-interface is deleted, then made again.
        HostNet.run("ip", "link", "del", veth);
        await("host-interface down: removed", () -> hardware("host-" + veth).contains("kernel device " + veth
            + " removed"));
        assertTrue(ping(a, "10.70.2.2"), "a<->b unaffected");
        createVeth();
        await("host-interface back and forwarding", () -> ping(d, "10.70.1.2"));

        // The load runs on for 2 s once all is back: forwarding after the recovery counts too, and the count is
        // over 100 however quickly the router recovers (the three faults took ~1.9 s with rx modes, ~3.8 s before).
        Thread.sleep(2_000);
        // The load never stopped: stop it (SIGINT prints the summary) and count.
        HostNet.run("kill", "-INT", Long.toString(load.pid()));
        final Commands.Result stopped = load.await(Duration.ofSeconds(5));
        final String out = stopped.output();
        assertFalse(stopped.timedOut(), out);
        final Matcher m = PING_SUMMARY.matcher(out);
        assertTrue(m.find(), out);
        final long sent = Long.parseLong(m.group(1));
        final long received = Long.parseLong(m.group(2));
        System.out.printf("faults-under-load: a->b %d sent, %d received during 3 faults (netns killed, tap device deleted, veth deleted)%n",
            sent, received);
        assertTrue(sent > 100, out);
        assertTrue(received >= sent - 1, "a<->b lost " + (sent - received) + " of " + sent + " during the faults");
        assertTrue(jvpp.process().isAlive(), "the router never exited");
        final String events = hardware("tap2");
        assertTrue(events.contains("Link down events: 2"), events);
        for (final String ifc : List.of("tap0", "tap1", "tap2", "host-" + veth))
        {
            assertTrue(!hardware(ifc).contains("Link down:"), ifc + " up at the end:\n" + hardware(ifc));
        }
        assertEquals(0, JvppProcess.ctl(socket, "show", "version").status());
    }
}
