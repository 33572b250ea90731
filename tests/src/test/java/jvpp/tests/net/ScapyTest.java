package jvpp.tests.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scapy harness itself, on a veth between two namespaces (no jvpp): what one sends the other captures,
 * with its fields, and a capture does not see what its own side sends. Root only; skipped without scapy.
 */
@RequiresRoot(value = "namespaces and veth", commands = "ip")
class ScapyTest
{
    private final HostNet net = new HostNet();

    @AfterEach
    void cleanUp()
    {
        net.close();
    }

    @Test
    void whatOneSideSendsTheOtherCaptures() throws Exception
    {
        final String why = Scapy.unavailable();
        assumeTrue(why == null, why);
        final String a = net.namespace("sa");
        final String b = net.namespace("sb");
        for (final String ns : List.of(a, b))
        {
            HostNet.runIn(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        }
        HostNet.run("ip", "-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b);
        HostNet.run("ip", "-n", a, "link", "set", "va", "up");
        HostNet.run("ip", "-n", b, "link", "set", "vb", "up");

        final List<List<Scapy.Frame>> seen = Scapy.exchange(new Scapy.Port(a, "va"),
            List.of("Ether(dst='02:00:00:00:00:02',src='02:00:00:00:00:01')/IP(src='10.1.2.3',dst='10.3.2.1',ttl=7)"
                + "/UDP(sport=1234,dport=4321)/Raw(b'hello')",
                "Ether(dst='ff:ff:ff:ff:ff:ff',src='02:00:00:00:00:01')/ARP(psrc='10.1.2.3',pdst='10.1.2.4')"),
            new Scapy.Port(b, "vb"), new Scapy.Port(a, "va"));

        final List<Scapy.Frame> atB = seen.get(0);
        assertEquals(2, atB.size(), atB.toString());
        assertTrue(atB.get(0).has("ttl=7") && atB.get(0).has("src='10.1.2.3'") && atB.get(0).has("dport=4321"),
            atB.toString());
        assertEquals(14 + 20 + 8 + 5, atB.get(0).length());
        assertTrue(atB.get(1).has("ARP who has 10.1.2.4"), atB.toString());
        assertEquals(List.of(), seen.get(1), "the sending side captures only what arrives");
    }
}
