package jvpp.pmd.netlink;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliOutput;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetlinkCommandsTest
{
    private Jvpp vpp;
    private final HostNet host = new HostNet();

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(1024);
        NetlinkCommands.register(vpp);
        NetlinkCommands.register(vpp); // the integrator may call it too: harmless
    }

    @AfterEach
    void close()
    {
        vpp.close();
        host.close();
    }

    private static String linkJson(final String netns, final String link)
    {
        return netns == null ? HostNet.exec("ip", "-j", "link", "show", "dev", link).output() :
            HostNet.exec("ip", "-n", netns, "-j", "link", "show", "dev", link).output();
    }

    @Test
    void shouldRejectBadSyntaxWithoutTouchingTheHost()
    {
        assertEquals("create veth: missing peer interface name\n", fails(vpp, "create veth name jvtx"));
        assertEquals("create veth: missing interface name\n", fails(vpp, "create veth peer jvtx"));
        assertEquals("create veth: invalid interface name `jvt-much-too-long-name'\n",
            fails(vpp, "create veth name jvt-much-too-long-name peer jvty"));
        assertEquals("create veth: invalid interface name `jvt%d'\n", fails(vpp, "create veth name jvt%d peer jvty"));
        assertEquals("create veth: interface and peer must have different names\n",
            fails(vpp, "create veth name jvtx peer jvtx"));
        assertEquals("create veth: unknown input `bogus'\n", fails(vpp, "create veth name jvtx peer jvty bogus"));
        assertEquals("create veth: invalid netns name `a/b'\n", fails(vpp, "create veth name jvtx peer jvty peer-ns a/b"));
        assertEquals("delete veth: expected `name'\n", fails(vpp, "delete veth"));
        assertEquals("create netns: expected netns name\n", fails(vpp, "create netns"));
        assertEquals("delete netns: invalid netns name `..'\n", fails(vpp, "delete netns .."));
        // Found by CliFuzzTest (crash-tap-host-bridge-name): a 17-byte (UTF-8) bridge name reached the kernel, whose
        // ERANGE came back as an internal error. Names are checked before any lookup now, in every command.
        assertEquals("create tap: invalid interface name `ho.1ad\u00e9\u00e9\u00e9\u00e9-d'\n",
            fails(vpp, "create tap id 0 host-bridge ho.1ad\u00e9\u00e9\u00e9\u00e9-d"));
        assertEquals("create tap: invalid netns name `a/b'\n", fails(vpp, "create tap id 0 host-ns a/b"));
        assertEquals("create host-interface: invalid interface name `much-too-long-name'\n",
            fails(vpp, "create host-interface name much-too-long-name"));
        assertEquals(0, vpp.cli().internalErrors());
    }

    @Test
    @RequiresRoot("veth pairs and network namespaces")
    void shouldCreateVethIntoNewNamespaceAndDeleteIt()
    {
        final String a = host.link("a");
        final String b = host.link("b");
        final String ns = host.netns("n");
        assertEquals("", ok(vpp, "create veth name " + a + " peer " + b + " peer-ns " + ns));
        assertTrue(NetNs.exists(ns), "peer-ns created on demand");
        final String aJson = linkJson(null, a);
        assertTrue(aJson.contains("\"ifname\":\"" + a + "\"") && aJson.contains("\"UP\""), aJson);
        final String bJson = linkJson(ns, b);
        assertTrue(bJson.contains("\"ifname\":\"" + b + "\"") && bJson.contains("\"UP\""), bJson);
        assertTrue(bJson.contains("\"operstate\":\"UP\""), "both ends up, so carrier: " + bJson);
        assertFalse(HostNet.exec("ip", "link", "show", "dev", b).status() == 0, "peer is not in the root namespace");

        assertEquals("create veth: interface " + a + " already exists\n",
            fails(vpp, "create veth name " + a + " peer " + host.link("c")));
        assertEquals("create veth: interface " + b + " already exists in netns " + ns + "\n",
            fails(vpp, "create veth name " + host.link("d") + " peer " + b + " peer-ns " + ns));
        assertEquals("delete veth: lo is not a veth interface\n", fails(vpp, "delete veth name lo"));

        assertEquals("", ok(vpp, "delete veth name " + a));
        assertTrue(HostNet.exec("ip", "link", "show", "dev", a).status() != 0, "gone");
        assertTrue(HostNet.exec("ip", "-n", ns, "link", "show", "dev", b).status() != 0, "peer gone too");
        assertEquals("delete veth: unknown interface `" + a + "'\n", fails(vpp, "delete veth name " + a));

        assertEquals("create netns: netns " + ns + " already exists\n", fails(vpp, "create netns " + ns));
        assertEquals("", ok(vpp, "delete netns " + ns));
        assertFalse(NetNs.exists(ns));
        assertEquals("delete netns: unknown netns `" + ns + "'\n", fails(vpp, "delete netns " + ns));
    }

    @Test
    @RequiresRoot("veth pairs and network namespaces")
    void shouldCreateThePeerInItsNamespaceWhenItsNameIsTakenInThisOne()
    {
        // The README's container example: `create veth name app0 peer eth0 peer-ns app` on a host that has an eth0.
        // The peer is made in its namespace, so a device of the same name here is no obstacle (and is untouched).
        final String taken = host.link("t");
        final String other = host.link("o");
        assertEquals(0, HostNet.exec("ip", "link", "add", taken, "type", "veth", "peer", "name", other).status());
        final String a = host.link("a");
        final String ns = host.netns("n");
        assertEquals("", ok(vpp, "create veth name " + a + " peer " + taken + " peer-ns " + ns));
        final String inNs = linkJson(ns, taken);
        assertTrue(inNs.contains("\"ifname\":\"" + taken + "\"") && inNs.contains("\"UP\""), inNs);
        final String here = linkJson(null, taken);
        assertTrue(here.contains("\"ifname\":\"" + taken + "\"") && !here.contains("\"UP\""),
            "the root namespace's device of that name is still there, untouched: " + here);
        assertEquals("", ok(vpp, "delete veth name " + a));
        assertTrue(HostNet.exec("ip", "-n", ns, "link", "show", "dev", taken).status() != 0, "peer gone with it");
        assertEquals(0, HostNet.exec("ip", "link", "show", "dev", taken).status(), "the other one stays");
    }

    @Test
    @RequiresRoot("veth pairs and network namespaces")
    void shouldCreateVethInRootNamespaceWhenNoPeerNs()
    {
        final String a = host.link("a");
        final String b = host.link("b");
        ok(vpp, "create veth name " + a + " peer " + b);
        try (RtNetlink rt = RtNetlink.open())
        {
            assertTrue(rt.linkInfo(a).up() && rt.linkInfo(b).up());
            assertEquals("veth", rt.linkInfo(b).kind());
        }
        ok(vpp, "delete veth name " + b);
        try (RtNetlink rt = RtNetlink.open())
        {
            assertFalse(rt.linkExists(a) || rt.linkExists(b));
        }
    }

    @Test
    @RequiresRoot("veth pairs and network namespaces")
    void shouldCreateAndDeleteNamespaces()
    {
        final String ns = host.netns("n");
        assertEquals("", ok(vpp, "create netns " + ns));
        assertTrue(HostNet.exec("ip", "netns", "list").output().contains(ns), "ip netns sees it");
        assertEquals(0, HostNet.exec("ip", "netns", "exec", ns, "true").status());
        ok(vpp, "delete netns " + ns);
        assertFalse(HostNet.exec("ip", "netns", "list").output().contains(ns));
    }

    @Test
    @RequiresRoot("veth pairs and network namespaces")
    void shouldRollBackEverythingWhenCreateFailsHalfWay()
    {
        final String a = host.link("a");
        final String b = host.link("b");
        final String ns = host.netns("n");
        final CliException failed = assertThrows(CliException.class, () -> NetlinkCommands.createVethAction(a, b, ns, true,
            () -> {
                throw new NetlinkException("netlink", "injected", NetlinkLibC.EINVAL);
            }).run(new CliOutput()));
        assertEquals("injected: Invalid argument (EINVAL)", failed.getMessage());
        try (RtNetlink rt = RtNetlink.open())
        {
            assertFalse(rt.linkExists(a), "the veth is deleted again");
        }
        assertFalse(NetNs.exists(ns), "the namespace the command created is deleted again");
    }
}
