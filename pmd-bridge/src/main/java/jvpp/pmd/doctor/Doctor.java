package jvpp.pmd.doctor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jvpp doctor} and {@code show dpdk preflight}: checks a machine against what a configuration needs
 * before DPDK starts, and says what is wrong in one line each with the command that fixes it. It covers the
 * set-up failures users hit before a packet moves: hugepages per size and NUMA node and a mounted hugetlbfs;
 * devices the kernel still owns or has UP; vfio-pci loaded and an IOMMU or {@code enable_unsafe_noiommu_mode};
 * MANA's kernel (6.2), rdma-core (44) and netvsc state; mlx4/mlx5 staying on their kernel driver; SR-IOV VF
 * counts. {@link #deviceTable} prints the devices as {@code dpdk-devbind.py --status} does.
 *
 * <p>When the request names no device, the doctor surveys the machine instead: what would stop DPDK is a
 * {@code WARN}, never an {@code ERROR}.
 *
 * <p>Stateless. Thread: any; it only reads files through the {@link HostView}.
 */
public final class Doctor
{
    /** VMBus class id of network devices, which uio_hv_generic is told to take ({@code new_id}). */
    public static final String HV_NET_CLASS_ID = "f8615163-df3e-46c5-913f-f2d2f965ed0e";

    private static final int MANA_MIN_KERNEL_MAJOR = 6;
    private static final int MANA_MIN_KERNEL_MINOR = 2;
    private static final int MANA_MIN_RDMA_CORE = 44;
    private static final long SURVEY_PAGES = 512;
    private static final long KB_1G = 1024L * 1024;
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Pattern LEADING_INT = Pattern.compile("(\\d+)");

    private Doctor()
    {
    }

    // ------------------------------------------------------------------ entry points

    /** Every finding, in the order the fixes should be applied. */
    public static List<Finding> check(final HostView host, final DoctorRequest req)
    {
        final List<Finding> out = new ArrayList<>();
        final boolean survey = req.namesNoDevice();
        final Severity gap = survey ? Severity.WARN : Severity.ERROR;
        final List<Target> targets = targets(host, req, out);

        hugepages(host, req, targets, survey, out);
        final Set<String> uioNeeded = new LinkedHashSet<>();
        for (final Target t : targets)
        {
            device(host, req, t, gap, uioNeeded, out);
        }
        if (!uioNeeded.isEmpty())
        {
            uioDriver(host, req.uioDriver(), uioNeeded, gap, out);
        }
        interfaces(host, req, out);
        return out;
    }

    /** 0 when nothing is an {@code ERROR}, else 1. */
    public static int exitCode(final List<Finding> findings)
    {
        for (final Finding f : findings)
        {
            if (f.severity() == Severity.ERROR)
            {
                return 1;
            }
        }
        return 0;
    }

    /**
     * {@code jvpp doctor}: prints the device table and then one line per finding for the machine under
     * {@code sysRoot} ({@code "/"} for this one). Returns 0 when nothing is an error, 1 otherwise.
     */
    public static int run(final String sysRoot, final DoctorRequest req, final PrintStream out)
    {
        final HostView host = new HostView(sysRoot);
        out.print(deviceTable(host));
        out.println();
        final List<Finding> findings = check(host, req);
        for (final Finding f : findings)
        {
            out.println(f.line());
        }
        out.flush();
        return exitCode(findings);
    }

    /**
     * Command-line form: {@code [--root <dir>] [--dev <bdf>]... [--vdev <spec>]... [--iface <name>]...
     * [--hugepages-mb <n>] [--no-huge] [--no-pci] [--uio-driver <drv>]}. Returns the exit code; 2 for bad
     * arguments.
     */
    public static int main(final String[] args, final PrintStream out)
    {
        String root = HostView.DEFAULT_ROOT;
        final DoctorRequest.Builder b = DoctorRequest.builder();
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--root" -> root = args[++i];
                    case "--dev" -> b.pciDevice(args[++i]);
                    case "--vdev" -> b.vdev(args[++i]);
                    case "--iface" -> b.kernelInterface(args[++i]);
                    case "--hugepages-mb" -> b.hugepageBytes(Long.parseLong(args[++i]) << 20);
                    case "--no-huge" -> b.noHuge(true);
                    case "--no-pci" -> b.noPci(true);
                    case "--uio-driver" -> b.uioDriver(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument `" + args[i] + "'");
                }
            }
        }
        catch (final IllegalArgumentException | ArrayIndexOutOfBoundsException ex)
        {
            out.println("doctor: " + (ex instanceof ArrayIndexOutOfBoundsException ? "missing value" : ex.getMessage()));
            out.println("usage: doctor [--root <dir>] [--dev <bdf>]... [--vdev <spec>]... [--iface <name>]... "
                + "[--hugepages-mb <n>] [--no-huge] [--no-pci] [--uio-driver <drv>]");
            return 2;
        }
        return run(root, b.build(), out);
    }

    public static void main(final String[] args)
    {
        System.exit(main(args, System.out));
    }

    // ------------------------------------------------------------------ device table

    /**
     * The network devices grouped as {@code dpdk-devbind.py --status} groups them: using a DPDK-compatible
     * driver, using a kernel driver (with {@code if=} and {@code *Active*} for interfaces that carry routes),
     * and other (no driver). {@code unused=} lists the device's kernel driver and the DPDK drivers that are
     * loaded, minus the one in use.
     */
    public static String deviceTable(final HostView host)
    {
        final List<String> dpdk = new ArrayList<>();
        final List<String> kernel = new ArrayList<>();
        final List<String> other = new ArrayList<>();
        final Set<String> active = host.activeInterfaces();
        for (final PciDevice d : host.pciDevices())
        {
            if (!d.isNetwork())
            {
                continue;
            }
            final StringBuilder line = new StringBuilder();
            line.append(d.bdf()).append(" '").append(PciIds.describe(d)).append('\'');
            if (!d.interfaces().isEmpty() && !PciIds.DPDK_DRIVERS.contains(d.driver()))
            {
                line.append(" if=").append(String.join(",", d.interfaces()));
            }
            if (d.driver() != null)
            {
                line.append(" drv=").append(d.driver());
            }
            final List<String> unused = unused(host, d);
            if (!unused.isEmpty())
            {
                line.append(" unused=").append(String.join(",", unused));
            }
            for (final String ifc : d.interfaces())
            {
                if (active.contains(ifc))
                {
                    line.append(" *Active*");
                    break;
                }
            }
            if (d.driver() == null)
            {
                other.add(line.toString());
            }
            else if (PciIds.DPDK_DRIVERS.contains(d.driver()))
            {
                dpdk.add(line.toString());
            }
            else
            {
                kernel.add(line.toString());
            }
        }
        final StringBuilder sb = new StringBuilder();
        section(sb, "Network devices using DPDK-compatible driver", dpdk);
        section(sb, "Network devices using kernel driver", kernel);
        section(sb, "Other Network devices", other);
        if (sb.length() == 0)
        {
            sb.append("No 'Network' devices detected\n");
        }
        return sb.toString();
    }

    private static List<String> unused(final HostView host, final PciDevice d)
    {
        final Set<String> out = new LinkedHashSet<>();
        final String k = PciIds.kernelDriver(d);
        if (k != null)
        {
            out.add(k);
        }
        for (final String m : List.of("vfio-pci", "uio_pci_generic", "igb_uio"))
        {
            if (host.moduleLoaded(m))
            {
                out.add(m);
            }
        }
        out.remove(d.driver());
        return new ArrayList<>(out);
    }

    private static void section(final StringBuilder sb, final String title, final List<String> lines)
    {
        if (lines.isEmpty())
        {
            return;
        }
        if (sb.length() > 0)
        {
            sb.append('\n');
        }
        sb.append(title).append('\n').append("=".repeat(title.length())).append('\n');
        for (final String l : lines)
        {
            sb.append(l).append('\n');
        }
    }

    // ------------------------------------------------------------------ what to check

    /** A PCI device the configuration takes (or, surveying, that the machine has), and the MAC it selects. */
    private record Target(String bdf, PciDevice device, String mac)
    {
    }

    private static List<Target> targets(final HostView host, final DoctorRequest req, final List<Finding> out)
    {
        final List<Target> targets = new ArrayList<>();
        final Set<String> seen = new TreeSet<>();
        if (req.namesNoDevice())
        {
            if (!req.noPci())
            {
                for (final PciDevice d : host.pciDevices())
                {
                    if (d.isNetwork() && seen.add(d.bdf()))
                    {
                        targets.add(new Target(d.bdf(), d, null));
                    }
                }
            }
            return targets;
        }
        if (req.noPci() && !req.pciDevices().isEmpty())
        {
            out.add(Finding.warn("dpdk: no-pci is set, so the " + req.pciDevices().size() + " dev entries are ignored",
                "remove no-pci from dpdk { } or the dev entries"));
        }
        if (!req.noPci())
        {
            for (final String bdf : req.pciDevices())
            {
                if (seen.add(bdf))
                {
                    targets.add(new Target(bdf, host.pciDevice(bdf), null));
                }
            }
        }
        for (final DoctorRequest.Vdev v : req.parsedVdevs())
        {
            if (v.isPciBus())
            {
                final String bdf = HostView.normalizeBdf(v.name());
                final String mac = v.args().get("mac");
                targets.add(new Target(bdf, host.pciDevice(bdf), mac == null ? null : mac.toLowerCase()));
            }
        }
        return targets;
    }

    // ------------------------------------------------------------------ hugepages

    private static void hugepages(final HostView host, final DoctorRequest req, final List<Target> targets,
        final boolean survey, final List<Finding> out)
    {
        if (req.noHuge())
        {
            out.add(Finding.ok("hugepages: not needed (no-huge)"));
            return;
        }
        final long need = req.hugepageBytes();
        final long defaultKb = host.defaultHugepageKb();
        final boolean oneNode = host.numaNodes().size() == 1;
        final List<HostView.HugetlbfsMount> mounts = host.hugetlbfsMounts();
        if (need == 0)
        {
            long freeBytes = 0;
            for (final HugepagePool p : host.hugepagePools())
            {
                freeBytes += p.freeBytes();
                out.add(Finding.ok("hugepages: " + p.free() + " free of " + p.total() + " " + p.sizeKb() + "kB pages"));
            }
            if (freeBytes == 0)
            {
                out.add(new Finding(survey ? Severity.WARN : Severity.ERROR,
                    "hugepages: no free hugepages (EAL: No free " + defaultKb + " kB hugepages reported on node 0)",
                    "echo " + SURVEY_PAGES + " > /proc/sys/vm/nr_hugepages"));
            }
            mount(mounts, defaultKb, defaultKb, survey ? Severity.WARN : Severity.ERROR, out);
            return;
        }
        final Set<Integer> nodes = new TreeSet<>();
        for (final Target t : targets)
        {
            if (t.device() != null)
            {
                nodes.add(t.device().node());
            }
        }
        if (nodes.isEmpty())
        {
            nodes.add(0);
        }
        final Set<Long> mountSizes = new TreeSet<>();
        for (final int node : nodes)
        {
            final List<HugepagePool> pools = host.hugepagePools(node);
            HugepagePool pick = null;
            for (final HugepagePool p : pools)
            {
                if (p.freeBytes() >= need && mounted(mounts, p.sizeKb()))
                {
                    pick = p;
                    break;
                }
            }
            if (pick == null)
            {
                for (final HugepagePool p : pools)
                {
                    if (p.freeBytes() >= need)
                    {
                        pick = p;
                        break;
                    }
                }
            }
            if (pick != null)
            {
                out.add(Finding.ok("hugepages: " + pick.free() + " free " + pick.sizeKb() + "kB pages on node" + node + " ("
                    + bytes(pick.freeBytes()) + "), the config needs " + bytes(need)));
                mountSizes.add(pick.sizeKb());
                continue;
            }
            HugepagePool pool = null;
            for (final HugepagePool p : pools)
            {
                if (p.sizeKb() == defaultKb)
                {
                    pool = p;
                }
            }
            if (pool == null)
            {
                pool = new HugepagePool(node, defaultKb, 0, 0);
            }
            final long pageBytes = pool.sizeKb() * 1024L;
            final long pages = (need + pageBytes - 1) / pageBytes;
            final long target = pool.total() + pages - pool.free();
            final String eal = pool.free() == 0
                ? " (EAL: No free " + pool.sizeKb() + " kB hugepages reported on node " + node + ")" : "";
            final String file = oneNode && pool.sizeKb() == defaultKb ? "/proc/sys/vm/nr_hugepages"
                : "/sys/devices/system/node/node" + node + "/hugepages/hugepages-" + pool.sizeKb() + "kB/nr_hugepages";
            out.add(Finding.error("hugepages: " + pool.free() + " free " + pool.sizeKb() + "kB pages on node" + node
                + ", the config needs " + pages + " (" + bytes(need) + ")" + eal, "echo " + target + " > " + file));
            mountSizes.add(pool.sizeKb());
        }
        for (final long sizeKb : mountSizes)
        {
            mount(mounts, sizeKb, defaultKb, Severity.ERROR, out);
        }
    }

    private static boolean mounted(final List<HostView.HugetlbfsMount> mounts, final long sizeKb)
    {
        for (final HostView.HugetlbfsMount m : mounts)
        {
            if (m.pageSizeKb() == sizeKb)
            {
                return true;
            }
        }
        return false;
    }

    private static void mount(final List<HostView.HugetlbfsMount> mounts, final long sizeKb, final long defaultKb,
        final Severity gap, final List<Finding> out)
    {
        for (final HostView.HugetlbfsMount m : mounts)
        {
            if (m.pageSizeKb() == sizeKb)
            {
                out.add(Finding.ok("hugetlbfs: " + m.mountPoint() + " (pagesize=" + pageSize(sizeKb) + ")"));
                return;
            }
        }
        boolean devHugepagesTaken = false;
        for (final HostView.HugetlbfsMount m : mounts)
        {
            devHugepagesTaken |= "/dev/hugepages".equals(m.mountPoint());
        }
        final String what = "hugetlbfs: nothing is mounted with pagesize=" + pageSize(sizeKb) + ": DPDK cannot map its "
            + sizeKb + "kB pages";
        if (!devHugepagesTaken)
        {
            out.add(new Finding(gap, what, "mkdir -p /dev/hugepages && mount -t hugetlbfs "
                + (sizeKb == defaultKb ? "" : "-o pagesize=" + pageSize(sizeKb) + " ") + "nodev /dev/hugepages"));
        }
        else
        {
            final String dir = sizeKb == KB_1G ? "/mnt/huge_1gb" : "/mnt/huge_" + pageSize(sizeKb).toLowerCase();
            out.add(new Finding(gap, what,
                "mkdir -p " + dir + " && mount -t hugetlbfs -o pagesize=" + pageSize(sizeKb) + " nodev " + dir));
        }
    }

    // ------------------------------------------------------------------ devices

    private static void device(final HostView host, final DoctorRequest req, final Target t, final Severity gap,
        final Set<String> uioNeeded, final List<Finding> out)
    {
        final PciDevice d = t.device();
        if (d == null)
        {
            missing(host, t.bdf(), out);
            return;
        }
        if (!d.isNetwork())
        {
            out.add(Finding.warn(t.bdf() + " is not a network controller (class 0x" + d.pciClass() + ")", null));
        }
        if (PciIds.isMana(d))
        {
            mana(host, req, t, gap, out);
        }
        else if (PciIds.isMellanox(d))
        {
            mellanox(host, d, gap, out);
        }
        else
        {
            bound(host, req, d, gap, uioNeeded, out);
        }
        if (d.isSriovPf())
        {
            out.add(Finding.ok(label(d) + " is an SR-IOV PF: sriov_numvfs " + Math.max(d.sriovNumVfs(), 0)
                + " of sriov_totalvfs " + d.sriovTotalVfs()));
        }
    }

    /** A device that is not there: maybe a VF of a PF that has too few VFs enabled. */
    private static void missing(final HostView host, final String bdf, final List<Finding> out)
    {
        for (final PciDevice pf : host.pciDevices())
        {
            if (!pf.isSriovPf() || pf.sriovOffset() < 0 || pf.sriovStride() < 0)
            {
                continue;
            }
            for (int vf = 0; vf < pf.sriovTotalVfs(); vf++)
            {
                if (bdf.equals(vfAddress(pf, vf)))
                {
                    final String file = "/sys/bus/pci/devices/" + pf.bdf() + "/sriov_numvfs";
                    final int want = vf + 1;
                    out.add(Finding.error(bdf + " does not exist: it is VF " + vf + " of " + label(pf) + ", which has "
                        + "sriov_numvfs " + Math.max(pf.sriovNumVfs(), 0) + " of sriov_totalvfs " + pf.sriovTotalVfs(),
                        pf.sriovNumVfs() > 0 ? "echo 0 > " + file + " && echo " + want + " > " + file
                            : "echo " + want + " > " + file));
                    return;
                }
            }
        }
        out.add(Finding.error(bdf + ": no such PCI device", "lspci -D -d ::0200"));
    }

    /** The address of VF {@code vf}: routing id = PF's + offset + vf * stride (PCIe SR-IOV). */
    static String vfAddress(final PciDevice pf, final int vf)
    {
        final String[] p = pf.bdf().split("[:.]");
        final int rid = (Integer.parseInt(p[1], 16) << 8) | (Integer.parseInt(p[2], 16) << 3) | Integer.parseInt(p[3], 16);
        final int v = rid + pf.sriovOffset() + vf * pf.sriovStride();
        return String.format("%s:%02x:%02x.%x", p[0], (v >> 8) & 0xff, (v >> 3) & 0x1f, v & 0x7);
    }

    /** A device DPDK takes through vfio-pci / uio. */
    private static void bound(final HostView host, final DoctorRequest req, final PciDevice d, final Severity gap,
        final Set<String> uioNeeded, final List<Finding> out)
    {
        if (PciIds.DPDK_DRIVERS.contains(d.driver()))
        {
            out.add(Finding.ok(label(d) + " is bound to " + d.driver()));
            if ("vfio-pci".equals(d.driver()))
            {
                uioNeeded.add(d.bdf());
            }
            return;
        }
        if (gap == Severity.WARN)
        {
            final Set<String> active = host.activeInterfaces();
            for (final String name : d.interfaces())
            {
                if (active.contains(name))
                {
                    out.add(Finding.ok(label(d) + " stays with the kernel: " + name + " carries routes (*Active*)"));
                    return;
                }
            }
        }
        uioNeeded.add(d.bdf());
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
        fix.append("dpdk-devbind.py -b ").append(req.uioDriver()).append(' ').append(d.bdf());
        final StringBuilder what = new StringBuilder(label(d));
        if (d.driver() == null)
        {
            what.append(" has no driver: DPDK needs it bound to ").append(req.uioDriver());
        }
        else
        {
            what.append(" is owned by the kernel");
            if (!up.isEmpty())
            {
                what.append(" and ").append(String.join(", ", up)).append(up.size() == 1 ? " is UP" : " are UP");
            }
            what.append(": DPDK's PCI PMDs skip devices a kernel driver holds");
            final Set<String> active = host.activeInterfaces();
            for (final String name : d.interfaces())
            {
                if (active.contains(name))
                {
                    what.append(" (").append(name).append(" carries routes: *Active*; mind your ssh session)");
                    break;
                }
            }
        }
        out.add(new Finding(gap, what.toString(), fix.toString()));
    }

    /** The driver DPDK binds devices to: loaded, and for vfio-pci an IOMMU or no-IOMMU mode. */
    private static void uioDriver(final HostView host, final String driver, final Set<String> devices, final Severity gap,
        final List<Finding> out)
    {
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
        if (!"vfio-pci".equals(driver))
        {
            return;
        }
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

    // ------------------------------------------------------------------ MANA

    private static void mana(final HostView host, final DoctorRequest req, final Target t, final Severity gap,
        final List<Finding> out)
    {
        final PciDevice d = t.device();
        final boolean debian = host.isDebian();
        final String release = host.kernelRelease();
        final boolean backport;
        if (release == null)
        {
            out.add(Finding.warn("kernel: cannot read /proc/sys/kernel/osrelease; MANA's DPDK needs Linux 6.2 or later", null));
            backport = false;
        }
        else if (atLeast(release, MANA_MIN_KERNEL_MAJOR, MANA_MIN_KERNEL_MINOR))
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
                + "driver of Linux 6.2 or a backport", debian ? "apt-get install -y linux-azure && reboot"
                : "dnf update -y kernel && reboot"));
            backport = false;
        }
        if (release != null && (atLeast(release, MANA_MIN_KERNEL_MAJOR, MANA_MIN_KERNEL_MINOR) || backport)
            && !host.moduleLoaded("mana_ib"))
        {
            out.add(new Finding(gap, "mana_ib is not loaded: libmana finds no /sys/class/infiniband/mana_0",
                "modprobe mana_ib"));
        }
        final String rdma = host.rdmaCoreVersion();
        final String rdmaFix = debian ? "apt-get install -y rdma-core ibverbs-providers"
            : "dnf install -y rdma-core libibverbs";
        if (rdma == null)
        {
            out.add(new Finding(gap, "rdma-core is not installed: MANA's userspace driver libmana comes with rdma-core ≥ 44",
                rdmaFix));
        }
        else if (leadingInt(rdma) < MANA_MIN_RDMA_CORE)
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
        if (!"mana".equals(d.driver()))
        {
            out.add(new Finding(gap, label(d) + " is a MANA VF (" + PciIds.MANA + ") but is "
                + (d.driver() == null ? "unbound" : "bound to " + d.driver()) + ": MANA works beside its kernel driver mana",
                host.moduleLoaded("mana") ? "dpdk-devbind.py -b mana " + d.bdf() : "modprobe mana"));
        }
        else
        {
            out.add(Finding.ok(label(d) + " is a MANA VF on mana: no binding needed, DPDK selects it by MAC"));
        }
        final List<NetInterface> ports = new ArrayList<>();
        for (final String name : d.interfaces())
        {
            final NetInterface ifc = host.netInterface(name);
            if (ifc != null && (t.mac() == null || t.mac().equals(ifc.address())))
            {
                ports.add(ifc);
            }
        }
        if (t.mac() != null && ports.isEmpty())
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
            out.add(Finding.error("no MANA port on " + d.bdf() + " has mac " + t.mac() + " (ports: "
                + (have.length() == 0 ? "none" : have) + "): EAL: Requested device " + d.bdf() + " cannot be used",
                first == null ? "ip -br link show" : "dpdk { vdev " + d.bdf() + ",mac=" + first + " }"));
            return;
        }
        final List<NetInterface> synthetic = new ArrayList<>();
        for (final NetInterface port : ports)
        {
            manaDown(port, port.name() + " (" + d.bdf() + ", mana)", out);
            final NetInterface master = port.master() == null ? null : host.netInterface(port.master());
            if (master != null)
            {
                manaDown(master, master.name() + " (" + master.driver() + ", master of " + port.name() + ")", out);
                synthetic.add(master);
            }
        }
        for (final NetInterface s : synthetic)
        {
            if ("hv_netvsc".equals(s.driver()) && s.device() != null)
            {
                final String uuid = s.device();
                out.add(Finding.warn(s.name() + "'s synthetic channel (VMBus " + uuid + ") is on hv_netvsc"
                    + (host.moduleLoaded("uio_hv_generic") ? "" : " and uio_hv_generic is not loaded")
                    + ": DPDK's netvsc PMD, recommended with MANA, needs it on uio_hv_generic",
                    (host.moduleLoaded("uio_hv_generic") ? "" : "modprobe uio_hv_generic && ")
                        + "echo " + HV_NET_CLASS_ID + " > /sys/bus/vmbus/drivers/uio_hv_generic/new_id"
                        + " && echo " + uuid + " > /sys/bus/vmbus/drivers/hv_netvsc/unbind"
                        + " && echo " + uuid + " > /sys/bus/vmbus/drivers/uio_hv_generic/bind"));
            }
        }
        if (synthetic.isEmpty() && host.moduleLoaded("uio_hv_generic"))
        {
            out.add(Finding.ok("uio_hv_generic is loaded (synthetic channel for DPDK's netvsc PMD)"));
        }
        for (final DoctorRequest.Vdev v : req.parsedVdevs())
        {
            if (v.name().startsWith("net_vdev_netvsc") || v.name().startsWith("net_failsafe"))
            {
                final String mac = ports.isEmpty() ? "<mac>" : ports.get(0).address();
                out.add(Finding.warn("vdev " + v.name() + " on MANA: net_vdev_netvsc / net_failsafe give low throughput; "
                    + "select the VF by bus and MAC", "dpdk { vdev " + d.bdf() + ",mac=" + mac + " }"));
            }
        }
    }

    private static void manaDown(final NetInterface ifc, final String label, final List<Finding> out)
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

    // ------------------------------------------------------------------ mlx4 / mlx5

    private static void mellanox(final HostView host, final PciDevice d, final Severity gap, final List<Finding> out)
    {
        final String driver = PciIds.mellanoxDriver(d);
        final boolean mlx4 = driver.startsWith("mlx4");
        final String load = mlx4 ? "modprobe -a mlx4_core mlx4_en mlx4_ib" : "modprobe -a mlx5_core mlx5_ib";
        final String ib = mlx4 ? "mlx4_ib" : "mlx5_ib";
        if (driver.equals(d.driver()))
        {
            out.add(Finding.ok(label(d) + " is bifurcated: DPDK's " + (mlx4 ? "mlx4" : "mlx5")
                + " PMD runs beside " + driver + ", no binding needed"));
            if (!host.moduleLoaded(ib))
            {
                out.add(new Finding(gap, ib + " is not loaded: the " + (mlx4 ? "mlx4" : "mlx5")
                    + " PMD reaches " + d.bdf() + " through its verbs", load));
            }
            return;
        }
        if (d.driver() == null)
        {
            out.add(new Finding(gap, label(d) + " has no driver: the " + (mlx4 ? "mlx4" : "mlx5")
                + " PMD is bifurcated and needs " + driver + " bound",
                host.moduleLoaded(driver) ? "dpdk-devbind.py -b " + driver + " " + d.bdf() : load));
            return;
        }
        out.add(new Finding(gap, label(d) + " is bound to " + d.driver() + ": the " + (mlx4 ? "mlx4" : "mlx5")
            + " PMD is bifurcated and needs " + driver + ", not a uio/vfio driver",
            "dpdk-devbind.py -b " + driver + " " + d.bdf()));
    }

    // ------------------------------------------------------------------ kernel interfaces

    private static void interfaces(final HostView host, final DoctorRequest req, final List<Finding> out)
    {
        for (final String name : req.kernelInterfaces())
        {
            final NetInterface ifc = host.netInterface(name);
            final String user = userOf(req, name);
            if (ifc == null)
            {
                out.add(Finding.error(name + ": no such kernel interface (" + user + " needs it)", "ip -br link show"));
            }
            else if (ifc.isUp())
            {
                out.add(Finding.ok(name + " is UP (" + user + " reads it through the kernel)"));
            }
            else
            {
                out.add(Finding.warn(name + " is DOWN: " + user + " will see no packets", "ip link set " + name + " up"));
            }
        }
    }

    private static String userOf(final DoctorRequest req, final String name)
    {
        for (final DoctorRequest.Vdev v : req.parsedVdevs())
        {
            if (name.equals(v.iface()))
            {
                return v.name();
            }
        }
        return "the config";
    }

    // ------------------------------------------------------------------ formatting

    /** {@code 0000:00:06.0 (eth1, ena)}: the address, its interfaces and driver. */
    static String label(final PciDevice d)
    {
        final List<String> parts = new ArrayList<>(d.interfaces());
        parts.add(d.driver() == null ? "no driver" : d.driver());
        return d.bdf() + " (" + String.join(", ", parts) + ")";
    }

    static String bytes(final long b)
    {
        if (b >= 1L << 30 && b % (1L << 30) == 0)
        {
            return (b >> 30) + " GiB";
        }
        if (b >= 1L << 20)
        {
            return (b >> 20) + " MiB";
        }
        return b + " B";
    }

    static String pageSize(final long kb)
    {
        if (kb >= KB_1G && kb % KB_1G == 0)
        {
            return (kb / KB_1G) + "G";
        }
        if (kb >= 1024 && kb % 1024 == 0)
        {
            return (kb / 1024) + "M";
        }
        return kb + "K";
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
