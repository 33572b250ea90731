package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.tests.net.Scapy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFC catalogue for ARP (RFC 826, RFC 5227, VPP's arp-reply rules) and the bridge (IEEE 802.1D clause 7.12.6):
 * the shipped topologies booted as the README runs them (conf/demo.cli: red — jvpp — blue; conf/containers.cli: c1,
 * c2, c3 bridged behind a BVI), each case a frame crafted with scapy and written into a real tap from its
 * namespace, what leaves on the other side captured there, and the {@code show errors} counter that must move by
 * exactly the frames sent. ARP poisoning attempts are then missing from {@code show ip neighbors}; reserved group
 * frames reach no other bridge port; source MACs that name no station are neither forwarded nor in {@code show
 * l2fib}. A frame that must pass is in each batch, so a capture that saw nothing proves something. Root only; skipped
 * without Debian's python3-scapy ({@link Scapy#unavailable()}).
 */
@RequiresRoot(value = "namespaces and taps", commands = "ip")
class BridgeArpRfcCatalogueTest
{
    private static final Pattern ERROR_LINE = Pattern.compile("^\\s*(\\d+)\\s+(\\S+)\\s+(.+?)\\s*$");
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";
    /** Crafted stations: 02:72:... (locally administered), never a namespace's own MAC. */
    private static final String ATTACKER = "02:72:00:00:00:66";

    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;

    @AfterEach
    void stop() throws Exception
    {
        if (jvpp != null)
        {
            jvpp.close();
        }
        net.close();
    }

    /** Boot conf/{@code file} with each {@code namespaces} name made unique to this run; their new names, in order. */
    private String[] boot(final String file, final String... namespaces) throws Exception
    {
        final String why = Scapy.unavailable();
        assumeTrue(why == null, why);
        String cli = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("conf/" + file));
        final String[] unique = new String[namespaces.length];
        for (int i = 0; i < namespaces.length; i++)
        {
            unique[i] = net.name(namespaces[i]);
            net.ownNamespace(unique[i]);
            final String before = cli;
            cli = cli.replace("netns " + namespaces[i] + "\n", "netns " + unique[i] + "\n")
                .replace("host-ns " + namespaces[i] + " ", "host-ns " + unique[i] + " ");
            assertTrue(!cli.equals(before) && !cli.contains("host-ns " + namespaces[i] + " "),
                "conf/" + file + " changed (namespace " + namespaces[i] + "): update this test");
        }
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket, cli);
        return unique;
    }

    private String ctl(final String... words)
    {
        return JvppProcess.ctl(socket, words).out();
    }

    /** {@code show errors} as {@code node|reason} → count. */
    private Map<String, Long> errors()
    {
        final Map<String, Long> m = new TreeMap<>();
        for (final String line : ctl("show", "errors").split("\n"))
        {
            final Matcher x = ERROR_LINE.matcher(line);
            if (x.matches())
            {
                m.merge(x.group(2) + "|" + x.group(3), Long.parseLong(x.group(1)), Long::sum);
            }
        }
        return m;
    }

    /**
     * One case: a frame (scapy expression), sent {@code copies} times, and the {@code node|reason} it must move by
     * exactly that (null: a frame that must pass, whose counter the hosts' own traffic moves too).
     */
    private record Case(String name, String frame, int copies, String counter)
    {
    }

    /** Send every case's frames from {@code from}, capture on {@code on}, and check each counter moved exactly. */
    private List<List<Scapy.Frame>> run(final List<Case> cases, final Scapy.Port from, final Scapy.Port... on)
        throws Exception
    {
        final List<String> frames = new ArrayList<>();
        final Map<String, Long> expected = new TreeMap<>();
        for (final Case c : cases)
        {
            for (int i = 0; i < c.copies(); i++)
            {
                frames.add(c.frame());
            }
            if (c.counter() != null)
            {
                expected.merge(c.counter(), (long)c.copies(), Long::sum);
            }
        }
        final Map<String, Long> before = errors();
        final List<List<Scapy.Frame>> seen = Scapy.exchange(from, frames, on);
        final Map<String, Long> after = errors();
        final StringBuilder wrong = new StringBuilder();
        for (final Map.Entry<String, Long> e : expected.entrySet())
        {
            final long moved = after.getOrDefault(e.getKey(), 0L) - before.getOrDefault(e.getKey(), 0L);
            if (moved != e.getValue())
            {
                wrong.append("\n  ").append(e.getKey()).append(": moved ").append(moved).append(", expected ")
                    .append(e.getValue());
            }
        }
        assertEquals("", wrong.toString(), "counters (show errors):\n" + ctl("show", "errors") + "\ncases: "
            + cases.stream().map(Case::name).toList());
        return seen;
    }

    private static String marker(final String name)
    {
        return HexFormat.of().formatHex(("r2:" + name).getBytes(StandardCharsets.US_ASCII));
    }

    /** A frame dst ← src with the local-experimental EtherType 0x88b5 and {@code name} as its payload. */
    private static String l2(final String dst, final String src, final String name)
    {
        return "Ether(dst='" + dst + "',src='" + src + "',type=0x88b5)/Raw(b'r2:" + name + "')";
    }

    private static boolean carries(final List<Scapy.Frame> frames, final String name)
    {
        final String m = marker(name);
        return frames.stream().anyMatch(f -> f.hex().contains(m));
    }

    @Test
    void shouldKeepReservedGroupFramesOffTheBridgeAndNeverLearnSourcesThatNameNoStation() throws Exception
    {
        final String[] ns = boot("containers.cli", "c1", "c2", "c3", "uplink");
        final String good = "02:72:00:00:00:01";
        final String reserved = "l2-input|";
        final List<Case> cases = List.of(
            new Case("stp", "Dot3(dst='01:80:c2:00:00:00',src='" + good + "')/LLC()/STP()/Raw(b'r2:stp')", 2,
                reserved + "STP BPDU (01:80:c2:00:00:00) not relayed"),
            new Case("pause", "Ether(dst='01:80:c2:00:00:01',src='" + good + "',type=0x8808)/Raw(b'\\x00\\x01\\xff\\xff"
                + "r2:pause')", 2, reserved + "PAUSE (01:80:c2:00:00:01) not relayed"),
            new Case("lacp", "Ether(dst='01:80:c2:00:00:02',src='" + good + "',type=0x8809)/Raw(b'\\x01\\x01r2:lacp')",
                2, reserved + "slow protocols, LACP (01:80:c2:00:00:02) not relayed"),
            new Case("eapol", "Ether(dst='01:80:c2:00:00:03',src='" + good + "')/EAPOL(version=2,type=1)"
                + "/Raw(b'r2:eapol')", 2, reserved + "802.1X EAPOL (01:80:c2:00:00:03) not relayed"),
            new Case("lldp", "Ether(dst='01:80:c2:00:00:0e',src='" + good + "',type=0x88cc)/Raw(b'r2:lldp')", 2,
                reserved + "LLDP (01:80:c2:00:00:0e) not relayed"),
            new Case("gmrp", l2("01:80:c2:00:00:08", good, "gmrp"), 2,
                reserved + "other IEEE 802.1D reserved group address (01:80:c2:00:00:0x) not relayed"),
            new Case("zero-bcast", l2(BROADCAST, "00:00:00:00:00:00", "zero-bcast"), 2,
                reserved + "source MAC 00:00:00:00:00:00 (not a station)"),
            new Case("zero-ucast", l2("02:72:00:00:00:99", "00:00:00:00:00:00", "zero-ucast"), 2,
                reserved + "source MAC 00:00:00:00:00:00 (not a station)"),
            new Case("mcast-src", l2(BROADCAST, "01:00:5e:00:00:01", "mcast-src"), 2,
                reserved + "source MAC multicast or broadcast (not a station)"),
            new Case("bcast-src", l2("02:72:00:00:00:99", BROADCAST, "bcast-src"), 2,
                reserved + "source MAC multicast or broadcast (not a station)"),
            new Case("good", l2(BROADCAST, good, "good"), 1, null));
        final List<List<Scapy.Frame>> seen = run(cases, new Scapy.Port(ns[0], "c1-eth0"),
            new Scapy.Port(ns[1], "c2-eth0"), new Scapy.Port(ns[2], "c3-eth0"), new Scapy.Port(ns[3], "up0"));
        for (final Case c : cases)
        {
            final boolean passes = "good".equals(c.name());
            assertEquals(passes, carries(seen.get(0), c.name()), c.name() + " on c2: " + seen.get(0));
            assertEquals(passes, carries(seen.get(1), c.name()), c.name() + " on c3: " + seen.get(1));
            assertFalse(carries(seen.get(2), c.name()), c.name() + " routed to the uplink: " + seen.get(2));
        }
        final String fib = ctl("show", "l2fib", "verbose");
        assertTrue(fib.contains(good), "the good source learned:\n" + fib);
        for (final String mac : List.of("00:00:00:00:00:00", "01:00:5e:00:00:01", BROADCAST))
        {
            assertFalse(fib.contains(mac), mac + " learned:\n" + fib);
        }
        assertTrue(ctl("show", "bridge-domain", "1").matches("(?s).*\\n +1 +\\d+ .* loop0\\s*"),
            "BVI-Intf names the BVI:\n" + ctl("show", "bridge-domain", "1"));
    }

    /** ARP {@code op} from {@code hw}/{@code ip} for {@code target}, in an Ethernet frame {@code ethSrc} → {@code ethDst}. */
    private static String arp(final String ethDst, final String ethSrc, final int op, final String hw, final String ip,
        final String target)
    {
        return "Ether(dst='" + ethDst + "',src='" + ethSrc + "')/ARP(op=" + op + ",hwsrc='" + hw + "',psrc='" + ip
            + "',hwdst='" + (op == 2 ? "02:fe:00:00:00:00" : "00:00:00:00:00:00") + "',pdst='" + target + "')";
    }

    @Test
    void shouldNotLetArpPoisonTheNeighborTable() throws Exception
    {
        final String[] ns = boot("demo.cli", "red", "blue");
        final Scapy.Port red = new Scapy.Port(ns[0], "red0");
        final Scapy.Port blue = new Scapy.Port(ns[1], "blue0");
        final String probe = "02:72:00:00:00:70";
        final String asker = "02:72:00:00:00:90";
        final String replier = "02:72:00:00:00:91";
        final String moved = "02:72:00:00:00:92";
        final String a = "arp-input|";
        final List<Case> poison = List.of(
            new Case("gratuitous reply for the router's address", arp(BROADCAST, ATTACKER, 2, ATTACKER, "10.10.1.1",
                "10.10.1.1"), 2, a + "IP4 source address matches local interface"),
            new Case("gratuitous request for the router's address", arp(BROADCAST, ATTACKER, 1, ATTACKER, "10.10.1.1",
                "10.10.1.1"), 1, a + "IP4 source address matches local interface"),
            new Case("request from the router's other address", arp(BROADCAST, ATTACKER, 1, ATTACKER, "10.10.2.1",
                "10.10.1.1"), 1, a + "IP4 source address matches local interface"),
            new Case("sender off the subnet", arp(BROADCAST, ATTACKER, 1, ATTACKER, "10.99.0.5", "10.10.1.1"), 2,
                a + "IP4 source address not local to subnet"),
            new Case("probe for our address", arp(BROADCAST, probe, 1, probe, "0.0.0.0", "10.10.1.1"), 1,
                a + "ARP probe (sender 0.0.0.0, RFC 5227) never learned"),
            new Case("gratuitous ARP for an unknown host", arp(BROADCAST, ATTACKER, 1, ATTACKER, "10.10.1.77",
                "10.10.1.77"), 2, a + "gratuitous ARP for an unknown neighbor (not learned)"),
            new Case("unsolicited reply for another host", arp(BROADCAST, ATTACKER, 2, ATTACKER, "10.10.1.78",
                "10.10.1.9"), 2, a + "ARP reply for an address that is not ours (not learned)"),
            new Case("request for another host", arp(BROADCAST, ATTACKER, 1, ATTACKER, "10.10.1.79", "10.10.1.9"), 1,
                a + "ARP request for an address that is not ours"),
            new Case("Ethernet source is not the sender", arp(BROADCAST, ATTACKER, 1, "02:72:00:00:00:81",
                "10.10.1.81", "10.10.1.1"), 2, a + "ARP hw addr does not match L2 frame src addr"),
            new Case("broadcast sender MAC", arp(BROADCAST, ATTACKER, 1, BROADCAST, "10.10.1.82", "10.10.1.1"), 1,
                a + "ARP sender MAC or address invalid"),
            new Case("request for our address", arp(BROADCAST, asker, 1, asker, "10.10.1.90", "10.10.1.1"), 1,
                a + "ARP request IP4 source address learned"),
            new Case("unsolicited reply to us", arp(BROADCAST, replier, 2, replier, "10.10.1.91",
                "10.10.1.1"), 1, a + "ARP replies received"));
        final List<List<Scapy.Frame>> seen = run(poison, red, red, blue);
        final List<Scapy.Frame> back = seen.get(0);
        assertEquals(1, back.stream().filter(f -> f.has("hwdst='" + probe + "'") && f.has("pdst='0.0.0.0'")).count(),
            "the probe for our address is answered (RFC 5227 2.1.1): " + back);
        assertEquals(1, back.stream().filter(f -> f.has("hwdst='" + asker + "'") && f.has("psrc='10.10.1.1'")).count(),
            "the request for our address is answered: " + back);
        assertEquals(2, back.stream().filter(f -> f.has("op=2") || f.has("is-at")).count(),
            "no other ARP answered: " + back);
        assertFalse(seen.get(1).stream().anyMatch(f -> f.has("02:72:00:00:00")), "nothing crafted reached blue: "
            + seen.get(1));
        // A known neighbor moves with a gratuitous ARP (a NIC swap, a failover): refreshed, not created.
        run(List.of(new Case("gratuitous ARP for a known neighbor", arp(BROADCAST, moved, 1, moved, "10.10.1.90",
            "10.10.1.90"), 1, a + "gratuitous ARP refreshed a known neighbor")), red, blue);
        final String neighbors = ctl("show", "ip", "neighbors");
        for (final String ip : List.of("10.10.1.1 ", "10.10.2.1 ", "0.0.0.0", "10.99.0.5", "10.10.1.77", "10.10.1.78",
            "10.10.1.79", "10.10.1.81", "10.10.1.82"))
        {
            assertFalse(neighbors.contains(ip), ip + " is a neighbor:\n" + neighbors);
        }
        assertFalse(neighbors.contains(ATTACKER), neighbors);
        assertTrue(neighbors.matches("(?s).*10\\.10\\.1\\.90 +D +" + moved + " +tap0.*"), neighbors);
        assertTrue(neighbors.matches("(?s).*10\\.10\\.1\\.91 +D +" + replier + " +tap0.*"), neighbors);
    }
}
