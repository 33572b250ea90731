package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.VlibGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvpp routing between two network namespaces it creates, through taps whose host sides live there, as
 * conf/demo.conf does (the hosts at MTU 9000); real ping traffic, and TCP through the taps' virtio-net offloads
 * (gso and csum-offload by default): jumbo pings, 50 MB checked end to end by SHA-256, a few seconds of iperf3.
 * Asserts that data arrived intact and crossed as super-frames (fewer packets than MSS-sized segments would take),
 * never a speed; and a pcap trace of a ping read by tshark and tcpdump. Root only.
 */
@RequiresRoot
class TapRouterTest
{
    private static final int MB = 50;
    private static final String REASSEMBLY = "ip4-local-full-reassembly";
    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private String red;
    private String blue;

    @BeforeEach
    void boot() throws Exception
    {
        red = net.name("r");
        blue = net.name("b");
        // jvpp creates and removes them; the fixture deletes them too if jvpp could not.
        net.ownNamespace(red);
        net.ownNamespace(blue);
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket,
            "create netns " + red,
            "create netns " + blue,
            "create tap id 0 host-if-name " + red + "0 host-ns " + red + " host-ip4-addr 10.10.1.2/24 host-ip4-gw 10.10.1.1"
                + " host-mtu-size 9000",
            "set interface ip address tap0 10.10.1.1/24",
            "set interface state tap0 up",
            "create tap id 1 host-if-name " + blue + "0 host-ns " + blue + " host-ip4-addr 10.10.2.2/24 host-ip4-gw 10.10.2.1"
                + " host-mtu-size 9000",
            "set interface ip address tap1 10.10.2.1/24",
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

    private Commands.Result ping(final String ns, final String... args)
    {
        final String[] cmd = new String[args.length + 1];
        cmd[0] = "ping";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return HostNet.inNs(ns, cmd);
    }

    @Test
    void shouldRouteBetweenNamespacesDecrementingTtlAndAnswerForItself() throws Exception
    {
        final Commands.Result there = ping(red, "-c", "3", "-W", "2", "10.10.2.2");
        assertEquals(0, there.status(), there.output());
        assertTrue(there.output().contains("ttl=63"), "blue's replies cross jvpp once:\n" + there.output());
        final Commands.Result back = ping(blue, "-c", "2", "-W", "2", "10.10.1.2");
        assertEquals(0, back.status(), back.output());

        final Commands.Result own = ping(red, "-c", "2", "-W", "2", "10.10.1.1");
        assertEquals(0, own.status(), own.output());
        assertTrue(own.output().contains("ttl=64"), "jvpp's own replies are not decremented:\n" + own.output());
        final Commands.Result far = ping(red, "-c", "1", "-W", "2", "10.10.2.1");
        assertEquals(0, far.status(), "jvpp's address on the other side:\n" + far.output());

        final String neighbors = JvppProcess.ctl(socket, "show", "ip", "neighbors").out();
        assertTrue(neighbors.contains("10.10.1.2") && neighbors.contains("10.10.2.2"), neighbors);
    }

    @Test
    void shouldShowTheIp4PathFromTapInputToTapOutputInShowVlibGraph()
    {
        final Commands.Result there = ping(red, "-c", "1", "-W", "2", "10.10.2.2");
        assertEquals(0, there.status(), there.output());
        final JvppProcess.Ctl graph = JvppProcess.ctl(socket, "show", "vlib", "graph");
        assertEquals(0, graph.status(), graph.out());
        VlibGraph.parse(graph.out()).assertPath("tap-input", "ethernet-input", "ip4-input", "ip4-lookup", "ip4-rewrite",
            "interface-output", "tap-output");
    }

    @Test
    void shouldTellTheSenderAboutExpiredTtlAndUnroutedDestinations() throws Exception
    {
        final Commands.Result ttl = ping(red, "-c", "1", "-t", "1", "-W", "2", "10.10.2.2");
        assertTrue(ttl.output().contains("From 10.10.1.1") && ttl.output().contains("Time to live exceeded"), ttl.output());
        final Commands.Result unreachable = ping(red, "-c", "1", "-W", "2", "10.99.0.1");
        assertTrue(unreachable.output().contains("From 10.10.1.1") && unreachable.output().contains("Unreachable"),
            unreachable.output());
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertTrue(errors.contains("ip4 ttl <= 1") && errors.contains("ICMP errors sent"), errors);
    }

    /** The count {@code show errors} gives {@code node}'s {@code reason}, 0 when it has no line. */
    private long errorCount(final String node, final String reason)
    {
        final Matcher m = Pattern.compile("^\\s*(\\d+)\\s+" + Pattern.quote(node) + "\\s+" + Pattern.quote(reason) + "\\s*$",
            Pattern.MULTILINE).matcher(JvppProcess.ctl(socket, "show", "errors").out());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Both namespaces at MTU 9000, both of jvpp's taps at 1500 ({@code set interface mtu}): what crosses jvpp larger
     * than 1500 bytes is fragmented there (ip4-frag) or, with DF, refused with fragmentation needed (RFC 1191).
     */
    private void narrowTheTaps()
    {
        HostNet.runIn(red, "ip", "link", "set", red + "0", "mtu", "9000");
        HostNet.runIn(blue, "ip", "link", "set", blue + "0", "mtu", "9000");
        for (final String tap : new String[] {"tap0", "tap1"})
        {
            final JvppProcess.Ctl mtu = JvppProcess.ctl(socket, "set", "interface", "mtu", "1500", tap);
            assertEquals(0, mtu.status(), mtu.out());
        }
    }

    @Test
    void shouldFragmentWhatIsLargerThanTheEgressMtuBothWays()
    {
        narrowTheTaps();
        // 1928-byte datagrams without DF: the request fragmented towards blue, blue's whole reply towards red.
        final Commands.Result big = ping(red, "-M", "dont", "-s", "1900", "-c", "3", "-W", "2", "10.10.2.2");
        assertEquals(0, big.status(), big.output());
        assertTrue(big.output().contains("1908 bytes from 10.10.2.2"), "reassembled by each end:\n" + big.output());
        assertTrue(errorCount("ip4-frag", "ip4 packets fragmented") >= 6, "3 requests and 3 replies fragmented by jvpp");
        assertTrue(errorCount("ip4-frag", "ip4 fragments sent") >= 12, "two fragments each");
    }

    @Test
    void shouldAnswerPingsToItselfThatArriveInFragmentsThroughAnMtuOf1500() throws Exception
    {
        // red's link and jvpp's tap0 at 1500: red's kernel fragments each request, jvpp reassembles it
        // (ip4-local-full-reassembly), answers, and fragments its reply (ip4-frag) for red to reassemble.
        HostNet.runIn(red, "ip", "link", "set", red + "0", "mtu", "1500");
        final JvppProcess.Ctl mtu = JvppProcess.ctl(socket, "set", "interface", "mtu", "1500", "tap0");
        assertEquals(0, mtu.status(), mtu.out());
        final Commands.Result small = ping(red, "-s", "4000", "-c", "3", "-i", "0.3", "-W", "2", "10.10.1.1");
        assertEquals(0, small.status(), small.output());
        assertTrue(small.output().contains("4008 bytes from 10.10.1.1"), small.output());
        assertEquals(3, errorCount(REASSEMBLY, "successful reassemblies"), "3 fragments each");
        assertEquals(3, errorCount("ip4-frag", "ip4 packets fragmented"), "every reply fragmented");
        // 8008 bytes are 6 fragments at 1500: more than VPP's default max-reassembly-length of 3, so dropped and
        // counted (the 3 held and the 4th; the last 2 start a context of their own that times out)...
        final Commands.Result refused = ping(red, "-s", "8000", "-c", "1", "-W", "1", "10.10.1.1");
        assertNotEquals(0, refused.status(), refused.output());
        assertEquals(4, errorCount(REASSEMBLY, "fragment chain too long (drop)"));
        assertTrue(HostNet.within(2_000,
            () -> errorCount(REASSEMBLY, "fragments dropped due to reassembly timeout") == 2), "the last two time out");
        // ... and answered once the limit allows 6.
        final JvppProcess.Ctl set = JvppProcess.ctl(socket, "set", "ip", "reassembly", "max-reassembly-length", "6");
        assertEquals(0, set.status(), set.out());
        final Commands.Result big = ping(red, "-s", "8000", "-c", "3", "-i", "0.3", "-W", "2", "10.10.1.1");
        assertEquals(0, big.status(), big.output());
        assertTrue(big.output().contains("8008 bytes from 10.10.1.1"), big.output());
        final String show = JvppProcess.ctl(socket, "show", "ip4-full-reassembly").out();
        assertTrue(show.contains("Current full IP4 reassemblies count: 0"), show);
        final String buffers = JvppProcess.ctl(socket, "show", "buffers").out();
        assertTrue(buffers.contains("held by ip4-local-full-reassembly (fragments waiting): 0"), buffers);
    }

    @Test
    void shouldAnswerDfWithFragmentationNeededAndTheMtu()
    {
        narrowTheTaps();
        final Commands.Result df = ping(red, "-M", "do", "-s", "1900", "-c", "1", "-W", "2", "10.10.2.2");
        assertTrue(df.output().contains("From 10.10.1.1") && df.output().contains("Frag needed and DF set (mtu = 1500)"),
            df.output());
        assertEquals(1, errorCount("ip4-rewrite", "ip4 MTU exceeded and DF set"));
        assertEquals(0, errorCount("ip4-frag", "ip4 packets fragmented"));
        // red's kernel learned the path MTU from jvpp's ICMP (RFC 1191): its route cache says so.
        final String route = HostNet.runIn(red, "ip", "-4", "route", "get", "10.10.2.2");
        assertTrue(route.contains("mtu 1500"), route);
    }

    @Test
    void shouldRefuseAnOverlappingAddressWithVppctlsText()
    {
        final JvppProcess.Ctl r = JvppProcess.ctl(socket, "set", "interface", "ip", "address", "tap1", "10.10.1.9/24");
        assertEquals(1, r.status());
        assertEquals("set interface ip address: failed to add 10.10.1.9/24 on tap1 which conflicts with 10.10.1.1/24 "
            + "for interface tap0\n", r.out());
    }

    @Test
    void shouldRemoveItsNamespacesWhenTerminated() throws Exception
    {
        assertTrue(Files.exists(Path.of("/run/netns", red)));
        jvpp.terminate();
        assertFalse(Files.exists(Path.of("/run/netns", red)), "jvpp removes the namespaces it created");
        assertFalse(Files.exists(Path.of("/run/netns", blue)));
    }

    private long vectors(final String node)
    {
        final Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(node) + "\\s+\\S+\\s+\\d+\\s+(\\d+)")
            .matcher(JvppProcess.ctl(socket, "show", "runtime").out());
        long sum = 0;
        while (m.find())
        {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    @Test
    void shouldRouteJumboPingsWholeAndAnswerThemItselfAtMtu9000()
    {
        final Commands.Result there = HostNet.inNs(red, "ping", "-c", "3", "-i", "0.3", "-W", "2", "-M", "do", "-s",
            "8000", "10.10.2.2");
        assertEquals(0, there.status(), there.output());
        assertTrue(there.output().contains("8008 bytes from 10.10.2.2"), there.output());
        final Commands.Result own = HostNet.inNs(blue, "ping", "-c", "2", "-i", "0.3", "-W", "2", "-M", "do", "-s",
            "8000", "10.10.2.1");
        assertEquals(0, own.status(), "jvpp answers a chained echo request itself:\n" + own.output());
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertFalse(errors.contains("larger than a buffer"), errors);
    }

    @Test
    @RequiresRoot(commands = {"ip", "ping", "python3"})
    void shouldCarry50MegabytesOverTcpIntactAsSuperFrames() throws Exception
    {
        TcpTransfer.assertArrivesIntact(net, red, blue, "10.10.2.2", MB);
        final long packets = vectors("tap-input");
        assertTrue(packets > 0 && packets < (MB << 20) / 1448, "TCP crossed as GSO super-frames, both directions in "
            + packets + " packets (MSS-sized segments alone would be " + (MB << 20) / 1448 + ")");
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertFalse(errors.contains("GSO frames segmented") || errors.contains("virtio-net"), errors);
    }

    @Test
    @RequiresRoot(commands = {"ip", "ping", "iperf3"})
    void shouldRunIperf3ThroughTheTapsForAFewSeconds() throws Exception
    {
        TcpTransfer.assertIperf3Runs(net, red, blue, "10.10.2.2");
    }

    /** {@code pcap trace drop}: the dropped frames in a pcapng file, each with the node and reason as its comment. */
    @Test
    void shouldCaptureDropsWithTheirReasonForTshark() throws Exception
    {
        Assumptions.assumeTrue(Commands.run(10, "sh", "-c", "command -v tshark").status() == 0,
            "tshark is not installed (bin/jvpp-setup installs it as root)");
        final Path file = dir.resolve("pc-drop.pcapng");
        final JvppProcess.Ctl on = JvppProcess.ctl(socket, "pcap", "trace", "drop", "file", file.toString());
        assertEquals(0, on.status(), on.out() + on.err());
        // A frame of an ethertype nothing handles (IEEE local experimental 0x88b5), which ethernet-input drops.
        final Commands.Result sent = HostNet.inNs(red, "/usr/bin/python3", "-c", "import socket\n"
            + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\ns.bind(('" + red + "0', 0))\n"
            + "s.send(b'\\xff' * 6 + b'\\x02' * 6 + b'\\x88\\xb5' + bytes(46))");
        assertEquals(0, sent.status(), sent.output());
        Thread.sleep(200);
        final JvppProcess.Ctl off = JvppProcess.ctl(socket, "pcap", "trace", "off");
        assertEquals(0, off.status(), off.out() + off.err());
        final Commands.Result t = Commands.run(30, "tshark", "-r", file.toString(), "-T", "fields", "-E",
            "separator=;", "-e", "frame.comment", "-e", "frame.len", "-e", "ip.dst");
        assertEquals(0, t.status(), t.output());
        assertTrue(t.stdout().lines().anyMatch(l -> l.matches("ethernet-input: [^;]+;60;")), t.stdout());
    }

    /**
     * {@code pcap trace}: one ping across, captured rx and tx on any interface, read back by {@code tshark -r} and
     * {@code tcpdump -r}: the echo request arrives on tap0 and leaves on tap1, the reply the other way, 98 bytes
     * each, timestamps in order and inside the test's time. Skips when tshark is missing (bin/jvpp-setup installs it).
     */
    @Test
    void shouldCaptureAPingOnRxAndTxForTsharkAndTcpdump() throws Exception
    {
        Assumptions.assumeTrue(Commands.run(10, "sh", "-c", "command -v tshark").status() == 0,
            "tshark is not installed (bin/jvpp-setup installs it as root)");
        // Resolve the neighbours first, so the capture holds the ICMP exchange and nothing else to wait for.
        assertTrue(ping(red, "-c", "1", "-W", "2", "10.10.2.2").status() == 0);
        final Path file = dir.resolve("pc-ping.pcap");
        final long before = System.currentTimeMillis();
        final JvppProcess.Ctl on = JvppProcess.ctl(socket, "pcap", "trace", "rx", "tx", "max", "100", "intfc", "any",
            "file", file.toString());
        assertEquals(0, on.status(), on.out() + on.err());
        final Commands.Result ping = ping(red, "-c", "1", "-W", "2", "10.10.2.2");
        assertEquals(0, ping.status(), ping.output());
        final String status = JvppProcess.ctl(socket, "pcap", "trace", "status").out();
        assertTrue(status.contains("file " + file), status);
        final JvppProcess.Ctl off = JvppProcess.ctl(socket, "pcap", "trace", "off");
        assertEquals(0, off.status(), off.out() + off.err());
        assertTrue(off.out().contains("saved to " + file), off.out());
        final long after = System.currentTimeMillis();
        assertTrue(Files.size(file) > 24);

        final Commands.Result t = Commands.run(30, "tshark", "-r", file.toString(), "-Y", "icmp", "-T", "fields",
            "-E", "separator=,", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "icmp.type", "-e", "ip.src",
            "-e", "ip.dst");
        assertEquals(0, t.status(), t.output());
        final List<String> lines = t.stdout().strip().lines().toList();
        // rx tap0 request, tx tap1 request, rx tap1 reply, tx tap0 reply
        assertEquals(4, lines.size(), t.stdout());
        final String[] types = {"8", "8", "0", "0"};
        double last = 0;
        for (int i = 0; i < 4; i++)
        {
            final String[] f = lines.get(i).split(",");
            final double time = Double.parseDouble(f[0]);
            assertTrue(time >= last, "timestamps in order: " + t.stdout());
            assertTrue(time * 1000 >= before - 1 && time * 1000 <= after + 1, "time " + f[0] + " in the test's time");
            last = time;
            assertEquals("98", f[1], lines.get(i));
            assertEquals(types[i], f[2], lines.get(i));
            assertEquals(i < 2 ? "10.10.1.2" : "10.10.2.2", f[3], lines.get(i));
            assertEquals(i < 2 ? "10.10.2.2" : "10.10.1.2", f[4], lines.get(i));
        }

        final Commands.Result d = Commands.run(30, "tcpdump", "-nn", "-r", file.toString(), "icmp");
        assertEquals(0, d.status(), d.output());
        assertEquals(2, d.stdout().lines().filter(l -> l.contains("ICMP echo request")).count(), d.stdout());
        assertEquals(2, d.stdout().lines().filter(l -> l.contains("ICMP echo reply")).count(), d.stdout());
    }
}
