package jvpp.pmd.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MANA (Azure, {@code 1414:00ba}): Linux 6.2 or a {@code mana_ib} backport (then a warning about rdma-core's
 * {@code RDMA_DRIVER_MANA} id), rdma-core 44 or later, the VF on its kernel driver {@code mana} (MANA works beside
 * it), the ports the vdev's {@code mac=} selects and their hv_netvsc masters DOWN, the synthetic channel on
 * {@code uio_hv_generic} for DPDK's netvsc PMD, and no slow {@code net_vdev_netvsc} / {@code net_failsafe} vdevs.
 *
 * <p>Stateless. Thread: any.
 */
final class ManaCheck implements DeviceCheck
{
    /** VMBus class id of network devices, which uio_hv_generic is told to take ({@code new_id}). */
    static final String HV_NET_CLASS_ID = "f8615163-df3e-46c5-913f-f2d2f965ed0e";

    private static final int MIN_KERNEL_MAJOR = 6;
    private static final int MIN_KERNEL_MINOR = 2;
    private static final int MIN_RDMA_CORE = 44;
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Pattern LEADING_INT = Pattern.compile("(\\d+)");

    @Override
    public boolean takes(final PciDevice device)
    {
        return PciIds.isMana(device);
    }

    @Override
    public void check(final Inspection ins, final Inspection.Target target, final List<Finding> out)
    {
        final HostView host = ins.host();
        final Severity gap = ins.gap();
        final PciDevice d = target.device();
        final boolean backport = kernel(host, gap, out);
        rdmaCore(host, backport, gap, out);
        if (!"mana".equals(d.driver()))
        {
            out.add(new Finding(gap, d.label() + " is a MANA VF (" + PciIds.MANA + ") but is "
                + (d.driver() == null ? "unbound" : "bound to " + d.driver()) + ": MANA works beside its kernel driver mana",
                host.moduleLoaded("mana") ? "dpdk-devbind.py -b mana " + d.bdf() : "modprobe mana"));
        }
        else
        {
            out.add(Finding.ok(d.label() + " is a MANA VF on mana: no binding needed, DPDK selects it by MAC"));
        }
        final List<NetInterface> ports = new ArrayList<>();
        for (final String name : d.interfaces())
        {
            final NetInterface ifc = host.netInterface(name);
            if (ifc != null && (target.mac() == null || target.mac().equals(ifc.address())))
            {
                ports.add(ifc);
            }
        }
        if (target.mac() != null && ports.isEmpty())
        {
            noPortHasTheMac(host, d, target.mac(), out);
            return;
        }
        final List<NetInterface> synthetic = new ArrayList<>();
        for (final NetInterface port : ports)
        {
            down(port, port.name() + " (" + d.bdf() + ", mana)", out);
            final NetInterface master = port.master() == null ? null : host.netInterface(port.master());
            if (master != null)
            {
                down(master, master.name() + " (" + master.driver() + ", master of " + port.name() + ")", out);
                synthetic.add(master);
            }
        }
        syntheticChannels(host, synthetic, out);
        for (final DoctorRequest.Vdev v : ins.request().parsedVdevs())
        {
            if (v.name().startsWith("net_vdev_netvsc") || v.name().startsWith("net_failsafe"))
            {
                final String mac = ports.isEmpty() ? "<mac>" : ports.get(0).address();
                out.add(Finding.warn("vdev " + v.name() + " on MANA: net_vdev_netvsc / net_failsafe give low throughput; "
                    + "select the VF by bus and MAC", "dpdk { vdev " + d.bdf() + ",mac=" + mac + " }"));
            }
        }
    }

    /** Linux 6.2 (mana_ib) or a backport of mana_ib, and mana_ib loaded; whether it is a backport. */
    private static boolean kernel(final HostView host, final Severity gap, final List<Finding> out)
    {
        final String release = host.kernelRelease();
        final boolean backport;
        if (release == null)
        {
            out.add(Finding.warn("kernel: cannot read /proc/sys/kernel/osrelease; MANA's DPDK needs Linux 6.2 or later", null));
            backport = false;
        }
        else if (atLeast(release, MIN_KERNEL_MAJOR, MIN_KERNEL_MINOR))
        {
            out.add(Finding.ok("kernel " + release + " ≥ 6.2 (MANA's InfiniBand driver mana_ib)"));
            backport = false;
        }
        else if (host.moduleLoaded("mana_ib"))
        {
            out.add(Finding.ok("kernel " + release + " < 6.2 but mana_ib is loaded (backported)"));
            backport = true;
        }
        else
        {
            out.add(new Finding(gap, "kernel " + release + " is older than 6.2: MANA's DPDK needs the mana_ib InfiniBand "
                + "driver of Linux 6.2 or a backport", host.isDebian() ? "apt-get install -y linux-azure && reboot"
                : "dnf update -y kernel && reboot"));
            backport = false;
        }
        if (release != null && (atLeast(release, MIN_KERNEL_MAJOR, MIN_KERNEL_MINOR) || backport)
            && !host.moduleLoaded("mana_ib"))
        {
            out.add(new Finding(gap, "mana_ib is not loaded: libmana finds no /sys/class/infiniband/mana_0",
                "modprobe mana_ib"));
        }
        return backport;
    }

