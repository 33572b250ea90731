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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pcap trace} on the demo topology (two namespaces behind two taps): one ping across, captured rx and tx on
 * any interface, read back by {@code tshark -r} and {@code tcpdump -r}: the echo request arrives on tap0 and leaves
 * on tap1, the reply the other way, 98 bytes each, timestamps in order and inside the test's time. Root only; skips
 * when tshark is not installed ({@code bin/jvpp-setup} installs it).
 */
@RequiresRoot
class PcapTraceTest
{
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
            "create tap id 0 host-if-name " + red + "0 host-ns " + red + " host-ip4-addr 10.10.1.2/24 host-ip4-gw 10.10.1.1",
            "set interface ip address tap0 10.10.1.1/24",
            "set interface state tap0 up",
            "create tap id 1 host-if-name " + blue + "0 host-ns " + blue + " host-ip4-addr 10.10.2.2/24 host-ip4-gw 10.10.2.1",
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

    @Test
    void shouldCaptureAPingOnRxAndTxForTsharkAndTcpdump() throws Exception
    {
        Assumptions.assumeTrue(Commands.run(10, "sh", "-c", "command -v tshark").status() == 0,
            "tshark is not installed (bin/jvpp-setup installs it as root)");
        // Resolve the neighbours first, so the capture holds the ICMP exchange and nothing else to wait for.
        assertTrue(HostNet.inNs(red, "ping", "-c", "1", "-W", "2", "10.10.2.2").status() == 0);
        final Path file = dir.resolve("pc-ping.pcap");
        final long before = System.currentTimeMillis();
        final JvppProcess.Ctl on = JvppProcess.ctl(socket, "pcap", "trace", "rx", "tx", "max", "100", "intfc", "any",
            "file", file.toString());
        assertEquals(0, on.status(), on.out() + on.err());
        final Commands.Result ping = HostNet.inNs(red, "ping", "-c", "1", "-W", "2", "10.10.2.2");
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
