package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.pmd.testing.RequiresDpdk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvpp booted with a {@code dpdk { }} section: two namespaces on veths whose other ends are DPDK
 * {@code net_af_packet} vdevs, no hugepages, zero-copy mbufs; real ping through it. And a bad vdev: the boot
 * fails naming the config and the device. Root and DPDK (the shim built against libdpdk) only.
 */
@RequiresRoot
@RequiresDpdk
class DpdkRouterTest
{
    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;

    @AfterEach
    void stop() throws Exception
    {
        if (jvpp != null)
        {
            jvpp.close();
        }
        net.close();
    }

    private String side(final String prefix, final String address, final String gateway)
    {
        final String ns = net.namespace(prefix);
        final String root = net.name(prefix + "r");
        net.ownLink(root);
        HostNet.vethInto(ns, root, "eth0", address, gateway);
        return root;
    }

    @Test
    void shouldRoutePingBetweenNamespacesThroughAfPacketVdevsWithoutHugepages() throws Exception
    {
        final String a = side("da", "10.40.1.2/24", "10.40.1.1");
        final String b = side("db", "10.40.2.2/24", "10.40.2.1");
        final String nsA = net.name("da");
        Files.writeString(dir.resolve("setup.cli"), String.join("\n",
            "set interface ip address net_af_packet0 10.40.1.1/24",
            "set interface ip address net_af_packet1 10.40.2.1/24",
            "set interface state net_af_packet0 up",
            "set interface state net_af_packet1 up", ""));
        final Path socket = dir.resolve("cli.sock");
        final Path conf = dir.resolve("dpdk.conf");
        Files.writeString(conf, "unix { cli-listen " + socket + " startup-config setup.cli }\n"
            + "buffers { buffers-per-numa 8192 page-size 4k }\n"
            + "dpdk { no-pci no-huge file-prefix " + net.name("v") + " vdev net_af_packet0,iface=" + a
            + ",qdisc_bypass=1 vdev net_af_packet1,iface=" + b + ",qdisc_bypass=1 }\n");
        jvpp = JvppProcess.start(conf, dir);
        jvpp.awaitReady(socket);
        assertTrue(jvpp.stderr().contains("zero-copy mbufs in the buffer arena"), jvpp.stderr());
        final Commands.Result r = HostNet.inNs(nsA, "ping", "-c", "3", "-W", "2", "10.40.2.2");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ttl=63"), r.output());
        final String hw = JvppProcess.ctl(socket, "show", "hardware-interfaces", "net_af_packet1").out();
        assertTrue(hw.contains("dpdk") && hw.contains("zero-copy"), hw);
        jvpp.terminate();
    }

    @Test
    void shouldRouteBetweenAnAfPacketVdevAndATapVdev() throws Exception
    {
        final String a = side("dc", "10.41.1.2/24", "10.41.1.1");
        final String nsA = net.name("dc");
        final String nsB = net.namespace("dt");
        final String tap = net.name("dtap");
        Files.writeString(dir.resolve("setup.cli"), String.join("\n",
            "set interface ip address net_af_packet0 10.41.1.1/24",
            "set interface ip address net_tap0 10.41.2.1/24",
            "set interface state net_af_packet0 up",
            "set interface state net_tap0 up", ""));
        final Path socket = dir.resolve("cli.sock");
        final Path conf = dir.resolve("dpdk.conf");
        Files.writeString(conf, "unix { cli-listen " + socket + " startup-config setup.cli }\n"
            + "buffers { buffers-per-numa 8192 page-size 4k }\n"
            + "dpdk { no-pci no-huge file-prefix " + net.name("t") + " vdev net_af_packet0,iface=" + a
            + ",qdisc_bypass=1 vdev net_tap0,iface=" + tap + " }\n");
        jvpp = JvppProcess.start(conf, dir);
        jvpp.awaitReady(socket);
        // net_tap's kernel end: into namespace B, addressed, default route via jvpp (as the shared bench does).
        HostNet.run("ip", "link", "set", tap, "netns", nsB);
        HostNet.run("ip", "-n", nsB, "addr", "add", "10.41.2.2/24", "dev", tap);
        HostNet.run("ip", "-n", nsB, "link", "set", tap, "up");
        HostNet.run("ip", "-n", nsB, "route", "add", "default", "via", "10.41.2.1");
        final Commands.Result r = HostNet.inNs(nsA, "ping", "-c", "3", "-W", "2", "10.41.2.2");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ttl=63"), r.output());
        jvpp.terminate();
    }

