package jvpp.pmd.afpacket;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.iface.Interface;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.TestJvpp;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.testing.CaptureNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AfPacketCommandsTest
{
    private Jvpp vpp;
    private HostNet net;
    private List<CaptureNode.Packet> captured;

    @BeforeEach
    void setUp()
    {
        vpp = TestJvpp.create(2048);
        captured = CaptureNode.capture(vpp, PortInputNode.ETHERNET_INPUT);
    }

    @AfterEach
    void tearDown()
    {
        vpp.close();
        if (net != null)
        {
            net.close();
        }
    }

    @Test
    void shouldRefuseAnInterfaceTheKernelDoesNotHave()
    {
        assertEquals("create host-interface: Invalid interface name\n",
            fails(vpp, "create host-interface name jvpnosuchif9"));
        assertEquals("create host-interface: unknown input `sideways'\n",
            fails(vpp, "create host-interface name lo sideways"));
        assertEquals("create host-interface: ring size must be power of 2\n",
            fails(vpp, "create host-interface name lo rx-size 1000"));
        assertNull(vpp.interfaces().get("host-lo"), "a failed command changes nothing");
    }

    @Test
    @RequiresRoot("AF_PACKET and network namespaces")
    void shouldReceiveThroughAfPacketInputAndTransmitThroughTheTxNodeWhenAttachedToAVeth() throws Exception
    {
        net = new HostNet();
        final String ns = net.namespace("ns");
        final String near = net.name("a");
        final String far = net.name("b");
        net.veth(near, far, ns);
        // No IPv6 on the root-namespace end: its DAD and MLD frames would land in the peer's rx count below.
        java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys/net/ipv6/conf", near, "disable_ipv6"), "1");
        final String subnet = net.subnet();
        HostNet.runIn(ns, "ip", "addr", "add", subnet + "2/24", "dev", far);

        assertEquals("host-" + near + "\n", ok(vpp, "create host-interface name " + near + " hw-addr 02:fe:12:34:56:78"));
        assertEquals("create host-interface: Interface already exists\n", fails(vpp, "create host-interface name " + near));
        final Interface ifc = vpp.interfaces().get("host-" + near);
        assertEquals(0x02fe_1234_5678L, ifc.mac());
        ok(vpp, "set interface state host-" + near + " up");
        assertTrue(ok(vpp, "show hardware-interfaces host-" + near).contains("af_packet"));
        assertEquals(Interface.TX_CHAINS | Interface.TX_CSUM | Interface.TX_GSO, ifc.txOffloads(), "offloads by default");
        assertTrue(ok(vpp, "show hardware-interfaces host-" + near).contains("offloads gso csum-offload"));

        net.start("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.3", "-W", "1", subnet + "9");
        final long deadline = System.currentTimeMillis() + 5000;
        while (captured.stream().noneMatch(p -> p.etherType() == 0x0806) && System.currentTimeMillis() < deadline)
        {
            vpp.mainDispatcher().doWork();
        }
        assertTrue(captured.stream().anyMatch(p -> p.etherType() == 0x0806 && p.rxIf() == ifc.swIfIndex()), "ARP in");

        final long before = HostNet.stat(ns, far, "rx_packets");
        final int bi = vpp.mainDispatcher().buffers().alloc();
        final var mem = vpp.pool().memory();
        final int s = vpp.pool().start[bi];
        mem.setMemory(s, 6, (byte)0xff);
        mem.putLong(s + 6, Long.reverseBytes(0x02fe_1234_5678L << 16));
        mem.putShort(s + 12, Short.reverseBytes((short)0x88b5));
        vpp.pool().length[bi] = 60;
        vpp.pool().txIf[bi] = ifc.swIfIndex();
        vpp.mainDispatcher().inject(vpp.graph().index("host-" + near + "-tx"), bi);
        TestJvpp.drain(vpp);
        long after = before;
        while (after == before && System.currentTimeMillis() < deadline + 3000)
        {
            after = HostNet.stat(ns, far, "rx_packets");
        }
        assertEquals(1, after - before, "frame out");

        ok(vpp, "delete host-interface name " + near);
        assertNull(vpp.interfaces().get("host-" + near));
        assertEquals("delete host-interface: Invalid interface name\n", fails(vpp, "delete host-interface name " + near));
        ok(vpp, "create host-interface name " + near + " cksum-gso-disable qdisc-bypass-disable");
        assertEquals(Interface.TX_CHAINS, vpp.interfaces().get("host-" + near).txOffloads(), "chains only");
        final String hw = ok(vpp, "show hardware-interfaces host-" + near);
        assertTrue(hw.contains("offloads none (cksum-gso-disable), qdisc bypass off"), hw);
        ok(vpp, "delete host-interface name " + near);
        TestJvpp.drain(vpp);
        vpp.mainDispatcher().buffers().flush();
        assertEquals(0, vpp.pool().used());
    }
}
