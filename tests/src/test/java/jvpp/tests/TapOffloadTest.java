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
 * Jumbo frames and TCP super-frames through the demo router's taps (virtio-net headers, gso and csum-offload by
 * default): two namespaces it creates at MTU 9000, red 10.10.1.2 and blue 10.10.2.2. {@code ping -s 8000} both
 * ways and to the router itself; 50 MB over TCP checked end to end by SHA-256; a few seconds of iperf3. Asserts that
 * data arrived intact and that it crossed as super-frames (fewer packets than MSS-sized segments would take),
 * never a speed. Root only.
 */
@RequiresRoot(commands = {"ip", "ping", "python3", "iperf3"})
class TapOffloadTest
{
    private static final int MB = 50;
    /** Receives one connection on 5555 and prints the byte count and SHA-256 of what came. */
    private static final String SINK = "import socket,hashlib\n"
        + "s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',5555));s.listen(1)\n"
        + "c,_=s.accept();h=hashlib.sha256();n=0\n"
        + "while True:\n"
        + "    b=c.recv(1<<20)\n"
        + "    if not b: break\n"
        + "    h.update(b);n+=len(b)\n"
        + "print(n,h.hexdigest())\n";
    /** Sends MB megabytes of seeded pseudo-random data to blue and prints the count and SHA-256 of what it sent. */
    private static final String SOURCE = "import socket,hashlib,random,time\n"
        + "r=random.Random(13);h=hashlib.sha256();n=0\n"
        + "for i in range(100):\n"
        + "    try:\n"
        + "        c=socket.create_connection(('10.10.2.2',5555));break\n"
        + "    except OSError: time.sleep(0.05)\n"
        + "for i in range(" + MB + "):\n"
        + "    b=r.randbytes(1<<20);h.update(b);c.sendall(b);n+=len(b)\n"
        + "c.close();print(n,h.hexdigest())\n";

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
    void shouldCarry50MegabytesOverTcpIntactAsSuperFrames() throws Exception
    {
        try (Subprocess sink = net.start("ip", "netns", "exec", blue, "python3", "-c", SINK))
        {
            final Commands.Result source = Commands.run(120, "ip", "netns", "exec", red, "python3", "-c", SOURCE);
            assertEquals(0, source.status(), source.output());
            final Commands.Result received = sink.await(Duration.ofSeconds(30));
            assertEquals(0, received.status(), received.output());
            final String sent = source.stdout().trim();
            assertTrue(sent.startsWith((MB << 20) + " "), sent);
            assertEquals(sent, received.stdout().trim(), "blue received exactly what red sent");
        }
        final long packets = vectors("tap-input");
        assertTrue(packets > 0 && packets < (MB << 20) / 1448, "TCP crossed as GSO super-frames, both directions in "
            + packets + " packets (MSS-sized segments alone would be " + (MB << 20) / 1448 + ")");
        final String errors = JvppProcess.ctl(socket, "show", "errors").out();
        assertFalse(errors.contains("GSO frame to an interface without GSO") || errors.contains("virtio-net"), errors);
    }

    @Test
    void shouldRunIperf3ThroughTheTapsForAFewSeconds() throws Exception
    {
        try (Subprocess server = net.start("ip", "netns", "exec", blue, "iperf3", "-s", "-1", "-B", "10.10.2.2"))
        {
            Commands.Result client = null;
            for (int attempt = 0; attempt < 20; attempt++)
            {
                client = Commands.run(30, "ip", "netns", "exec", red, "iperf3", "-c", "10.10.2.2", "-t", "3", "-J");
                if (client.status() == 0 || !client.output().contains("Connection refused"))
                {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(0, client.status(), client.output());
            final Matcher m = Pattern.compile("\"sum_received\":\\s*\\{[^}]*?\"bytes\":\\s*(\\d+)").matcher(client.stdout());
            assertTrue(m.find(), client.stdout());
            assertTrue(Long.parseLong(m.group(1)) > 0, "iperf3's receiver got data: " + m.group(1));
            server.await(Duration.ofSeconds(10));
        }
    }
}