    /** rdma-core 44 or later (libmana); on a backported kernel, a warning about the driver id. */
    private static void rdmaCore(final HostView host, final boolean backport, final Severity gap,
        final List<Finding> out)
    {
        final boolean debian = host.isDebian();
        final String rdma = host.rdmaCoreVersion();
        final String rdmaFix = debian ? "apt-get install -y rdma-core ibverbs-providers"
            : "dnf install -y rdma-core libibverbs";
        if (rdma == null)
        {
            out.add(new Finding(gap, "rdma-core is not installed: MANA's userspace driver libmana comes with rdma-core ≥ 44",
                rdmaFix));
        }
        else if (leadingInt(rdma) < MIN_RDMA_CORE)
        {
            out.add(new Finding(gap, "rdma-core " + rdma + " is older than 44: it has no libmana for MANA", rdmaFix));
        }
        else
        {
            out.add(Finding.ok("rdma-core " + rdma + " ≥ 44 (libmana)"));
            if (backport)
            {
                out.add(Finding.warn("rdma-core " + rdma + " on a backported kernel: if RDMA_DRIVER_MANA's id differs "
                    + "between them, EAL says mana_probe_port(): ibv_alloc_parent_domain failed; use the distribution's "
                    + "rdma-core", debian ? "apt-get install -y --reinstall rdma-core ibverbs-providers" : rdmaFix));
            }
        }
    }

    /** The vdev's {@code mac=} selects none of the VF's ports: EAL will refuse the device. */
    private static void noPortHasTheMac(final HostView host, final PciDevice d, final String mac,
        final List<Finding> out)
    {
        final StringBuilder have = new StringBuilder();
        String first = null;
        for (final String name : d.interfaces())
        {
            final NetInterface ifc = host.netInterface(name);
            if (ifc != null)
            {
                have.append(have.length() == 0 ? "" : ", ").append(name).append(' ').append(ifc.address());
                first = first == null ? ifc.address() : first;
            }
        }
        out.add(Finding.error("no MANA port on " + d.bdf() + " has mac " + mac + " (ports: "
            + (have.length() == 0 ? "none" : have) + "): EAL: Requested device " + d.bdf() + " cannot be used",
            first == null ? "ip -br link show" : "dpdk { vdev " + d.bdf() + ",mac=" + first + " }"));
    }

    /** The masters' synthetic channels belong on uio_hv_generic for DPDK's netvsc PMD. */
    private static void syntheticChannels(final HostView host, final List<NetInterface> synthetic,
        final List<Finding> out)
    {
        final boolean uioHv = host.moduleLoaded("uio_hv_generic");
        for (final NetInterface s : synthetic)
        {
            if ("hv_netvsc".equals(s.driver()) && s.device() != null)
            {
                final String uuid = s.device();
                out.add(Finding.warn(s.name() + "'s synthetic channel (VMBus " + uuid + ") is on hv_netvsc"
                    + (uioHv ? "" : " and uio_hv_generic is not loaded")
                    + ": DPDK's netvsc PMD, recommended with MANA, needs it on uio_hv_generic",
                    (uioHv ? "" : "modprobe uio_hv_generic && ")
                        + "echo " + HV_NET_CLASS_ID + " > /sys/bus/vmbus/drivers/uio_hv_generic/new_id"
                        + " && echo " + uuid + " > /sys/bus/vmbus/drivers/hv_netvsc/unbind"
                        + " && echo " + uuid + " > /sys/bus/vmbus/drivers/uio_hv_generic/bind"));
            }
        }
        if (synthetic.isEmpty() && uioHv)
        {
            out.add(Finding.ok("uio_hv_generic is loaded (synthetic channel for DPDK's netvsc PMD)"));
        }
    }

    private static void down(final NetInterface ifc, final String label, final List<Finding> out)
    {
        if (ifc.isUp())
        {
            out.add(Finding.warn(label + " is UP: MANA needs the netdev DOWN before DPDK starts "
                + "(mana_start_tx_queues(): Failed to create qp queue index 0)", "ip link set " + ifc.name() + " down"));
        }
        else
        {
            out.add(Finding.ok(label + " is DOWN"));
        }
    }

    static boolean atLeast(final String release, final int major, final int minor)
    {
        final Matcher m = RELEASE.matcher(release);
        if (!m.find())
        {
            return false;
        }
        final int maj = Integer.parseInt(m.group(1));
        final int min = Integer.parseInt(m.group(2));
        return maj > major || (maj == major && min >= minor);
    }

    /** The major version of a package version, past a dpkg epoch ({@code 1:44.0-2} is 44). */
    static int leadingInt(final String version)
    {
        final int colon = version.indexOf(':');
        final Matcher m = LEADING_INT.matcher(colon >= 0 ? version.substring(colon + 1) : version);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
