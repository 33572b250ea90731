package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.Subprocess;

/**
 * A TCP transfer between two namespaces checked end to end: python3 in the destination namespace receives one
 * connection on port 5555 and prints the byte count and SHA-256 of what came; python3 in the source namespace sends
 * seeded pseudo-random megabytes and prints the same of what it sent; the two must match. And a few seconds of
 * iperf3, whose receiver must get data. Never a speed.
 *
 * <p>Thread: the test's.
 */
final class TcpTransfer
{
    private static final String SINK_LOOP = "c,_=s.accept();h=hashlib.sha256();n=0\n"
        + "while True:\n"
        + "    b=c.recv(1<<20)\n"
        + "    if not b: break\n"
        + "    h.update(b);n+=len(b)\n"
        + "print(n,h.hexdigest())\n";

    /** The receiver's program, on IPv4 (any address) or, when {@code dst} is an IPv6 address, on it. */
    private static String sink(final String dst)
    {
        final boolean v6 = dst.indexOf(':') >= 0;
        return "import socket,hashlib\n"
            + "s=socket.socket(" + (v6 ? "socket.AF_INET6" : "") + ");"
            + "s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('" + (v6 ? dst : "0.0.0.0")
            + "',5555));s.listen(1)\n"
            + SINK_LOOP;
    }

    private TcpTransfer()
    {
    }

    /** The sender's program: {@code mb} seeded pseudo-random megabytes to {@code dst}:5555, retrying the connect. */
    private static String source(final String dst, final int mb)
    {
        return "import socket,hashlib,random,time\n"
            + "r=random.Random(13);h=hashlib.sha256();n=0\n"
            + "for i in range(100):\n"
            + "    try:\n"
            + "        c=socket.create_connection(('" + dst + "',5555));break\n"
            + "    except OSError: time.sleep(0.05)\n"
            + "for i in range(" + mb + "):\n"
            + "    b=r.randbytes(1<<20);h.update(b);c.sendall(b);n+=len(b)\n"
            + "c.close();print(n,h.hexdigest())\n";
    }

    /** Send {@code mb} megabytes from namespace {@code from} to {@code dst} in namespace {@code to}; assert intact. */
    static void assertArrivesIntact(final HostNet net, final String from, final String to, final String dst,
        final int mb) throws Exception
    {
        try (Subprocess sink = net.start("ip", "netns", "exec", to, "python3", "-c", sink(dst)))
        {
            final Commands.Result source = Commands.run(120, "ip", "netns", "exec", from, "python3", "-c",
                source(dst, mb));
            assertEquals(0, source.status(), source.output());
            final Commands.Result received = sink.await(Duration.ofSeconds(30));
            assertEquals(0, received.status(), received.output());
            final String sent = source.stdout().trim();
            assertTrue(sent.startsWith(((long)mb << 20) + " "), sent);
            assertEquals(sent, received.stdout().trim(), "the receiver got exactly what the sender sent");
        }
    }

    /** Run 3 s of iperf3 from namespace {@code from} to a one-off server on {@code dst} in {@code to}: data arrives. */
    static void assertIperf3Runs(final HostNet net, final String from, final String to, final String dst)
        throws Exception
    {
        try (Subprocess server = net.start("ip", "netns", "exec", to, "iperf3", "-s", "-1", "-B", dst))
        {
            HostNet.within(10_000, () -> Commands.run(5, "ip", "netns", "exec", to, "ss", "-ltn", "sport = :5201")
                .stdout().contains("LISTEN"));
            Commands.Result client = null;
            // a refused connect is retried: iperf3 -J may report a refused connect in its JSON with status 0
            for (int attempt = 0; attempt < 50; attempt++)
            {
                client = Commands.run(30, "ip", "netns", "exec", from, "iperf3", "-c", dst, "-t", "3", "-J");
                if (!client.output().contains("Connection refused"))
                {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(0, client.status(), client.output());
            final Matcher m = Pattern.compile("\"sum_received\":\\s*\\{[^}]*?\"bytes\":\\s*(\\d+)")
                .matcher(client.stdout());
            assertTrue(m.find(), client.stdout());
            assertTrue(Long.parseLong(m.group(1)) > 0, "iperf3's receiver got data: " + m.group(1));
            server.await(Duration.ofSeconds(10));
        }
    }
}
