package jvpp.pmd.doctor;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DoctorCommandsTest
{
    private final Jvpp vpp = TestJvpp.create(256);

    @AfterEach
    void tearDown()
    {
        vpp.close();
    }

    @Test
    void shouldShowThePciTableOfTheMachineUnderTheRoot()
    {
        DoctorCommands.readFrom(vpp, Fixtures.tree("aws-ena").toString());
        assertEquals(DeviceTable.format(Fixtures.host("aws-ena")), ok(vpp, "show pci"));
    }

    @Test
    void shouldSurveyWithoutARequestAndCheckTheRequestServiceWhenThereIsOne()
    {
        DoctorCommands.readFrom(vpp, Fixtures.tree("aws-ena").toString());
        final String survey = ok(vpp, "show dpdk preflight");
        assertTrue(survey.contains("WARN 0000:00:06.0") || survey.contains("OK 0000:00:06.0"), survey);
        assertTrue(!survey.contains("ERROR"), survey);
        vpp.registerService(DoctorRequest.class, DoctorRequest.builder().pciDevice("0000:00:06.0").noHuge(true).build());
        final String checked = ok(vpp, "sh dpdk pre");
        assertTrue(checked.contains("ERROR vfio-pci is not loaded (/sys/module/vfio_pci is missing) — fix: modprobe vfio-pci\n"),
            checked);
    }

    @Test
    void shouldRegisterOnTheRealRootByDefault()
    {
        DoctorCommands.register(vpp);
        assertTrue(vpp.cli().has("show pci"));
        assertTrue(vpp.cli().has("show dpdk preflight"));
        ok(vpp, "show pci");
        ok(vpp, "show dpdk preflight");
    }
}
