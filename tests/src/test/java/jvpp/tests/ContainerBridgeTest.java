package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped container scenario (conf/containers.cli): three namespaces bridged in domain 1 through taps, a
 * loopback BVI as their gateway, a routed uplink namespace; real ping traffic. Namespace names are made unique
 * to this run. Tests tagged {@value #NO_GSO_C2} give c2's tap {@code no-gso}, so that what c1 (gso) sends it as GSO
 * super-frames is segmented by jvpp's gso node on the bridged path: TCP over IPv6 (ULA addresses, bridged: jvpp does
 * not route IPv6) and UDP written with UDP_SEGMENT. Root only; the GSO cases need python3 and iperf3.
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
    /** The tag of a test whose c2 tap is {@code no-gso}. */
    static final String NO_GSO_C2 = "no-gso-c2";

    @BeforeEach
    void boot(final TestInfo test) throws Exception
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
        if (test.getTags().contains(NO_GSO_C2))
        {
            final String c2 = "create tap id 1 host-if-name c2-eth0 ";
            assertTrue(cli.contains(c2), "conf/containers.cli changed: update this test");
            cli = cli.replace(c2, c2 + "no-gso ");
        }
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

    /** The count {@code show errors} gives {@code node}'s {@code reason}, 0 when it has no line. */
    private long errorCount(final String node, final String reason)
    {
        final Matcher m = Pattern.compile("^\\s*(\\d+)\\s+" + Pattern.quote(node) + "\\s+" + Pattern.quote(reason)
            + "\\s*$", Pattern.MULTILINE).matcher(ctl("show", "errors"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Give c1 and c2 ULA addresses (fd00:20::11, ::12) and wait until c1 reaches c2 over IPv6. */
    private void ip6Addresses() throws Exception
    {
        for (int i = 0; i < 2; i++)
        {
            HostNet.runIn(containers[i], "ip", "-6", "addr", "add", "fd00:20::1" + (i + 1) + "/64", "dev",
                "c" + (i + 1) + "-eth0", "nodad");
        }
        assertTrue(HostNet.within(10_000, () -> HostNet.inNs(containers[0], "ping", "-6", "-c", "1", "-W", "1",
            "fd00:20::12").status() == 0), "c1 reaches c2 over IPv6 (neighbor discovery bridged)");
    }

    /**
     * c1's tap takes GSO, c2's does not: c1's TCP over IPv6 reaches jvpp as 64 KB super-frames (TSO6) and leaves
     * for c2 cut into segments by the gso node. 3 s of iperf3 and 20 MB by SHA-256, both bridged.
     */
    @Test
    @Tag(NO_GSO_C2)
    @RequiresRoot(value = "namespaces and taps", commands = {"ip", "ping", "python3", "iperf3"})
    void shouldSegmentTcpOverIpv6FromAGsoTapToANoGsoTap() throws Exception
    {
        ip6Addresses();
        TcpTransfer.assertIperf3Runs(net, containers[0], containers[1], "fd00:20::12");
        TcpTransfer.assertArrivesIntact(net, containers[0], containers[1], "fd00:20::12", 20);
        assertTrue(errorCount("gso", "GSO frames segmented") > 0, ctl("show", "errors"));
        assertEquals(0, errorCount("gso", "GSO frame with IPv6 extension headers"));
        assertEquals(0, errorCount("gso", "no buffer for a GSO segment"));
    }

    /**
     * UDP written with UDP_SEGMENT (USO: 64000-byte writes, 1400-byte segments) from c1 (gso tap) to c2 (no-gso tap),
     * over IPv4 and IPv6: every datagram arrives, each whole and as sent (its first 8 bytes say which it is, the rest
     * is derived from them), and jvpp's gso node cut the super-frames.
     */
    @Test
    @Tag(NO_GSO_C2)
    @RequiresRoot(value = "namespaces and taps", commands = {"ip", "ping", "python3"})
    void shouldSegmentUdpSentWithUdpSegment() throws Exception
    {
        ip6Addresses();
        assertEquals(0, ping(containers[0], "10.20.0.12", 1).status());
        final String segment = "import socket,struct,hashlib,sys,time\n"
            + "def seg(w,k):\n"
            + "    h=struct.pack('!II',w,k);n=1400 if k<45 else 1000\n"
            + "    return (h+hashlib.sha256(h).digest()*44)[:n]\n";
        final int writes = 100;
        for (final String dst : new String[] {"10.20.0.12", "fd00:20::12"})
        {
            final long before = errorCount("gso", "GSO frames segmented");
            final String family = dst.indexOf(':') >= 0 ? "socket.AF_INET6" : "socket.AF_INET";
            final String sink = segment
                + "s=socket.socket(" + family + ",socket.SOCK_DGRAM)\n"
                + "s.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,16<<20);s.bind(('" + dst + "',6000))\n"
                + "s.settimeout(20);seen=set();bad=0;n=0\n"
                + "while True:\n"
                + "    try: d=s.recv(65535)\n"
                + "    except socket.timeout: break\n"
                + "    s.settimeout(2);w,k=struct.unpack('!II',d[:8])\n"
                + "    if d==seg(w,k): seen.add((w,k));n+=len(d)\n"
                + "    else: bad+=1\n"
                + "print(len(seen),bad,n)\n";
            final String source = segment
                + "s=socket.socket(" + family + ",socket.SOCK_DGRAM);s.setsockopt(socket.SOL_UDP,103,1400)\n"
                + "for w in range(" + writes + "):\n"
                + "    s.sendto(b''.join(seg(w,k) for k in range(46)),('" + dst + "',6000));time.sleep(0.003)\n";
            try (Subprocess receiver = net.start("ip", "netns", "exec", containers[1], "python3", "-c", sink))
            {
                assertTrue(HostNet.within(10_000, () -> HostNet.runIn(containers[1], "ss", "-lun", "sport = :6000")
                    .contains(":6000")), "the receiver listens");
                final Commands.Result sent = HostNet.inNs(containers[0], "python3", "-c", source);
                assertEquals(0, sent.status(), sent.output());
                final Commands.Result got = receiver.await(Duration.ofSeconds(40));
                assertEquals(0, got.status(), got.output());
                assertEquals(writes * 46 + " 0 " + writes * 64000, got.stdout().trim(),
                    dst + ": datagrams received whole, corrupted, bytes");
            }
            assertTrue(errorCount("gso", "GSO frames segmented") > before, dst + ": USO frames cut by jvpp\n"
                + ctl("show", "errors"));
        }
    }

    /**
     * Jumbo frames on the bridged path and through the BVI: c1, c2 and the uplink at MTU 9000 (jvpp's taps and the
     * loopback are 9000 already), {@code ping -M do -s 8000} bridged, to the BVI itself and routed through it.
     */
    @Test
    void shouldCarryJumboFramesAcrossTheBridgeAndThroughTheBvi()
    {
        for (final String[] dev : new String[][] {{containers[0], "c1-eth0"}, {containers[1], "c2-eth0"},
            {uplink, "up0"}})
        {
            HostNet.runIn(dev[0], "ip", "link", "set", "dev", dev[1], "mtu", "9000");
        }
        for (final String to : new String[] {"10.20.0.12", "10.20.0.1", "10.30.0.2"})
        {
            final Commands.Result r = HostNet.inNs(containers[0], "ping", "-M", "do", "-s", "8000", "-c", "2", "-W",
                "2", to);
            assertEquals(0, r.status(), to + ":\n" + r.output());
            assertTrue(r.output().contains("8008 bytes from " + to), r.output());
        }
    }
}
