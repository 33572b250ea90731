package jvpp.pmd.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest
{
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    private static DoctorRequest manaRequest()
    {
        return DoctorRequest.builder().vdev("7870:00:00.0,mac=00:0d:3a:76:3b:d0").hugepageBytes(GIB).build();
    }

    private static void assertHas(final List<String> lines, final String line)
    {
        assertTrue(lines.contains(line), () -> "missing:\n  " + line + "\nin:\n  " + String.join("\n  ", lines));
    }

    private static void assertNoneStartsWith(final List<String> lines, final String prefix)
    {
        for (final String l : lines)
        {
            assertFalse(l.startsWith(prefix), () -> "unexpected: " + l + "\nin:\n  " + String.join("\n  ", lines));
        }
    }

    // ------------------------------------------------------------------ azure-mana

    @Test
    void shouldAskForHugepagesAndDownInterfacesWhenManaPortsAreUpAndNoPagesAreFree()
    {
        final List<Finding> f = Doctor.check(Fixtures.host("azure-mana"), manaRequest());
        final List<String> lines = Fixtures.lines(f);
        assertHas(lines, "ERROR hugepages: 0 free 2048kB pages on node0, the config needs 512 (1 GiB) (EAL: No free 2048 kB "
            + "hugepages reported on node 0) — fix: echo 512 > /proc/sys/vm/nr_hugepages");
        assertHas(lines, "OK hugetlbfs: /dev/hugepages (pagesize=2M)");
        assertHas(lines, "OK kernel 6.5.0-1025-azure ≥ 6.2 (MANA's InfiniBand driver mana_ib)");
        assertHas(lines, "OK rdma-core 50.0-2ubuntu0.2 ≥ 44 (libmana)");
        assertHas(lines, "WARN enP30832s1d1 (7870:00:00.0, mana) is UP: MANA needs the netdev DOWN before DPDK starts "
            + "(mana_start_tx_queues(): Failed to create qp queue index 0) — fix: ip link set enP30832s1d1 down");
        assertHas(lines, "WARN eth1 (hv_netvsc, master of enP30832s1d1) is UP: MANA needs the netdev DOWN before DPDK starts "
            + "(mana_start_tx_queues(): Failed to create qp queue index 0) — fix: ip link set eth1 down");
        assertHas(lines, "WARN eth1's synthetic channel (VMBus 000d3a76-3bd0-000d-3a76-3bd0000d3a76) is on hv_netvsc and "
            + "uio_hv_generic is not loaded: DPDK's netvsc PMD, recommended with MANA, needs it on uio_hv_generic — fix: "
            + "modprobe uio_hv_generic && echo f8615163-df3e-46c5-913f-f2d2f965ed0e > /sys/bus/vmbus/drivers/uio_hv_generic/new_id"
            + " && echo 000d3a76-3bd0-000d-3a76-3bd0000d3a76 > /sys/bus/vmbus/drivers/hv_netvsc/unbind"
            + " && echo 000d3a76-3bd0-000d-3a76-3bd0000d3a76 > /sys/bus/vmbus/drivers/uio_hv_generic/bind");
        for (final String l : lines)
        {
            assertFalse(l.contains("eth0") || l.contains("enP30832s1 "), "the ssh port is not selected by mac: " + l);
        }
        assertEquals(1, Doctor.exitCode(f));
    }

    @Test
    void shouldRefuseKernelsOlderThan62AndRdmaCoreOlderThan44WhenManaIsThere()
    {
        final Path root = Fixtures.copy("azure-mana", tmp);
        Fixtures.write(root, "proc/sys/kernel/osrelease", "6.1.0-13-azure");
        Fixtures.delete(root, "sys/module/mana_ib");
        Fixtures.write(root, "var/lib/dpkg/status", "Package: rdma-core\nStatus: install ok installed\nVersion: 39.0-1\n");
        final List<String> lines = Fixtures.lines(Doctor.check(new HostView(root.toString()), manaRequest()));
        assertHas(lines, "ERROR kernel 6.1.0-13-azure is older than 6.2: MANA's DPDK needs the mana_ib InfiniBand driver of "
            + "Linux 6.2 or a backport — fix: apt-get install -y linux-azure && reboot");
        assertHas(lines, "ERROR rdma-core 39.0-1 is older than 44: it has no libmana for MANA — fix: apt-get install -y "
            + "rdma-core ibverbs-providers");
    }

    @Test
    void shouldAcceptABackportedKernelButWarnOfTheRdmaDriverIdWhenManaIbIsLoaded()
    {
        final Path root = Fixtures.copy("azure-mana", tmp);
        Fixtures.write(root, "proc/sys/kernel/osrelease", "5.15.0-1045-azure");
        final List<String> lines = Fixtures.lines(Doctor.check(new HostView(root.toString()), manaRequest()));
        assertHas(lines, "OK kernel 5.15.0-1045-azure < 6.2 but mana_ib is loaded (backported)");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN rdma-core 50.0-2ubuntu0.2 on a backported kernel")
            && l.contains("ibv_alloc_parent_domain failed")), String.join("\n", lines));
    }

    @Test
    void shouldNameThePortsWhenNoManaPortHasTheMac()
    {
        final DoctorRequest req = DoctorRequest.builder().vdev("7870:00:00.0,mac=00:0d:3a:00:00:01").noHuge(true).build();
        final List<String> lines = Fixtures.lines(Doctor.check(Fixtures.host("azure-mana"), req));
        assertHas(lines, "OK hugepages: not needed (no-huge)");
        assertHas(lines, "ERROR no MANA port on 7870:00:00.0 has mac 00:0d:3a:00:00:01 (ports: enP30832s1 00:0d:3a:f5:76:bd, "
            + "enP30832s1d1 00:0d:3a:76:3b:d0): EAL: Requested device 7870:00:00.0 cannot be used — fix: "
            + "dpdk { vdev 7870:00:00.0,mac=00:0d:3a:f5:76:bd }");
    }

    @Test
    void shouldReportOnlyOkWhenTheManaVmIsReady()
    {
        final Path root = Fixtures.copy("azure-mana", tmp);
        Fixtures.write(root, "sys/class/net/enP30832s1d1/operstate", "down");
        Fixtures.write(root, "sys/class/net/enP30832s1d1/flags", "0x1802");
        // The synthetic channel moved to uio_hv_generic: eth1 is gone, and with it the VF's master.
        Fixtures.delete(root, "sys/class/net/eth1");
        Fixtures.delete(root, "sys/class/net/enP30832s1d1/master");
        Fixtures.write(root, "sys/bus/vmbus/devices/000d3a76-3bd0-000d-3a76-3bd0000d3a76/driver",
            "../../../../bus/vmbus/drivers/uio_hv_generic");
        Fixtures.write(root, "sys/module/uio_hv_generic/initstate", "live");
        Fixtures.write(root, "sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "512");
        Fixtures.write(root, "sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages", "512");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int rc = Doctor.run(root.toString(), manaRequest(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        final List<String> lines = List.of(out.split("\n"));
        assertHas(lines, "OK hugepages: 512 free 2048kB pages on node0 (1 GiB), the config needs 1 GiB");
        assertHas(lines, "OK enP30832s1d1 (7870:00:00.0, mana) is DOWN");
        assertHas(lines, "OK uio_hv_generic is loaded (synthetic channel for DPDK's netvsc PMD)");
        assertHas(lines, "7870:00:00.0 'Microsoft Azure Network Adapter VF 00ba' if=enP30832s1,enP30832s1d1 drv=mana");
        assertNoneStartsWith(lines, "WARN");
        assertNoneStartsWith(lines, "ERROR");
    }

    // ------------------------------------------------------------------ aws-ena

    @Test
    void shouldAskToLoadVfioAllowNoIommuAndBindWhenEnaIsStillOnTheKernel()
    {
        final DoctorRequest req = DoctorRequest.builder().pciDevice("00:06.0").hugepageBytes(2 * GIB).build();
        final List<Finding> f = Doctor.check(Fixtures.host("aws-ena"), req);
        final List<String> lines = Fixtures.lines(f);
        assertHas(lines, "OK hugepages: 4 free 1048576kB pages on node0 (4 GiB), the config needs 2 GiB");
        assertHas(lines, "ERROR hugetlbfs: nothing is mounted with pagesize=1G: DPDK cannot map its 1048576kB pages — fix: "
            + "mkdir -p /mnt/huge_1gb && mount -t hugetlbfs -o pagesize=1G nodev /mnt/huge_1gb");
        assertHas(lines, "ERROR 0000:00:06.0 (eth1, ena) is owned by the kernel and eth1 is UP: DPDK's PCI PMDs skip devices "
            + "a kernel driver holds (eth1 carries routes: *Active*; mind your ssh session) — fix: ip link set eth1 down && "
            + "dpdk-devbind.py -b vfio-pci 0000:00:06.0");
        assertHas(lines, "ERROR vfio-pci is not loaded (/sys/module/vfio_pci is missing) — fix: modprobe vfio-pci");
        assertHas(lines, "ERROR IOMMU: no groups in /sys/kernel/iommu_groups and vfio's enable_unsafe_noiommu_mode is N: "
            + "vfio-pci cannot take 0000:00:06.0 — fix: echo 1 > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode");
        assertEquals(1, Doctor.exitCode(f));
        assertTrue(lines.indexOf("ERROR vfio-pci is not loaded (/sys/module/vfio_pci is missing) — fix: modprobe vfio-pci")
            < lines.size() - 1, "modprobe comes before the noiommu echo, which needs the module's parameters");
    }

    @Test
    void shouldAskForIgbUioWhenTheConfigUsesIt()
    {
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:00:06.0").uioDriver("igb_uio").noHuge(true).build();
        final List<String> lines = Fixtures.lines(Doctor.check(Fixtures.host("aws-ena"), req));
        assertHas(lines, "ERROR igb_uio is not loaded (/sys/module/igb_uio is missing) — fix: modprobe uio && modprobe igb_uio");
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("dpdk-devbind.py -b igb_uio 0000:00:06.0")));
        assertNoneStartsWith(lines, "ERROR IOMMU");
    }

    @Test
    void shouldReportOkWhenTheEnaIsBoundToVfioInNoIommuMode()
    {
        final Path root = Fixtures.copy("aws-ena", tmp);
        Fixtures.write(root, "sys/bus/pci/devices/0000:00:06.0/driver", "../../../bus/pci/drivers/vfio-pci");
        Fixtures.delete(root, "sys/class/net/eth1");
        Fixtures.write(root, "sys/module/vfio_pci/initstate", "live");
        Fixtures.write(root, "sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "Y");
        Fixtures.write(root, "proc/mounts", "hugetlbfs /mnt/huge_1gb hugetlbfs rw,relatime,pagesize=1024M 0 0");
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:00:06.0").hugepageBytes(2 * GIB).build();
        final List<Finding> f = Doctor.check(new HostView(root.toString()), req);
        final List<String> lines = Fixtures.lines(f);
        assertHas(lines, "OK hugetlbfs: /mnt/huge_1gb (pagesize=1G)");
        assertHas(lines, "OK 0000:00:06.0 (vfio-pci) is bound to vfio-pci");
        assertHas(lines, "OK vfio-pci is loaded");
        assertHas(lines, "WARN IOMMU: none; vfio runs with enable_unsafe_noiommu_mode=Y, so devices can DMA anywhere (as with uio)");
        assertEquals(0, Doctor.exitCode(f));
    }

    @Test
    void shouldPrintTheDeviceTableLikeDpdkDevbind()
    {
        assertEquals("""
            Network devices using kernel driver
            ===================================
            0000:00:05.0 'Elastic Network Adapter (ENA) ec20' if=eth0 drv=ena *Active*
            0000:00:06.0 'Elastic Network Adapter (ENA) ec20' if=eth1 drv=ena *Active*
            """, DeviceTable.format(Fixtures.host("aws-ena")));
        assertEquals("""
            Network devices using DPDK-compatible driver
            ============================================
            0000:01:10.1 'I350 Ethernet Controller Virtual Function 1520' drv=vfio-pci unused=igbvf

            Network devices using kernel driver
            ===================================
            0000:01:00.0 'I350 Gigabit Network Connection 1521' if=enp1s0f0 drv=igb unused=vfio-pci
            0000:01:00.1 'I350 Gigabit Network Connection 1521' if=enp1s0f1 drv=igb unused=vfio-pci
            0000:01:10.5 'I350 Ethernet Controller Virtual Function 1520' if=enp1s0f1v1 drv=igbvf unused=vfio-pci
            0000:02:00.0 'RTL8111/8168/8411 PCI Express Gigabit Ethernet Controller 8168' if=enp2s0 drv=r8169 unused=vfio-pci
            0000:03:00.0 'RTL8111/8168/8411 PCI Express Gigabit Ethernet Controller 8168' if=enp3s0 drv=r8169 unused=vfio-pci *Active*
            """, DeviceTable.format(Fixtures.host("intel-i350-vfs")));
    }

    @Test
    void shouldOnlyWarnAndLeaveActiveInterfacesAloneWhenSurveying()
    {
        final List<Finding> f = Doctor.check(Fixtures.host("aws-ena"), DoctorRequest.empty());
        final List<String> lines = Fixtures.lines(f);
        assertHas(lines, "OK 0000:00:05.0 (eth0, ena) stays with the kernel: eth0 carries routes (*Active*)");
        assertNoneStartsWith(lines, "ERROR");
        assertEquals(0, Doctor.exitCode(f));
    }

    // ------------------------------------------------------------------ intel-i350-vfs

    @Test
    void shouldEnableVfsWhenTheConfigNamesAVfThatDoesNotExistYet()
    {
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:01:10.0").hugepageBytes(GIB).build();
        final List<Finding> f = Doctor.check(Fixtures.host("intel-i350-vfs"), req);
        final List<String> lines = Fixtures.lines(f);
        assertHas(lines, "ERROR 0000:01:10.0 does not exist: it is VF 0 of 0000:01:00.0 (enp1s0f0, igb), which has "
            + "sriov_numvfs 0 of sriov_totalvfs 7 — fix: echo 1 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs");
        assertEquals(1, Doctor.exitCode(f));
    }

    @Test
    void shouldResetNumVfsFirstWhenThePfAlreadyHasTooFewVfs()
    {
        // PF 01:00.1 has 2 VFs (10.1, 10.5); VF 3 sits at 01:11.5.
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:01:11.5").noHuge(true).build();
        final List<String> lines = Fixtures.lines(Doctor.check(Fixtures.host("intel-i350-vfs"), req));
        assertHas(lines, "ERROR 0000:01:11.5 does not exist: it is VF 3 of 0000:01:00.1 (enp1s0f1, igb), which has "
            + "sriov_numvfs 2 of sriov_totalvfs 7 — fix: echo 0 > /sys/bus/pci/devices/0000:01:00.1/sriov_numvfs && "
            + "echo 4 > /sys/bus/pci/devices/0000:01:00.1/sriov_numvfs");
    }

    @Test
    void shouldReportOkWhenTheVfIsOnVfioWithAnIommu()
    {
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:01:10.1").hugepageBytes(GIB).build();
        final List<Finding> f = Doctor.check(Fixtures.host("intel-i350-vfs"), req);
        assertEquals(List.of(
            "OK hugepages: 1024 free 2048kB pages on node0 (2 GiB), the config needs 1 GiB",
            "OK hugetlbfs: /dev/hugepages (pagesize=2M)",
            "OK 0000:01:10.1 (vfio-pci) is bound to vfio-pci",
            "OK vfio-pci is loaded",
            "OK IOMMU: 6 groups in /sys/kernel/iommu_groups; 0000:01:10.1 in group 20"), Fixtures.lines(f));
        assertEquals(0, Doctor.exitCode(f));
    }

    @Test
    void shouldBindTheOtherVfAndShowThePfsVfCountsWhenThePfIsNamed()
    {
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:01:10.5").pciDevice("0000:01:00.0").noHuge(true)
            .build();
        final List<String> lines = Fixtures.lines(Doctor.check(Fixtures.host("intel-i350-vfs"), req));
        assertHas(lines, "ERROR 0000:01:10.5 (enp1s0f1v1, igbvf) is owned by the kernel: DPDK's PCI PMDs skip devices a kernel "
            + "driver holds — fix: dpdk-devbind.py -b vfio-pci 0000:01:10.5");
        assertHas(lines, "OK 0000:01:00.0 (enp1s0f0, igb) is an SR-IOV PF: sriov_numvfs 0 of sriov_totalvfs 7");
    }

    @Test
    void shouldComputeVfAddressesFromOffsetAndStride()
    {
        final PciDevice pf = Fixtures.host("intel-i350-vfs").pciDevice("0000:01:00.1");
        assertEquals("0000:01:10.1", SriovCheck.vfAddress(pf, 0));
        assertEquals("0000:01:10.5", SriovCheck.vfAddress(pf, 1));
        assertEquals("0000:01:11.5", SriovCheck.vfAddress(pf, 3));
    }

    // ------------------------------------------------------------------ mlx5, vdevs, hugepages per node

    @Test
    void shouldNeedNoBindingWhenTheDeviceIsAnMlx5Vf()
    {
        final DoctorRequest req = DoctorRequest.builder().pciDevice("cf63:00:02.0").hugepageBytes(GIB).build();
        final List<Finding> f = Doctor.check(Fixtures.host("azure-mlx5"), req);
        assertHas(Fixtures.lines(f), "OK cf63:00:02.0 (enP53091s1np0, mlx5_core) is bifurcated: DPDK's mlx5 PMD runs beside "
            + "mlx5_core, no binding needed");
        assertEquals(0, Doctor.exitCode(f));
    }

    @Test
    void shouldRebindToMlx5CoreWhenAnMlx5VfWasBoundToVfio()
    {
        final Path root = Fixtures.copy("azure-mlx5", tmp);
        Fixtures.write(root, "sys/bus/pci/devices/cf63:00:02.0/driver", "vfio-pci");
        Fixtures.delete(root, "sys/module/mlx5_ib");
        final DoctorRequest req = DoctorRequest.builder().pciDevice("cf63:00:02.0").noHuge(true).build();
        final List<String> lines = Fixtures.lines(Doctor.check(new HostView(root.toString()), req));
        assertHas(lines, "ERROR cf63:00:02.0 (enP53091s1np0, vfio-pci) is bound to vfio-pci: the mlx5 PMD is bifurcated and "
            + "needs mlx5_core, not a uio/vfio driver — fix: dpdk-devbind.py -b mlx5_core cf63:00:02.0");
    }

    @Test
    void shouldCheckTheInterfacesThatVdevsUse()
    {
        final DoctorRequest req = DoctorRequest.builder().vdev("net_af_packet0,iface=eth1").vdev("net_af_xdp0,iface=eth7")
            .vdev("net_tap0,iface=jvtap0").noHuge(true).build();
        final List<String> lines = Fixtures.lines(Doctor.check(Fixtures.host("intel-i350-vfs"), req));
        assertHas(lines, "ERROR eth1: no such kernel interface (net_af_packet0 needs it) — fix: ip -br link show");
        final DoctorRequest down = DoctorRequest.builder().vdev("net_af_packet0,iface=enp2s0").noHuge(true).build();
        final List<String> downLines = Fixtures.lines(Doctor.check(Fixtures.host("intel-i350-vfs"), down));
        assertEquals(List.of("OK hugepages: not needed (no-huge)", "OK enp2s0 is UP (net_af_packet0 reads it through the kernel)"),
            downLines);
        final Path root = Fixtures.copy("intel-i350-vfs", tmp);
        Fixtures.write(root, "sys/class/net/enp2s0/flags", "0x1002");
        assertHas(Fixtures.lines(Doctor.check(new HostView(root.toString()), down)),
            "WARN enp2s0 is DOWN: net_af_packet0 will see no packets — fix: ip link set enp2s0 up");
        assertFalse(String.join("\n", lines).contains("jvtap0"), "net_tap creates its interface");
    }

    @Test
    void shouldAskForPagesOnTheDevicesNodeWhenTheMachineHasTwoNodes()
    {
        final Path root = Fixtures.copy("intel-i350-vfs", tmp);
        Fixtures.write(root, "sys/bus/pci/devices/0000:01:10.1/numa_node", "1");
        Fixtures.write(root, "sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages", "100");
        Fixtures.write(root, "sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages", "40");
        final DoctorRequest req = DoctorRequest.builder().pciDevice("0000:01:10.1").hugepageBytes(GIB).build();
        assertHas(Fixtures.lines(Doctor.check(new HostView(root.toString()), req)),
            "ERROR hugepages: 40 free 2048kB pages on node1, the config needs 512 (1 GiB) — fix: "
                + "echo 572 > /sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages");
    }

    @Test
    void shouldExitWithTwoOnBadArgumentsAndOneOnErrors()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(2, Doctor.main(new String[] {"--bogus"}, out));
        assertEquals(1, Doctor.main(new String[] {"--root", Fixtures.tree("aws-ena").toString(), "--dev", "0000:00:06.0"}, out));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("— fix: modprobe vfio-pci"));
    }
}
