package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.tests.net.Scapy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPv4 (layer 3) catalogue of issue 14: the demo's two namespaces behind taps (red 10.10.1.0/24, blue
 * 10.10.2.0/24), frames crafted with scapy into red's tap, and for each what comes back to red from jvpp (an ICMP
 * error, its type and code), what reaches blue, and which {@code show errors} reason counted it (RFC 1812 ch. 4-5,
 * RFC 1122 3.2.2 and 3.3.6, RFC 1858, RFC 2644). Every case's frame carries a marker of its own in its payload,
 * so one capture on each side serves all of them. Root only; skipped without Debian's scapy.
 */
@RequiresRoot("taps, namespaces and scapy")
class RouterRfcCatalogueTest
{
    private static final String JVPP_MAC = "02:fe:00:00:e3:01";
    private static final String RED_MAC = "02:fe:00:00:e3:02";
    private static final String JVPP_RED = "10.10.1.1";
    private static final String RED = "10.10.1.2";
    private static final String BLUE = "10.10.2.2";
    private static final Pattern OUTER_SRC = Pattern.compile("/IP\\(version=4, [^)]*?src='([^']+)'");
    private static final Pattern ICMP = Pattern.compile("/ICMP\\(type=(\\d+), code=(\\d+)");

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
        final String why = Scapy.unavailable();
        assumeTrue(why == null, why);
        red = net.name("r");
        blue = net.name("b");
        net.ownNamespace(red);
        net.ownNamespace(blue);
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket,
            "create netns " + red,
            "create netns " + blue,
            "create tap id 0 hw-addr " + JVPP_MAC + " host-if-name " + red + "0 host-ns " + red + " host-mac-addr "
                + RED_MAC + " host-ip4-addr " + RED + "/24 host-ip4-gw " + JVPP_RED,
            "set interface ip address tap0 " + JVPP_RED + "/24",
            "set ip neighbor tap0 " + RED + " " + RED_MAC,
            "set interface state tap0 up",
            "create tap id 1 host-if-name " + blue + "0 host-ns " + blue + " host-ip4-addr " + BLUE
                + "/24 host-ip4-gw 10.10.2.1",
            "set interface ip address tap1 10.10.2.1/24",
            "set interface state tap1 up");
        // blue's MAC learned before the catalogue, so a forwarded frame leaves at once, not after ARP.
        assertEquals(0, HostNet.inNs(blue, "ping", "-c", "1", "-W", "2", "10.10.2.1").status());
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

    /**
     * One case: {@code layers} are scapy layers from IP up, ending before the payload (the marker is appended);
     * {@code ether} the Ethernet header; {@code icmp} the ICMP "type/code" jvpp must send back to red, or null for
     * none; {@code forwarded} whether blue gets it; {@code counter} the {@code node|reason} that counts it, or null.
     */
    private record Case(String name, String ether, String layers, String icmp, boolean forwarded, String counter)
    {
    }

    private static final String TO_JVPP = "Ether(dst='" + JVPP_MAC + "',src='" + RED_MAC + "')";
    private static final String TO_ALL = "Ether(dst='ff:ff:ff:ff:ff:ff',src='" + RED_MAC + "')";

    private static Case unicast(final String name, final String layers, final String icmp, final boolean forwarded,
        final String counter)
    {
        return new Case(name, TO_JVPP, layers, icmp, forwarded, counter);
    }

    private static String udp(final String src, final String dst)
    {
        return "IP(src='" + src + "',dst='" + dst + "')/UDP(sport=40000,dport=9)";
    }

    private static List<Case> cases()
    {
        final List<Case> k = new ArrayList<>();
        k.add(unicast("routed UDP (the control)", udp(RED, BLUE), null, true, null));
        k.add(unicast("unrouted destination: net unreachable", udp(RED, "192.0.2.1"), "3/0", false, null));
        k.add(unicast("to the router's own address, a closed port: port unreachable", udp(RED, JVPP_RED), "3/3", false,
            null));
        // RFC 1122 3.2.2 / RFC 1812 4.3.2.7: no ICMP error about these.
        k.add(new Case("mDNS to 224.0.0.251 (multicast)", "Ether(dst='01:00:5e:00:00:fb',src='" + RED_MAC + "')",
            "IP(src='" + RED + "',dst='224.0.0.251')/UDP(sport=5353,dport=5353)", null, false,
            "ip4-lookup|ip4 multicast destination (not routed)"));
        k.add(unicast("SSDP to 239.255.255.250 in a unicast frame", udp(RED, "239.255.255.250"), null, false,
            "ip4-lookup|ip4 multicast destination (not routed)"));
        k.add(new Case("limited broadcast 255.255.255.255", TO_ALL, udp(RED, "255.255.255.255"), null, false,
            "ip4-lookup|ip4 destination 255.255.255.255 (limited broadcast, not routed)"));
        k.add(unicast("240.0.0.0/4 destination", udp(RED, "240.1.2.3"), null, false,
            "ip4-lookup|ip4 destination in 240.0.0.0/4 (reserved)"));
        k.add(unicast("0.0.0.0 destination", udp(RED, "0.0.0.0"), null, false, "ip4-lookup|ip4 destination 0.0.0.0"));
        k.add(unicast("127.0.0.1 destination", udp(RED, "127.0.0.1"), null, false,
            "ip4-input|ip4 destination in 127.0.0.0/8 (martian)"));
        k.add(unicast("directed broadcast to blue's subnet (RFC 2644)", udp(RED, "10.10.2.255"), null, false,
            "ip4-lookup|ip4 directed broadcast dropped (RFC 2644)"));
        k.add(unicast("echo to blue's subnet broadcast (smurf)", "IP(src='" + RED + "',dst='10.10.2.255')/ICMP()", null,
            false, "ip4-lookup|ip4 directed broadcast dropped (RFC 2644)"));
        k.add(unicast("blue's network address", udp(RED, "10.10.2.0"), null, false,
            "ip4-lookup|ip4 destination is a subnet's network address"));
        k.add(unicast("about an ICMP error", "IP(src='" + RED + "',dst='192.0.2.1')/ICMP(type=3,code=1)", null, false,
            "ip4-icmp-error|ICMP error not sent: about an ICMP error"));
        k.add(unicast("a non-first fragment", "IP(src='" + RED + "',dst='192.0.2.1',proto=17,frag=100)", null, false,
            "ip4-icmp-error|ICMP error not sent: about a non-first fragment"));
        // RFC 1812 5.3.7 martian sources.
        k.add(new Case("source 0.0.0.0 to the limited broadcast (a DHCP discover)", TO_ALL,
            "IP(src='0.0.0.0',dst='255.255.255.255')/UDP(sport=68,dport=67)", null, false,
            "ip4-input|ip4 source address in 0.0.0.0/8 (martian)"));
        k.add(unicast("source 127.0.0.1", udp("127.0.0.1", BLUE), null, false,
            "ip4-input|ip4 source address in 127.0.0.0/8 (martian)"));
        k.add(unicast("source 240.0.0.1 (class E)", udp("240.0.0.1", BLUE), null, false,
            "ip4-input|ip4 source address multicast or broadcast"));
        k.add(unicast("source 224.0.0.1 (multicast)", udp("224.0.0.1", BLUE), null, false,
            "ip4-input|ip4 source address multicast or broadcast"));
        k.add(unicast("source the router's own 10.10.1.1", udp(JVPP_RED, BLUE), null, false,
            "ip4-input|ip4 spoofed local-address packet drops"));
        k.add(unicast("source red's subnet broadcast 10.10.1.255", udp("10.10.1.255", BLUE), null, false,
            "ip4-input|ip4 source address is a connected subnet's broadcast (martian)"));
        // TTL (RFC 1812 5.3.1): expiring in transit is answered, TTL 0 too (as VPP and Linux).
        k.add(unicast("TTL 1 in transit: time exceeded",
            "IP(src='" + RED + "',dst='" + BLUE + "',ttl=1)/UDP(sport=40000,dport=9)",
            "11/0", false, "ip4-rewrite|ip4 ttl <= 1"));
        k.add(unicast("TTL 0 in transit: time exceeded",
            "IP(src='" + RED + "',dst='" + BLUE + "',ttl=0)/UDP(sport=40000,dport=9)",
            "11/0", false, "ip4-input|ip4 ttl 0"));
        k.add(unicast("TTL 1 to the router: answered", "IP(src='" + RED + "',dst='" + JVPP_RED + "',ttl=1)/ICMP()",
            "0/0", false, null));
        // RFC 1122 3.3.6: a unicast datagram in a link-layer broadcast is not forwarded (Linux drops it too).
        k.add(new Case("unicast IP in a broadcast frame", TO_ALL, udp(RED, BLUE), null, false,
            "ip4-input|ip4 unicast destination in an l2 broadcast or multicast frame"));
        // RFC 1858.
        k.add(unicast("TCP fragment at offset 1", "IP(src='" + RED + "',dst='" + BLUE + "',proto=6,frag=1)", null, false,
            "ip4-input|ip4 fragment offset == 1"));
        k.add(unicast("tiny first TCP fragment", "IP(src='" + RED + "',dst='" + BLUE + "',proto=6,flags='MF')", null,
            false, "ip4-input|ip4 tiny TCP first fragment (RFC 1858)"));
        return k;
    }

    private static String marker(final int i)
    {
        return String.format("r3case%02d", i);
    }

    private static String hex(final String text)
    {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void eachFrameLeavesWhereTheRfcsSayAndIsCountedUnderItsReason() throws Exception
    {
        final List<Case> cases = cases();
        final List<String> frames = new ArrayList<>();
        final Map<String, Long> expected = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++)
        {
            final Case c = cases.get(i);
            frames.add(c.ether() + "/" + c.layers() + "/Raw(b'" + marker(i) + "')");
            if (c.counter() != null)
            {
                expected.merge(c.counter(), 1L, Long::sum);
            }
        }
        // One more: a 1000-byte datagram to an unrouted destination, for the size of what the error quotes.
        frames.add(TO_JVPP + "/" + udp(RED, "192.0.2.1") + "/Raw(b'" + marker(99) + "'+b'x'*992)");

        final Map<String, Long> before = errors();
        final List<List<Scapy.Frame>> seen = Scapy.exchange(new Scapy.Port(red, red + "0"), frames,
            new Scapy.Port(red, red + "0"), new Scapy.Port(blue, blue + "0"));
        final Map<String, Long> after = errors();
        final List<Scapy.Frame> atRed = seen.get(0);
        final List<Scapy.Frame> atBlue = seen.get(1);

        final StringBuilder wrong = new StringBuilder();
        for (int i = 0; i < cases.size(); i++)
        {
            final Case c = cases.get(i);
            final String m = hex(marker(i));
            final List<String> icmp = new ArrayList<>();
            for (final Scapy.Frame f : atRed)
            {
                final Matcher src = OUTER_SRC.matcher(f.fields());
                final Matcher t = ICMP.matcher(f.fields());
                if (f.hex().contains(m) && src.find() && src.group(1).equals(JVPP_RED) && t.find())
                {
                    icmp.add(t.group(1) + "/" + t.group(2));
                }
            }
            final List<String> wantIcmp = c.icmp() == null ? List.of() : List.of(c.icmp());
            if (!icmp.equals(wantIcmp))
            {
                wrong.append(c.name()).append(": ICMP back to red ").append(icmp).append(", expected ").append(wantIcmp)
                    .append('\n');
            }
            final long there = atBlue.stream().filter(f -> f.hex().contains(m)).count();
            if (there != (c.forwarded() ? 1 : 0))
            {
                wrong.append(c.name()).append(": ").append(there).append(" frames at blue, expected ")
                    .append(c.forwarded() ? 1 : 0).append('\n');
            }
        }
        for (final Map.Entry<String, Long> e : expected.entrySet())
        {
            final long got = after.getOrDefault(e.getKey(), 0L) - before.getOrDefault(e.getKey(), 0L);
            if (got != e.getValue())
            {
                wrong.append(e.getKey()).append(": counted ").append(got).append(", expected ").append(e.getValue())
                    .append('\n');
            }
        }
        for (final Scapy.Frame f : atBlue)
        {
            if (f.has("ARP") && (f.has("pdst='10.10.2.255'") || f.has("pdst='10.10.2.0'")))
            {
                wrong.append("jvpp asked blue's subnet for a broadcast/network address: ").append(f).append('\n');
            }
        }
        final String big = hex(marker(99));
        final List<Integer> quoted = atRed.stream().filter(f -> f.hex().contains(big) && f.has("ICMP(type=3"))
            .map(Scapy.Frame::length).toList();
        if (!quoted.equals(List.of(14 + 576)))
        {
            wrong.append("the error about a 1020-byte datagram: frames of ").append(quoted)
                .append(" bytes, expected one of 590 (576 + Ethernet, RFC 1812 4.3.2.3)\n");
        }
        assertTrue(wrong.length() == 0, wrong + "\nat red:\n" + lines(atRed) + "at blue:\n" + lines(atBlue)
            + JvppProcess.ctl(socket, "show", "errors").out());

        assertEquals(0, HostNet.inNs(red, "ping", "-c", "1", "-W", "2", BLUE).status(), "still routing");
    }

    private static String lines(final List<Scapy.Frame> frames)
    {
        final StringBuilder b = new StringBuilder();
        for (final Scapy.Frame f : frames)
        {
            b.append("  ").append(f).append('\n');
        }
        return b.toString();
    }

    private Map<String, Long> errors()
    {
        return ErrorCounts.read(socket);
    }
}
