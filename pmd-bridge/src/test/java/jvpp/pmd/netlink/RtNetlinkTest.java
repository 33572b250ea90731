package jvpp.pmd.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.net.Ip4;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@RequiresRoot("veth pairs and network namespaces")
class RtNetlinkTest
{
    private final HostNet host = new HostNet();

    @AfterEach
    void cleanUp()
    {
        host.close();
    }

    @Test
    void shouldPingAcrossVethWhenEndsAreInNamespacesAndAddressed()
    {
        final String nsA = host.netns("a");
        final String nsB = host.netns("b");
        final String a = host.link("a");
        final String b = host.link("b");
        final int net = Ip4.parse(host.subnet() + "0");
        NetNs.create(nsA);
        NetNs.create(nsB);
        assertTrue(NetNs.exists(nsA));
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(a, b);
            assertTrue(rt.linkExists(a) && rt.linkExists(b));
            assertEquals("veth", rt.linkInfo(a).kind());
            final int fdA = NetNs.open(nsA);
            final int fdB = NetNs.open(nsB);
            try
            {
                rt.setLinkNetns(a, fdA);
                rt.setLinkNetns(b, fdB);
            }
            finally
            {
                NetNs.close(fdA);
                NetNs.close(fdB);
            }
            assertFalse(rt.linkExists(a), "moved out of the root namespace");
        }
        NetNs.inside(nsA, () -> {
            try (RtNetlink rt = RtNetlink.open())
            {
                rt.addAddress(a, net | 1, 24);
                rt.setLinkUp(a, true);
                rt.setLinkUp("lo", true);
            }
            return null;
        });
        try (RtNetlink rt = RtNetlink.open(nsB))
        {
            rt.addAddress(b, net | 2, 24);
            rt.setLinkUp(b, true);
            assertTrue(rt.linkInfo(b).up());
        }
        final Commands.Result ping = HostNet.inNs(nsB, "ping", "-c", "1", "-W", "1", Ip4.format(net | 1));
        assertEquals(0, ping.status(), ping.output());
        final String addr = HostNet.exec("ip", "-n", nsA, "-j", "addr", "show", "dev", a).output();
        assertTrue(addr.contains("\"local\":\"" + Ip4.format(net | 1) + "\"") && addr.contains("\"prefixlen\":24"), addr);
    }

    @Test
    void shouldChangeMtuMacAndNameWhenAsked()
    {
        final String a = host.link("a");
        final String b = host.link("b");
        final String renamed = host.link("r");
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(a, b);
            rt.setMtu(a, 1400);
            rt.setMac(a, 0x02_aa_bb_cc_dd_eeL);
            assertEquals(0x02_aa_bb_cc_dd_eeL, rt.mac(a));
            final LinkInfo info = rt.linkInfo(a);
            assertEquals(1400, info.mtu());
            assertFalse(info.up());
            final String json = HostNet.exec("ip", "-j", "link", "show", "dev", a).output();
            assertTrue(json.contains("\"mtu\":1400") && json.contains("\"address\":\"02:aa:bb:cc:dd:ee\""), json);

            final int index = rt.linkIndex(a);
            rt.setLinkName(a, renamed);
            assertEquals(-1, rt.linkIndex(a));
            assertEquals(index, rt.linkIndex(renamed));
            assertEquals(0, HostNet.exec("ip", "link", "show", "dev", renamed).status());

            rt.setLinkUp(renamed, true);
            rt.setLinkUp(b, true);
            final LinkInfo up = rt.linkInfo(renamed);
            assertTrue(up.up(), up.toString());
            rt.deleteLink(renamed);
            assertFalse(rt.linkExists(b), "deleting one end deletes the pair");
        }
    }

    @Test
    void shouldAddDefaultRouteInsideNamespace()
    {
        final String ns = host.netns("n");
        final String a = host.link("a");
        final String b = host.link("b");
        final int net = Ip4.parse(host.subnet() + "0");
        NetNs.create(ns);
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(a, b);
            final int fd = NetNs.open(ns);
            try
            {
                rt.setLinkNetns(b, fd);
            }
            finally
            {
                NetNs.close(fd);
            }
        }
        try (RtNetlink rt = RtNetlink.open(ns))
        {
            rt.addAddress(b, net | 2, 24);
            rt.setLinkUp(b, true);
            rt.addRoute(0, 0, net | 1);
            rt.addRoute((192 << 24) | (168 << 16) | (77 << 8), 24, net | 1);
            final NetlinkException twice = assertThrows(NetlinkException.class, () -> rt.addRoute(0, 0, net | 1));
            assertEquals(NetlinkLibC.EEXIST, twice.errno());
        }
        final String routes = HostNet.exec("ip", "-n", ns, "-j", "route", "show").output();
        assertTrue(routes.contains("\"dst\":\"default\",\"gateway\":\"" + Ip4.format(net | 1) + "\""), routes);
        assertTrue(routes.contains("\"dst\":\"192.168.77.0/24\",\"gateway\":\"" + Ip4.format(net | 1) + "\""), routes);
        assertEquals("", HostNet.exec("ip", "-j", "route", "show", "192.168.77.0/24").output().replace("[]", "").trim(),
            "the root namespace is untouched");
    }

    @Test
    void shouldEnslaveToBridgeWhenAsked()
    {
        final String br = host.link("br");
        final String a = host.link("a");
        final String b = host.link("b");
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createBridge(br);
            rt.createVeth(a, b);
            rt.setMaster(a, br);
            assertEquals(rt.linkIndex(br), rt.linkInfo(a).master());
            assertEquals("bridge", rt.linkInfo(br).kind());
            rt.setMaster(a, null);
            assertEquals(0, rt.linkInfo(a).master());
        }
    }

    @Test
    void shouldExplainWhenVethExistsOrLinkIsMissing()
    {
        final String a = host.link("a");
        final String b = host.link("b");
        final String missing = host.link("m");
        try (RtNetlink rt = RtNetlink.open())
        {
            rt.createVeth(a, b);
            final NetlinkException exists = assertThrows(NetlinkException.class, () -> rt.createVeth(a, b));
            assertEquals(NetlinkLibC.EEXIST, exists.errno());
            assertTrue(exists.getMessage().startsWith("netlink: create veth " + a + "/" + b + ": File exists (EEXIST)"),
                exists.getMessage());

            final NetlinkException gone = assertThrows(NetlinkException.class, () -> rt.deleteLink(missing));
            assertEquals(NetlinkLibC.ENODEV, gone.errno());
            assertEquals("netlink: delete link " + missing + ": No such device (ENODEV)", gone.getMessage());
            assertThrows(NetlinkException.class, () -> rt.setMtu(missing, 1400));
            assertThrows(NetlinkException.class, () -> rt.addAddress(missing, 0x0a000001, 24));
            assertEquals(-1, rt.linkIndex(missing));
            assertNull(rt.linkInfo(missing));
            assertNotNull(rt.linkInfo("lo"));
        }
    }

    @Test
    void shouldRunInsideNamespaceWithoutMovingTheCaller()
    {
        final String ns = host.netns("n");
        NetNs.create(ns);
        final int rootLinks;
        try (RtNetlink rt = RtNetlink.open())
        {
            rootLinks = rt.links().size();
        }
        final int nsLinks = NetNs.inside(ns, () -> {
            try (RtNetlink rt = RtNetlink.open())
            {
                return rt.links().size();
            }
        });
        assertEquals(1, nsLinks, "a fresh namespace has lo only");
        try (RtNetlink rt = RtNetlink.open())
        {
            assertEquals(rootLinks, rt.links().size(), "the caller stays in its namespace");
        }
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> NetNs.inside(ns, () -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", thrown.getMessage());
        final NetlinkException exists = assertThrows(NetlinkException.class, () -> NetNs.create(ns));
        assertEquals(NetlinkLibC.EEXIST, exists.errno());
        NetNs.delete(ns);
        assertFalse(NetNs.exists(ns));
        assertEquals(NetlinkLibC.ENOENT, assertThrows(NetlinkException.class, () -> NetNs.delete(ns)).errno());
        assertEquals(NetlinkLibC.ENOENT, assertThrows(NetlinkException.class, () -> NetNs.inside(ns, () -> 1)).errno());
    }
}
