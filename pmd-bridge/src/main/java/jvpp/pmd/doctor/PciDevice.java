package jvpp.pmd.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * A PCI function as {@code /sys/bus/pci/devices/<bdf>} shows it.
 *
 * <p>Thread: any (immutable).
 *
 * @param bdf           domain:bus:device.function, e.g. {@code 0000:00:06.0} or {@code 7870:00:00.0}.
 * @param vendor        vendor id without {@code 0x}, e.g. {@code 1d0f}.
 * @param device        device id without {@code 0x}, e.g. {@code ec20}.
 * @param pciClass      class code without {@code 0x}, e.g. {@code 020000}; network controllers start with {@code 02}.
 * @param numaNode      the node the device hangs off, -1 when the platform does not say.
 * @param driver        the bound driver's name, null when unbound.
 * @param iommuGroup    the IOMMU group, null without an IOMMU.
 * @param sriovTotalVfs VFs the PF can have, -1 when the device is no SR-IOV PF.
 * @param sriovNumVfs   VFs enabled now, -1 when the device is no SR-IOV PF.
 * @param sriovOffset   routing-id offset of VF 0 from the PF, -1 when unknown.
 * @param sriovStride   routing-id distance between VFs, -1 when unknown.
 * @param physfn        the PF's address when this is a VF, else null.
 * @param interfaces    the kernel's network interfaces on this device.
 */
public record PciDevice(String bdf, String vendor, String device, String pciClass, int numaNode, String driver,
    String iommuGroup, int sriovTotalVfs, int sriovNumVfs, int sriovOffset, int sriovStride, String physfn,
    List<String> interfaces)
{
    /** {@code vendor:device}, as {@code lspci -d} takes it. */
    public String id()
    {
        return vendor + ":" + device;
    }

    public boolean isNetwork()
    {
        return pciClass != null && pciClass.startsWith("02");
    }

    public boolean isSriovPf()
    {
        return sriovTotalVfs > 0;
    }

    /** {@code 0000:00:06.0 (eth1, ena)}: the address, its interfaces and driver, as every finding names a device. */
    public String label()
    {
        final List<String> parts = new ArrayList<>(interfaces);
        parts.add(driver == null ? "no driver" : driver);
        return bdf + " (" + String.join(", ", parts) + ")";
    }

    /** The NUMA node DPDK will allocate for: node 0 when the platform does not say (EAL's "default to 0"). */
    public int node()
    {
        return Math.max(numaNode, 0);
    }
}
