package jvpp.pmd.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A machine's {@code /sys} and {@code /proc} (and the few package files the doctor needs) read through a
 * configurable root, so that the doctor runs the same on the real machine ({@code "/"}) and on a fixture
 * tree modelled on one.
 *
 * <p>Links that sysfs makes symlinks ({@code driver}, {@code iommu_group}, {@code physfn}, {@code device},
 * {@code master}) may also be plain files holding the target or just its last path element, which is what
 * the fixture trees use: the name is the last element either way.
 *
 * <p>rdma-core's version comes from the first of: the {@code Package: rdma-core} stanza of
 * {@code /var/lib/dpkg/status} (Debian, Ubuntu), or the name of {@code libibverbs.so.1.<abi>.<version>}
 * under {@code /usr/lib64}, {@code /usr/lib/x86_64-linux-gnu}, {@code /usr/lib/aarch64-linux-gnu} or
 * {@code /usr/lib} (rdma-core names the library after its release on every distribution).
 *
 * <p>Nothing is cached: every call reads the files again. Thread: any; it only reads files.
 */
public final class HostView
{
    public static final String DEFAULT_ROOT = "/";

    private static final String PCI_DEVICES = "/sys/bus/pci/devices";
    private static final String CLASS_NET = "/sys/class/net";
    private static final Pattern HUGEPAGES_DIR = Pattern.compile("hugepages-(\\d+)kB");
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    private static final Pattern LIBIBVERBS = Pattern.compile("libibverbs\\.so\\.1\\.\\d+\\.(\\d+(?:\\.\\d+)*)");
    private static final Pattern PROC_VERSION = Pattern.compile("Linux version (\\S+)");
    private static final String[] LIB_DIRS = {
        "/usr/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"};

    private final Path root;

    /** A mounted hugetlbfs and the page size it hands out. */
    public record HugetlbfsMount(String mountPoint, long pageSizeKb)
    {
    }

    public HostView(final String root)
    {
        this.root = Path.of(root == null || root.isEmpty() ? DEFAULT_ROOT : root);
    }

    /** The running machine. */
    public static HostView real()
    {
        return new HostView(DEFAULT_ROOT);
    }

    public Path root()
    {
        return root;
    }

