package jvpp.core.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import jvpp.core.sys.Capabilities.Cap;
import org.junit.jupiter.api.Test;

class CapabilitiesTest
{
    private static final String STATUS = "Name:\tjava\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
        + "CapEff:\t0000000000003000\nCapBnd:\t000001ffffffffff\n";

    @Test
    void shouldReadTheEffectiveMaskFromProcStatus()
    {
        assertEquals(0x3000L, Capabilities.effective(STATUS));
        assertEquals(0L, Capabilities.effective("Name:\tjava\n"));
        assertEquals(0x1ff_ffff_ffffL, Capabilities.effective("CapEff:\t000001ffffffffff\n"));
    }

    @Test
    void shouldNameWhatIsMissingAndHowToGrantIt()
    {
        final long netAdminAndRaw = Capabilities.effective(STATUS);
        assertEquals(List.of(Cap.SYS_ADMIN), Capabilities.missing(netAdminAndRaw, Cap.NET_ADMIN, Cap.SYS_ADMIN));
        assertNull(Capabilities.explainMissing(netAdminAndRaw, Cap.NET_ADMIN, Cap.NET_RAW));
        assertEquals("needs CAP_NET_ADMIN (taps, veths, addresses and routes on the host, moving links between "
            + "namespaces) and CAP_SYS_ADMIN (creating and entering network namespaces), which this process does not "
            + "have: run as root, or grant cap_net_admin,cap_sys_admin (setcap ...+ep on the java binary, or "
            + "AmbientCapabilities= in a systemd unit)", Capabilities.explainMissing(0, Cap.NET_ADMIN, Cap.SYS_ADMIN));
    }
}
