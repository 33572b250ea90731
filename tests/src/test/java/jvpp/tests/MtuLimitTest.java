package jvpp.tests;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.Jvpp;
import jvpp.core.iface.Interface;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code set interface mtu} against what each driver can do ({@code Port.maxMtu}, carried as
 * {@code Interface.maxMtu}): refused above it with the limit in the message, taken up to it, for null, loopback,
 * an interface whose driver says nothing, a VLAN sub-interface, and (root) taps with and without gso. DPDK's limit is
 * DpdkPortTest's (pmd-bridge); jvpp has no packet-generator interface of its own (a stream receives on an existing
 * interface).
 */
class MtuLimitTest
{
    private Jvpp vpp;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create();
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private int mtu(final String name)
    {
        return vpp.interfaces().get(name).l3Mtu();
    }

    @Test
    void shouldTakeUpTo64KOnNullAndLoopbackThatNothingLimits()
    {
        ok(vpp, "create null interface");
        ok(vpp, "create loopback interface");
        for (final String ifc : new String[] {"null0", "loop0"})
        {
            ok(vpp, "set interface mtu " + Interface.MAX_MTU + " " + ifc);
            assertEquals(Interface.MAX_MTU, mtu(ifc));
            ok(vpp, "set interface mtu ip4 9000 " + ifc);
        }
        assertTrue(fails(vpp, "set interface mtu 65536 null0").contains("between 64 and 65535"));
        ok(vpp, "create sub-interfaces null0 100");
        ok(vpp, "set interface mtu 65535 null0.100");
    }

    @Test
    void shouldRefuseMoreThanTheDefaultLimitWhereTheDriverSaysNothing()
    {
        final Interface plain = vpp.interfaces().create("plain0", () -> "sink", 0x0200_0000_0001L, null);
        assertEquals(Interface.DEFAULT_MAX_MTU, plain.maxMtu());
        ok(vpp, "set interface mtu 9216 plain0");
        final String refused = fails(vpp, "set interface mtu 9217 plain0");
        assertTrue(refused.contains("MTU 9217 is more than plain0 (sink) can do: at most 9216"), refused);
        assertTrue(fails(vpp, "set interface mtu ip4 9217 plain0").contains("at most 9216"));
        assertEquals(9216, mtu("plain0"), "a refused MTU changes nothing");
    }

    @Test
    @RequiresRoot("tap")
    void shouldRefuseMoreThanATapReceivesWithAndWithoutGso()
    {
        final HostNet net = new HostNet();
        try
        {
            ok(vpp, "create tap id 0 host-if-name " + net.name("m0") + " no-gso");
            ok(vpp, "create tap id 1 host-if-name " + net.name("m1"));
            ok(vpp, "set interface mtu 9216 tap0");
            final String refused = fails(vpp, "set interface mtu 9217 tap0");
            assertTrue(refused.contains("more than tap0 (tap) can do: at most 9216"), refused);
            assertEquals(9216, mtu("tap0"), "nothing changed");
            ok(vpp, "create sub-interfaces tap0 7");
            assertTrue(fails(vpp, "set interface mtu 9300 tap0.7").contains("at most 9216"), "the parent's limit");
            ok(vpp, "set interface mtu 65535 tap1");
            assertEquals(65535, mtu("tap1"), "a gso tap receives 64 KB");
        }
        finally
        {
            net.close();
        }
    }
}