    /** {@code absolute} (e.g. {@code /sys/module/vfio}) under the root. */
    public Path path(final String absolute)
    {
        final String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    public boolean exists(final String absolute)
    {
        return Files.exists(path(absolute), LinkOption.NOFOLLOW_LINKS);
    }

    /** The file's content without surrounding white space, or null when it cannot be read. */
    public String read(final String absolute)
    {
        final Path p = path(absolute);
        if (!Files.isRegularFile(p))
        {
            return null;
        }
        try
        {
            return Files.readString(p).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /** The names in a directory, sorted; empty when it is not there. */
    public List<String> list(final String absolute)
    {
        final Path p = path(absolute);
        if (!Files.isDirectory(p))
        {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p))
        {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }

    /**
     * The last path element of what a sysfs link points at: a symlink's target, or the content of a plain
     * file standing in for it. Null when neither is there.
     */
    public String link(final String absolute)
    {
        final Path p = path(absolute);
        String target = null;
        if (Files.isSymbolicLink(p))
        {
            try
            {
                target = Files.readSymbolicLink(p).toString();
            }
            catch (final IOException ex)
            {
                return null;
            }
        }
        else
        {
            target = read(absolute);
        }
        if (target == null || target.isEmpty())
        {
            return null;
        }
        while (target.endsWith("/"))
        {
            target = target.substring(0, target.length() - 1);
        }
        return target.substring(target.lastIndexOf('/') + 1);
    }

    // ------------------------------------------------------------------ PCI

    public List<PciDevice> pciDevices()
    {
        final List<PciDevice> out = new ArrayList<>();
        for (final String bdf : list(PCI_DEVICES))
        {
            out.add(pciDevice(bdf));
        }
        return out;
    }

    /** The device at {@code bdf} (with or without the domain), or null when there is none. */
    public PciDevice pciDevice(final String bdf)
    {
        final String full = normalizeBdf(bdf);
        final String dir = PCI_DEVICES + "/" + full;
        if (!exists(dir))
        {
            return null;
        }
        final Set<String> ifs = new TreeSet<>(list(dir + "/net"));
        // virtio-net puts its netdev one level down: <bdf>/virtio0/net/eth0 (a VM's own NIC: must be seen as busy).
        for (final String child : list(dir))
        {
            if (child.startsWith("virtio"))
            {
                ifs.addAll(list(dir + "/" + child + "/net"));
            }
        }
        for (final String name : list(CLASS_NET))
        {
            if (full.equals(link(CLASS_NET + "/" + name + "/device")))
            {
                ifs.add(name);
            }
        }
        return new PciDevice(full, hex(read(dir + "/vendor")), hex(read(dir + "/device")), hex(read(dir + "/class")),
            intOr(read(dir + "/numa_node"), -1), link(dir + "/driver"), link(dir + "/iommu_group"),
            intOr(read(dir + "/sriov_totalvfs"), -1), intOr(read(dir + "/sriov_numvfs"), -1),
            intOr(read(dir + "/sriov_offset"), -1), intOr(read(dir + "/sriov_stride"), -1), link(dir + "/physfn"),
            List.copyOf(ifs));
    }

    /** {@code 02:00.1} becomes {@code 0000:02:00.1}; anything else is returned lower-cased. */
    public static String normalizeBdf(final String bdf)
    {
        final String b = bdf.trim().toLowerCase();
        return b.matches("[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]") ? "0000:" + b : b;
    }

    /** Whether {@code s} is a PCI address ({@code 0000:00:06.0}, {@code 7870:00:00.0} or {@code 00:06.0}). */
    public static boolean isBdf(final String s)
    {
        return s != null && s.toLowerCase().matches("([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    }

    // ------------------------------------------------------------------ net

    public List<NetInterface> netInterfaces()
    {
        final List<NetInterface> out = new ArrayList<>();
        for (final String name : list(CLASS_NET))
        {
            out.add(netInterface(name));
        }
        return out;
    }

    /** The kernel interface {@code name}, or null when the kernel has none by that name. */
    public NetInterface netInterface(final String name)
    {
        final String dir = CLASS_NET + "/" + name;
        if (!exists(dir))
        {
            return null;
        }
        final String device = link(dir + "/device");
        String driver = null;
        if (device != null)
        {
            driver = link(dir + "/device/driver");
            if (driver == null)
            {
                driver = link(PCI_DEVICES + "/" + device + "/driver");
            }
            if (driver == null)
            {
                driver = link("/sys/bus/vmbus/devices/" + device + "/driver");
            }
        }
        final String address = read(dir + "/address");
        return new NetInterface(name, read(dir + "/operstate"), intOr(read(dir + "/flags"), -1),
            address == null ? null : address.toLowerCase(), device, driver, link(dir + "/master"));
    }

    /** Interfaces that carry routes ({@code /proc/net/route}): {@code dpdk-devbind.py} calls them {@code *Active*}. */
    public Set<String> activeInterfaces()
    {
        final Set<String> out = new LinkedHashSet<>();
        final String routes = read("/proc/net/route");
        if (routes == null)
        {
            return out;
        }
        for (final String line : routes.split("\n"))
        {
            final String[] cols = line.trim().split("\\s+");
            if (cols.length > 1 && !"Iface".equals(cols[0]))
            {
                out.add(cols[0]);
            }
        }
        return out;
    }

    /** The driver of a VMBus device ({@code hv_netvsc}, {@code uio_hv_generic}), or null. */
    public String vmbusDriver(final String deviceId)
    {
        return link("/sys/bus/vmbus/devices/" + deviceId + "/driver");
    }

    // ------------------------------------------------------------------ memory

    /** The NUMA nodes under {@code /sys/devices/system/node}, sorted; {@code [0]} when there is no such directory. */
    public List<Integer> numaNodes()
    {
        final List<Integer> out = new ArrayList<>();
        for (final String name : list("/sys/devices/system/node"))
        {
            final Matcher m = NODE_DIR.matcher(name);
            if (m.matches())
            {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        Collections.sort(out);
        return out.isEmpty() ? List.of(0) : out;
    }

    /** System-wide pools ({@code node} -1), one per page size, smallest first. */
    public List<HugepagePool> hugepagePools()
    {
        return pools("/sys/kernel/mm/hugepages", -1);
    }

    /**
     * The pools of one NUMA node, smallest page first. A machine (or fixture) without per-node directories
     * has one node: then node 0's pools are the system-wide ones.
     */
    public List<HugepagePool> hugepagePools(final int node)
    {
        final String dir = "/sys/devices/system/node/node" + node + "/hugepages";
        if (exists(dir))
        {
            return pools(dir, node);
        }
        if (node == 0)
        {
            final List<HugepagePool> out = new ArrayList<>();
            for (final HugepagePool p : hugepagePools())
            {
                out.add(new HugepagePool(0, p.sizeKb(), p.total(), p.free()));
            }
            return out;
        }
        return List.of();
    }

    private List<HugepagePool> pools(final String dir, final int node)
    {
        final List<HugepagePool> out = new ArrayList<>();
        for (final String name : list(dir))
        {
            final Matcher m = HUGEPAGES_DIR.matcher(name);
            if (m.matches())
            {
                out.add(new HugepagePool(node, Long.parseLong(m.group(1)),
                    longOr(read(dir + "/" + name + "/nr_hugepages"), 0),
                    longOr(read(dir + "/" + name + "/free_hugepages"), 0)));
            }
        }
        out.sort((a, b) -> Long.compare(a.sizeKb(), b.sizeKb()));
        return out;
    }

    /** {@code Hugepagesize} from {@code /proc/meminfo}, 2048 when it does not say. */
    public long defaultHugepageKb()
    {
        final String meminfo = read("/proc/meminfo");
        if (meminfo != null)
        {
            for (final String line : meminfo.split("\n"))
            {
                if (line.startsWith("Hugepagesize:"))
                {
                    return longOr(line.substring("Hugepagesize:".length()).replace("kB", "").trim(), 2048);
                }
            }
        }
        return 2048;
    }

    /** Every hugetlbfs in {@code /proc/mounts}, with its {@code pagesize=} (the default size when absent). */
    public List<HugetlbfsMount> hugetlbfsMounts()
    {
        final List<HugetlbfsMount> out = new ArrayList<>();
        final String mounts = read("/proc/mounts");
        if (mounts == null)
        {
            return out;
        }
        for (final String line : mounts.split("\n"))
        {
            final String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && "hugetlbfs".equals(cols[2]))
            {
                long sizeKb = defaultHugepageKb();
                for (final String opt : cols[3].split(","))
                {
                    if (opt.startsWith("pagesize="))
                    {
                        sizeKb = sizeKb(opt.substring("pagesize=".length()));
                    }
                }
                out.add(new HugetlbfsMount(cols[1], sizeKb));
            }
        }
        return out;
    }

    /** {@code 2M}, {@code 1024M}, {@code 1G}, {@code 2048k} in kB; -1 when unreadable. */
    static long sizeKb(final String s)
    {
        final String v = s.trim().toUpperCase().replace("B", "");
        if (v.isEmpty())
        {
            return -1;
        }
        final char unit = v.charAt(v.length() - 1);
        final long mult = switch (unit)
        {
            case 'K' -> 1;
            case 'M' -> 1024;
            case 'G' -> 1024 * 1024;
            default -> 0;
        };
        if (mult == 0)
        {
            return longOr(v, -1 * 1024L) / 1024;
        }
        return longOr(v.substring(0, v.length() - 1), -1) * mult;
    }

    // ------------------------------------------------------------------ kernel

    /** {@code /proc/sys/kernel/osrelease}, else the release in {@code /proc/version}; null when neither says. */
    public String kernelRelease()
    {
        final String release = read("/proc/sys/kernel/osrelease");
        if (release != null && !release.isEmpty())
        {
            return release;
        }
        final String version = read("/proc/version");
        if (version != null)
        {
            final Matcher m = PROC_VERSION.matcher(version);
            if (m.find())
            {
                return m.group(1);
            }
        }
        return null;
    }

    /** Whether the module is loaded (or built in): {@code /sys/module/<name>} exists. Dashes read as underscores. */
    public boolean moduleLoaded(final String module)
    {
        return exists("/sys/module/" + module.replace('-', '_'));
    }

    /** {@code /sys/module/<module>/parameters/<name>}, or null. */
    public String moduleParameter(final String module, final String name)
    {
        return read("/sys/module/" + module.replace('-', '_') + "/parameters/" + name);
    }

    /** How many IOMMU groups the kernel made; 0 means no IOMMU (or it is off). */
    public int iommuGroupCount()
    {
        return list("/sys/kernel/iommu_groups").size();
    }

    /** rdma-core's version (e.g. {@code 50.0-2build2}, {@code 44.0}), or null when it is not installed. */
    public String rdmaCoreVersion()
    {
        final String status = read("/var/lib/dpkg/status");
        if (status != null)
        {
            for (final String stanza : status.split("\n\\s*\n"))
            {
                if (stanza.startsWith("Package: rdma-core\n") || stanza.contains("\nPackage: rdma-core\n"))
                {
                    for (final String line : stanza.split("\n"))
                    {
                        if (line.startsWith("Version:"))
                        {
                            return line.substring("Version:".length()).trim();
                        }
                    }
                }
            }
        }
        for (final String dir : LIB_DIRS)
        {
            for (final String name : list(dir))
            {
                final Matcher m = LIBIBVERBS.matcher(name);
                if (m.matches())
                {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    /** Whether this machine keeps a dpkg database (so that fixes are apt-get commands). */
    public boolean isDebian()
    {
        return exists("/var/lib/dpkg/status");
    }

    // ------------------------------------------------------------------ parsing

    private static String hex(final String s)
    {
        if (s == null)
        {
            return null;
        }
        final String v = s.toLowerCase();
        return v.startsWith("0x") ? v.substring(2) : v;
    }

    static int intOr(final String s, final int dflt)
    {
        if (s == null)
        {
            return dflt;
        }
        try
        {
            return s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s.trim());
        }
        catch (final NumberFormatException ex)
        {
            return dflt;
        }
    }

    static long longOr(final String s, final long dflt)
    {
        if (s == null)
        {
            return dflt;
        }
        try
        {
            return Long.parseLong(s.trim());
        }
        catch (final NumberFormatException ex)
        {
            return dflt;
        }
    }
}
