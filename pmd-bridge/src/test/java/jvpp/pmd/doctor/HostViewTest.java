package jvpp.pmd.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostViewTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldReadDriversAndLinksFromSymlinksAsSysfsMakesThem() throws Exception
    {
        final Path dev = tmp.resolve("sys/devices/pci0000:00/0000:00:06.0");
        Files.createDirectories(dev.resolve("net/eth1"));
        Files.createDirectories(tmp.resolve("sys/bus/pci/drivers/vfio-pci"));
        Files.createDirectories(tmp.resolve("sys/kernel/iommu_groups/7"));
        Files.writeString(dev.resolve("vendor"), "0x1d0f\n");
        Files.writeString(dev.resolve("device"), "0xec20\n");
        Files.writeString(dev.resolve("class"), "0x020000\n");
        Files.createSymbolicLink(dev.resolve("driver"), Path.of("../../../bus/pci/drivers/vfio-pci"));
        Files.createSymbolicLink(dev.resolve("iommu_group"), Path.of("../../../kernel/iommu_groups/7"));
        Files.createDirectories(tmp.resolve("sys/bus/pci/devices"));
        Files.createSymbolicLink(tmp.resolve("sys/bus/pci/devices/0000:00:06.0"), Path.of("../../../devices/pci0000:00/0000:00:06.0"));
        final HostView host = new HostView(tmp.toString());
        final PciDevice d = host.pciDevice("00:06.0");
        assertEquals("0000:00:06.0", d.bdf());
        assertEquals("1d0f:ec20", d.id());
        assertEquals("vfio-pci", d.driver());
        assertEquals("7", d.iommuGroup());
        assertEquals(List.of("eth1"), d.interfaces());
        assertEquals(-1, d.numaNode());
        assertEquals(0, d.node());
        assertTrue(d.isNetwork());
        assertFalse(d.isSriovPf());
        assertEquals(1, host.iommuGroupCount());
        assertNull(host.pciDevice("0000:00:07.0"));
    }

    @Test
    void shouldReadPlainFilesStandingInForLinksInFixtures()
    {
        final HostView host = Fixtures.host("intel-i350-vfs");
        final PciDevice vf = host.pciDevice("0000:01:10.5");
        assertEquals("igbvf", vf.driver());
        assertEquals("0000:01:00.1", vf.physfn());
        assertEquals(List.of("enp1s0f1v1"), vf.interfaces());
        final PciDevice pf = host.pciDevice("0000:01:00.1");
        assertEquals(7, pf.sriovTotalVfs());
        assertEquals(2, pf.sriovNumVfs());
        final NetInterface ifc = host.netInterface("enp1s0f1v1");
        assertEquals("igbvf", ifc.driver());
        assertFalse(ifc.isUp());
        assertEquals("0000:01:10.5", ifc.device());
    }

    @Test
    void shouldReadTheKernelFromProcVersionWhenOsreleaseIsMissing()
    {
        assertEquals("4.14.154-128.181.amzn2.x86_64", Fixtures.host("aws-ena").kernelRelease());
        assertEquals("6.5.0-1025-azure", Fixtures.host("azure-mana").kernelRelease());
    }

    @Test
    void shouldFindRdmaCoreInDpkgStatusOrInTheLibibverbsName()
    {
        assertEquals("50.0-2ubuntu0.2", Fixtures.host("azure-mana").rdmaCoreVersion());
        assertEquals("44.0", Fixtures.host("intel-i350-vfs").rdmaCoreVersion());
        assertNull(Fixtures.host("aws-ena").rdmaCoreVersion());
        assertEquals(44, ManaCheck.leadingInt("1:44.0-2"));
    }

    @Test
    void shouldReadHugepagesPerSizeAndNodeAndTheHugetlbfsMounts()
    {
        final HostView host = Fixtures.host("aws-ena");
        assertEquals(List.of(new HugepagePool(0, 2048, 0, 0), new HugepagePool(0, 1048576, 4, 4)), host.hugepagePools(0));
        assertEquals(1048576, host.defaultHugepageKb());
        assertEquals(List.of(new HostView.HugetlbfsMount("/dev/hugepages", 2048)), host.hugetlbfsMounts());
        assertEquals(List.of(0), host.numaNodes());
        assertEquals(List.of(new HugepagePool(0, 2048, 1024, 1024)), Fixtures.host("azure-mlx5").hugepagePools(0),
            "no per-node directories: node 0 is the whole machine");
        assertEquals(1048576, HostView.sizeKb("1G"));
        assertEquals(1048576, HostView.sizeKb("1024M"));
        assertEquals(2048, HostView.sizeKb("2M"));
    }

    @Test
    void shouldSeeModulesParametersAndActiveInterfaces()
    {
        final HostView host = Fixtures.host("aws-ena");
        assertTrue(host.moduleLoaded("ena"));
        assertFalse(host.moduleLoaded("vfio-pci"));
        assertEquals("N", host.moduleParameter("vfio", "enable_unsafe_noiommu_mode"));
        assertEquals(0, host.iommuGroupCount());
        assertEquals(List.of("eth0", "eth1"), List.copyOf(host.activeInterfaces()));
    }
}
