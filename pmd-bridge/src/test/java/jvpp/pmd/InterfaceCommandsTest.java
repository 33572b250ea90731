package jvpp.pmd;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterfaceCommandsTest
{
    private Jvpp vpp;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(1024);
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    @Test
    void shouldCreateNullInterfacesWithVppStyleNames()
    {
        assertEquals("null0\n", ok(vpp, "create null interface"));
        assertEquals("null1\n", ok(vpp, "create null interface"));
        assertEquals("null7\n", ok(vpp, "create null interface instance 7"));
        assertEquals("create null interface: instance 7 already in use\n", fails(vpp, "create null interface instance 7"));
        final String show = ok(vpp, "show interface");
        assertTrue(show.contains("local0") && show.contains("null0") && show.contains("null7"), show);
        assertTrue(show.contains("down"), show);
        final String hw = ok(vpp, "show hardware-interfaces null0");
        assertTrue(hw.contains("null0") && hw.contains("Ethernet address 02:fe:00:00:00:00") && hw.contains("  null"), hw);
    }

    @Test
    void shouldSetStateAndReportUnknownInterfaces()
    {
        ok(vpp, "create null interface");
        ok(vpp, "set interface state null0 up");
        assertTrue(vpp.interfaces().get("null0").adminUp());
        assertTrue(ok(vpp, "sh int null0").contains(" up "));
        assertEquals("set interface state: unknown interface `tap9'\n", fails(vpp, "set interface state tap9 up"));
        assertEquals("set interface state: unknown input `sideways'\n", fails(vpp, "set interface state null0 sideways"));
        assertTrue(vpp.interfaces().get("null0").adminUp(), "a failed command changes nothing");
        ok(vpp, "set int st null0 down");
        assertTrue(!vpp.interfaces().get("null0").adminUp());
    }

    @Test
    void shouldDeleteAndRecreateAnInterfaceUnderTheSameName()
    {
        ok(vpp, "create null interface");
        ok(vpp, "delete null interface null0");
        assertTrue(!ok(vpp, "show interface").contains("null0"));
        assertEquals("null0\n", ok(vpp, "create null interface"));
        assertEquals("delete null interface: unknown interface `null5'\n", fails(vpp, "delete null interface null5"));
    }
}