    @Test
    void shouldGoDownAndComeBackWhenAnAfPacketVdevLosesItsKernelInterfaceWhileTheOtherForwards() throws Exception
    {
        final String a = side("dfa", "10.42.1.2/24", "10.42.1.1");
        final String b = side("dfb", "10.42.2.2/24", "10.42.2.1");
        final String nsA = net.name("dfa");
        final String nsB = net.name("dfb");
        final String nsC = net.name("dfc");
        net.ownNamespace(nsC);
        Files.writeString(dir.resolve("setup.cli"), String.join("\n",
            "set interface ip address net_af_packet0 10.42.1.1/24",
            "set interface ip address net_af_packet1 10.42.2.1/24",
            "set interface state net_af_packet0 up",
            "set interface state net_af_packet1 up",
            "create netns " + nsC,
            "create tap id 0 host-if-name " + nsC + "0 host-ns " + nsC + " host-ip4-addr 10.42.3.2/24 host-ip4-gw 10.42.3.1",
            "set interface ip address tap0 10.42.3.1/24",
            "set interface state tap0 up", ""));
        final Path socket = dir.resolve("cli.sock");
        final Path conf = dir.resolve("dpdk.conf");
        Files.writeString(conf, "unix { cli-listen " + socket + " startup-config setup.cli }\n"
            + "buffers { buffers-per-numa 8192 page-size 4k }\n"
            + "dpdk { no-pci no-huge file-prefix " + net.name("f") + " vdev net_af_packet0,iface=" + a
            + ",qdisc_bypass=1 vdev net_af_packet1,iface=" + b + ",qdisc_bypass=1 }\n");
        jvpp = JvppProcess.start(conf, dir);
        jvpp.awaitReady(socket);
        assertEquals(0, HostNet.inNs(nsA, "ping", "-c", "2", "-W", "2", "10.42.2.2").status());

        HostNet.run("ip", "link", "del", a);
        final String down = "Link down: kernel device " + a + " removed";
        HostNet.within(10_000, () -> hardware(socket).contains(down));
        final String hw = hardware(socket);
        assertTrue(hw.contains(down), hw);
        final Commands.Result others = HostNet.inNs(nsC, "ping", "-c", "3", "-W", "2", "10.42.2.2");
        assertEquals(0, others.status(), "the tap and the other vdev keep forwarding:\n" + others.output());
        assertTrue(jvpp.process().isAlive());

        HostNet.vethInto(nsA, a, "eth0", "10.42.1.2/24", "10.42.1.1");
        final boolean back = HostNet.within(15_000,
            () -> HostNet.inNs(nsA, "ping", "-c", "1", "-W", "1", "10.42.2.2").status() == 0);
        assertTrue(back, "net_af_packet0 back and forwarding:\n" + hardware(socket) + jvpp.stderr());
        assertTrue(JvppProcess.ctl(socket, "show", "interface", "address").out().contains("10.42.1.1/24"),
            "configuration kept");
        jvpp.terminate();
    }

    private static String hardware(final Path socket)
    {
        return JvppProcess.ctl(socket, "show", "hardware-interfaces", "net_af_packet0").out();
    }

    @Test
    void shouldRefuseToBootWithABadVdevNamingTheConfig() throws Exception
    {
        final Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "unix { cli-listen " + dir.resolve("cli.sock") + " }\n"
            + "buffers { buffers-per-numa 4096 page-size 4k }\n"
            + "dpdk { no-pci no-huge file-prefix " + net.name("w") + " vdev net_bogus0 }\n");
        jvpp = JvppProcess.start(conf, dir);
        assertEquals(1, jvpp.awaitExit());
        // The error is one line that starts with the config file (file: or file:line:) and names the device: not
        // the file in one line and the device in another (DPDK's own EAL lines name the device too).
        final String stderr = jvpp.stderr();
        final List<String> errors = stderr.lines().filter(l -> l.startsWith(conf + ":")).toList();
        assertEquals(1, errors.size(), "one error naming the config:\n" + stderr);
        assertTrue(errors.get(0).contains("net_bogus0"), "the error names the device:\n" + stderr);
    }
}
