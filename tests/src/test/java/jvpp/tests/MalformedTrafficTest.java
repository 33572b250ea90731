package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.tests.net.Packets;
import jvpp.tests.net.RawSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed traffic through a real tap: a namespace writes hand-made frames (AF_PACKET) into jvpp's tap0 —
 * truncated Ethernet and IPv4 headers, oversize frames, bad IHL, total lengths over and under the frame,
 * bad checksums, TTL 0 and 1, IP options, fragments, bad ARP, multicast and broadcast sources, frames for
 * other MACs, unknown EtherTypes, tags nobody takes. Each kind is sent {@value #COPIES} times and must show
 * up exactly that many times under its own reason in {@code show errors} (or as what jvpp did with it: an
 * answer, a forward); the router stays up and {@code show buffers} adds up afterwards. The sender's namespace
 * has IPv6 off and no IPv4 address, so its kernel adds nothing. Root only.
 */
@RequiresRoot("taps, namespaces and AF_PACKET")
class MalformedTrafficTest
{
    private static final int COPIES = 5;
    private static final String JVPP_MAC = "02:fe:00:00:60:01";
    private static final String HOST_MAC = "02:fe:00:00:60:02";
    private static final String JVPP_IP = "10.60.0.1";
    private static final String HOST_IP = "10.60.0.2";
    private static final String FAR_IP = "10.61.0.2";

    @TempDir
    Path dir;

    private final HostNet net = new HostNet();
    private JvppProcess jvpp;
    private Path socket;
    private String sender;
    private String far;

    @BeforeEach
    void boot() throws Exception
    {
        sender = net.namespace("ms");
        far = net.namespace("mf");
        for (final String ns : List.of(sender, far))
        {
            HostNet.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            HostNet.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        }
        socket = dir.resolve("cli.sock");
        jvpp = JvppProcess.startWithCli(dir, socket,
            "create tap id 0 hw-addr " + JVPP_MAC + " host-if-name " + sender + "0 host-ns " + sender
                + " host-mac-addr " + HOST_MAC + " host-mtu-size 9000 no-gso",
            "set interface ip address tap0 " + JVPP_IP + "/24",
            "set ip neighbor tap0 " + HOST_IP + " " + HOST_MAC,
            "set interface state tap0 up",
            "create tap id 1 host-if-name " + far + "0 host-ns " + far + " host-ip4-addr " + FAR_IP
                + "/24 host-ip4-gw 10.61.0.1",
            "set interface ip address tap1 10.61.0.1/24",
            "set interface mtu 1500 tap1",
            "set interface state tap1 up");
        // More than the tap receives without gso (create tap refuses to set it): the oversize kind needs it.
        HostNet.runIn(sender, "ip", "link", "set", sender + "0", "mtu", "16000");
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

    /** One kind of bad frame and where it must be counted ({@code node|reason}). */
    private record Kind(String name, byte[] frame, String counter)
    {
    }

    private static byte[] eth(final int type, final byte[] payload)
    {
        return Packets.ethernet(JVPP_MAC, HOST_MAC, type, payload);
    }

    private static byte[] ip4To(final String dst, final int ttl, final byte[] payload)
    {
        return Packets.ip4(HOST_IP, dst, 17, ttl, payload);
    }

    private static List<Kind> kinds()
    {
        final byte[] udp = Packets.udp(40000, 9, 18);
        final byte[] good = ip4To(FAR_IP, 64, udp);
        final List<Kind> k = new ArrayList<>();
        k.add(new Kind("IPv4 header cut at 10 bytes", eth(Packets.TYPE_IP4, Arrays.copyOf(good, 10)),
            "ip4-input|ip4 packet shorter than 20 bytes"));
        k.add(new Kind("Ethernet header alone, IPv4 type", eth(Packets.TYPE_IP4, new byte[0]),
            "ip4-input|ip4 packet shorter than 20 bytes"));
        k.add(new Kind("ARP cut at 20 bytes", eth(Packets.TYPE_ARP, Arrays.copyOf(Packets.arp(1, 0x800, 6, 4, 1,
            HOST_MAC, HOST_IP, "00:00:00:00:00:00", JVPP_IP), 20)), "arp-input|ARP packet too short"));
        // A tap without gso receives up to a 9216-byte MTU's frame into a chain; the host side's MTU (16000) lets more
        // through.
        k.add(new Kind("oversize (12000 bytes)", eth(Packets.TYPE_IP4, ip4To(FAR_IP, 64, new byte[11966])),
            "tap-input|frame larger than a buffer chain"));
        k.add(new Kind("3000-byte echo request in a chain, to us: answered", eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP,
            JVPP_IP, 1, 64, Packets.echoRequest(7, 5, 2972))), "ip4-local|echo replies sent"));
        k.add(new Kind("IHL 3", eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP, FAR_IP, 17, 64, 0, new byte[0], 3, -1, udp)),
            "ip4-input|ip4 header length < 20 bytes"));
        k.add(new Kind("total length over the frame",
            eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP, FAR_IP, 17, 64, 0, new byte[0], -1, 1400, udp)),
            "ip4-input|ip4 length > l2 length"));
        k.add(new Kind("total length under the header",
            eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP, FAR_IP, 17, 64, 0, new byte[0], -1, 12, udp)),
            "ip4-input|ip4 length < header length"));
        final byte[] echo = Packets.ip4(HOST_IP, JVPP_IP, 1, 64, Packets.echoRequest(7, 1, 16));
        final byte[] padded = Arrays.copyOf(echo, echo.length + 30);
        Arrays.fill(padded, echo.length, padded.length, (byte)0xee);
        k.add(new Kind("total length under the frame (trailing bytes): answered", eth(Packets.TYPE_IP4, padded),
            "ip4-local|echo replies sent"));
        final byte[] badSum = good.clone();
        badSum[10] ^= 0x5a;
        k.add(new Kind("bad header checksum", eth(Packets.TYPE_IP4, badSum), "ip4-input|bad ip4 checksum"));
        k.add(new Kind("TTL 0", eth(Packets.TYPE_IP4, ip4To(FAR_IP, 0, udp)), "ip4-input|ip4 ttl 0"));
        k.add(new Kind("TTL 1 to forward", eth(Packets.TYPE_IP4, ip4To(FAR_IP, 1, udp)), "ip4-rewrite|ip4 ttl <= 1"));
        k.add(new Kind("IP options (record route), to us: answered", eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP, JVPP_IP,
            1, 64, 0, new byte[] {7, 7, 4, 0, 0, 0, 0, 1}, -1, -1, Packets.echoRequest(7, 2, 16))),
            "ip4-local|echo replies sent"));
        // Fragments to us are reassembled; these two can never be part of a datagram.
        k.add(new Kind("first fragment with 20 bytes of data (not a multiple of 8), to us", eth(Packets.TYPE_IP4,
            Packets.ip4(HOST_IP, JVPP_IP, 1, 64, 0x2000, new byte[0], -1, -1, Packets.echoRequest(7, 3, 12))),
            "ip4-local-full-reassembly|malformed fragments"));
        k.add(new Kind("last fragment ending past 64 KB, to us", eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP, JVPP_IP, 1,
            64, 0x1fff, new byte[0], -1, -1, new byte[24])),
            "ip4-local-full-reassembly|reassembly over 65535 bytes (datagram dropped)"));
        // Over tap1's MTU (1500) without DF, so ip4-frag has them, and it cannot cut them.
        k.add(new Kind("option length past the header, over the egress MTU", eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP,
            FAR_IP, 17, 64, 0, new byte[] {(byte)0x94, 9, 0, 0}, -1, -1, new byte[1600])),
            "ip4-frag|ip4 options malformed (cannot fragment)"));
        k.add(new Kind("fragment that would end past 64 KB, over the egress MTU", eth(Packets.TYPE_IP4, Packets.ip4(HOST_IP,
            FAR_IP, 17, 64, 0x1ffe, new byte[0], -1, -1, new byte[1600])), "ip4-frag|ip4 fragment would end beyond 64 KB"));
        k.add(new Kind("ARP hardware address length 5", eth(Packets.TYPE_ARP, Packets.arp(1, 0x800, 5, 4, 1, HOST_MAC,
            HOST_IP, "00:00:00:00:00:00", JVPP_IP)), "arp-input|ARP bad address lengths"));
        k.add(new Kind("ARP opcode 9", eth(Packets.TYPE_ARP, Packets.arp(1, 0x800, 6, 4, 9, HOST_MAC, HOST_IP,
            "00:00:00:00:00:00", JVPP_IP)), "arp-input|ARP unknown opcode"));
        k.add(new Kind("ARP hardware type 6", eth(Packets.TYPE_ARP, Packets.arp(6, 0x800, 6, 4, 1, HOST_MAC, HOST_IP,
            "00:00:00:00:00:00", JVPP_IP)), "arp-input|ARP hardware type not Ethernet"));
        k.add(new Kind("ARP for IPv6", eth(Packets.TYPE_ARP, Packets.arp(1, 0x86dd, 6, 4, 1, HOST_MAC, HOST_IP,
            "00:00:00:00:00:00", JVPP_IP)), "arp-input|ARP protocol type not IP4"));
        k.add(new Kind("ARP from a multicast sender MAC", eth(Packets.TYPE_ARP, Packets.arp(1, 0x800, 6, 4, 1,
            "01:00:5e:00:00:01", HOST_IP, "00:00:00:00:00:00", JVPP_IP)), "arp-input|ARP sender MAC or address invalid"));
        k.add(new Kind("IPv4 from a multicast source", eth(Packets.TYPE_IP4, Packets.ip4("224.0.0.9", FAR_IP, 17, 64,
            udp)), "ip4-input|ip4 source address multicast or broadcast"));
        k.add(new Kind("IPv4 from the broadcast source", eth(Packets.TYPE_IP4, Packets.ip4("255.255.255.255", JVPP_IP,
            1, 64, Packets.echoRequest(7, 4, 8))), "ip4-input|ip4 source address multicast or broadcast"));
        k.add(new Kind("for another MAC", Packets.ethernet("02:fe:00:00:99:99", HOST_MAC, Packets.TYPE_IP4, good),
            "ethernet-input|l3 mac mismatch"));
        k.add(new Kind("unknown EtherType (LLDP)", eth(0x88cc, new byte[46]), "ethernet-input|unknown ethernet type"));
        final byte[] tagged = new byte[good.length + 18];
        System.arraycopy(eth(0x8100, new byte[] {0, 100, 8, 0}), 0, tagged, 0, 18);
        System.arraycopy(good, 0, tagged, 18, good.length);
        k.add(new Kind("802.1Q tag nobody takes", tagged, "ethernet-input|unknown vlan"));
        return k;
    }

    private Map<String, Long> errors()
    {
        return ErrorCounts.read(socket);
    }

    private long counter(final String ifname, final String name)
    {
        final String show = JvppProcess.ctl(socket, "show", "interface", ifname).out();
        final Matcher x = Pattern.compile(name + "\\s+(\\d+)").matcher(show);
        return x.find() ? Long.parseLong(x.group(1)) : 0;
    }

    @Test
    void shouldCountEveryMalformedFrameUnderItsReasonAndStayUp() throws Exception
    {
        final List<Kind> kinds = kinds();
        final Map<String, Long> expected = new LinkedHashMap<>();
        for (final Kind k : kinds)
        {
            expected.merge(k.counter(), (long)COPIES, Long::sum);
        }
        // Resolve the far host first: a packet that waits for ARP is held (at most 4 per neighbor), not counted yet.
        assertEquals(0, HostNet.inNs(far, "ping", "-c", "1", "-W", "2", "10.61.0.1").status());
        final long rxBefore = counter("tap0", "rx packets");
        final Map<String, Long> before = errors();
        try (RawSocket raw = RawSocket.openIn(sender, sender + "0"))
        {
            for (final Kind k : kinds)
            {
                for (int c = 0; c < COPIES; c++)
                {
                    raw.send(k.frame());
                }
            }
        }
        final long frames = (long)kinds.size() * COPIES;
        HostNet.within(5_000, () -> counter("tap0", "rx packets") - rxBefore >= frames);
        Thread.sleep(200);
        assertEquals(frames, counter("tap0", "rx packets") - rxBefore, "every frame reached jvpp");
        final Map<String, Long> after = errors();
        final StringBuilder wrong = new StringBuilder();
        for (final Map.Entry<String, Long> e : expected.entrySet())
        {
            final long got = after.getOrDefault(e.getKey(), 0L) - before.getOrDefault(e.getKey(), 0L);
            if (got != e.getValue())
            {
                wrong.append(e.getKey()).append(": expected ").append(e.getValue()).append(", got ").append(got)
                    .append('\n');
            }
        }
        assertTrue(wrong.length() == 0, wrong + "\n" + JvppProcess.ctl(socket, "show", "errors").out());

        // Still routing, and every buffer is back (or held by someone show buffers names).
        assertEquals(0, HostNet.inNs(far, "ping", "-c", "1", "-W", "2", "10.61.0.1").status());
        final String buffers = JvppProcess.ctl(socket, "show", "buffers").out();
        final Matcher used = Pattern.compile("\\n\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d+)")
            .matcher(buffers);
        assertTrue(used.find(), buffers);
        long held = 0;
        final Matcher h = Pattern.compile("held by .*: (\\d+)").matcher(buffers);
        while (h.find())
        {
            held += Long.parseLong(h.group(1));
        }
        assertEquals(held, Long.parseLong(used.group(1)), "used buffers = what holders hold:\n" + buffers);
        assertTrue(jvpp.process().isAlive());
    }
}
