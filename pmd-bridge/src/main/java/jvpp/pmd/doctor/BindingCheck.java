package jvpp.pmd.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Bindings and the IOMMU, for devices DPDK takes through vfio-pci or uio. Per device ({@link #check(Inspection,
 * Inspection.Target, List)}): bound to a DPDK driver, or owned by the kernel (the fix downs its UP interfaces and
 * binds it; interfaces that carry routes are named, and left alone when surveying). Then, for every device that
 * needs it ({@link #check(Inspection, List)}): the uio driver loaded, and for vfio-pci IOMMU groups or
 * {@code enable_unsafe_noiommu_mode}.
 *
 * <p>Stateless: the devices that need the driver go from one part to the other through the {@link Inspection}.
 * Thread: any.
 */
final class BindingCheck implements DeviceCheck, DoctorCheck
{
    @Override
    public boolean takes(final PciDevice device)
    {
        return true;
    }

    @Override
    public void check(final Inspection ins, final Inspection.Target target, final List<Finding> out)
    {
        final HostView host = ins.host();
        final PciDevice d = target.device();
        final String uioDriver = ins.request().uioDriver();
        if (PciIds.DPDK_DRIVERS.contains(d.driver()))
        {
            out.add(Finding.ok(d.label() + " is bound to " + d.driver()));
            if ("vfio-pci".equals(d.driver()))
            {
                ins.uioNeeded().add(d.bdf());
            }
            return;
        }
        final Set<String> active = host.activeInterfaces();
        if (ins.survey())
        {
            for (final String name : d.interfaces())
            {
                if (active.contains(name))
                {
                    out.add(Finding.ok(d.label() + " stays with the kernel: " + name + " carries routes (*Active*)"));
                    return;
                }
            }
        }
        ins.uioNeeded().add(d.bdf());
        final StringBuilder fix = new StringBuilder();
        final List<String> up = new ArrayList<>();
        for (final String name : d.interfaces())
        {
            final NetInterface ifc = host.netInterface(name);
            if (ifc != null && ifc.isUp())
            {
                up.add(name);
                fix.append("ip link set ").append(name).append(" down && ");
            }
        }
        fix.append("dpdk-devbind.py -b ").append(uioDriver).append(' ').append(d.bdf());
        final StringBuilder what = new StringBuilder(d.label());
        if (d.driver() == null)
        {
            what.append(" has no driver: DPDK needs it bound to ").append(uioDriver);
        }
        else
        {
            what.append(" is owned by the kernel");
            if (!up.isEmpty())
            {
                what.append(" and ").append(String.join(", ", up)).append(up.size() == 1 ? " is UP" : " are UP");
            }
            what.append(": DPDK's PCI PMDs skip devices a kernel driver holds");
            for (final String name : d.interfaces())
            {
                if (active.contains(name))
                {
                    what.append(" (").append(name).append(" carries routes: *Active*; mind your ssh session)");
                    break;
                }
            }
        }
        out.add(new Finding(ins.gap(), what.toString(), fix.toString()));
    }

    /** The driver DPDK binds devices to: loaded, and for vfio-pci an IOMMU or no-IOMMU mode. */
    @Override
    public void check(final Inspection ins, final List<Finding> out)
    {
        final Set<String> devices = ins.uioNeeded();
        if (devices.isEmpty())
        {
            return;
        }
        final HostView host = ins.host();
        final Severity gap = ins.gap();
        final String driver = ins.request().uioDriver();
        final String module = driver.replace('-', '_');
        if (host.moduleLoaded(module))
        {
            out.add(Finding.ok(driver + " is loaded"));
        }
        else
        {
            final String fix = "igb_uio".equals(driver)
                ? "modprobe uio && modprobe igb_uio" : "modprobe " + driver;
            out.add(new Finding(gap, driver + " is not loaded (/sys/module/" + module + " is missing)", fix));
        }
        if ("vfio-pci".equals(driver))
        {
            iommu(host, devices, gap, out);
        }
    }

    private static void iommu(final HostView host, final Set<String> devices, final Severity gap,
        final List<Finding> out)
    {
        final int groups = host.iommuGroupCount();
        if (groups > 0)
        {
            final StringBuilder what = new StringBuilder("IOMMU: " + groups + " groups in /sys/kernel/iommu_groups");
            for (final String bdf : devices)
            {
                final PciDevice d = host.pciDevice(bdf);
                if (d != null && d.iommuGroup() != null)
                {
                    what.append("; ").append(bdf).append(" in group ").append(d.iommuGroup());
                }
            }
            out.add(Finding.ok(what.toString()));
            return;
        }
        final String noiommu = host.moduleParameter("vfio", "enable_unsafe_noiommu_mode");
        if ("Y".equalsIgnoreCase(noiommu) || "1".equals(noiommu))
        {
            out.add(Finding.warn("IOMMU: none; vfio runs with enable_unsafe_noiommu_mode=Y, so devices can DMA anywhere "
                + "(as with uio)", null));
            return;
        }
        out.add(new Finding(gap, "IOMMU: no groups in /sys/kernel/iommu_groups and vfio's enable_unsafe_noiommu_mode is "
            + (noiommu == null ? "unset" : noiommu) + ": vfio-pci cannot take " + String.join(", ", devices),
            "echo 1 > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode"));
    }
}
