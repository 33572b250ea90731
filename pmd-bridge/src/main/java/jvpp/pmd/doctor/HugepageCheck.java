package jvpp.pmd.doctor;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hugepages: free pages of a size on each NUMA node the devices hang off, enough for what the config needs
 * (preferring a size that has a hugetlbfs mounted, as EAL does), and a hugetlbfs mounted for that size. With no
 * size asked for, every pool is listed and some free page is enough. Nothing with {@code no-huge}.
 *
 * <p>Stateless. Thread: any.
 */
final class HugepageCheck implements DoctorCheck
{
    private static final long SURVEY_PAGES = 512;
    private static final long KB_1G = 1024L * 1024;

    @Override
    public void check(final Inspection ins, final List<Finding> out)
    {
        final HostView host = ins.host();
        final DoctorRequest req = ins.request();
        if (req.noHuge())
        {
            out.add(Finding.ok("hugepages: not needed (no-huge)"));
            return;
        }
        final long need = req.hugepageBytes();
        final long defaultKb = host.defaultHugepageKb();
        final List<HostView.HugetlbfsMount> mounts = host.hugetlbfsMounts();
        if (need == 0)
        {
            anyFree(host, defaultKb, mounts, ins.gap(), out);
            return;
        }
        final Set<Integer> nodes = new TreeSet<>();
        for (final Inspection.Target t : ins.targets())
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
        final boolean oneNode = host.numaNodes().size() == 1;
        final Set<Long> mountSizes = new TreeSet<>();
        for (final int node : nodes)
        {
            mountSizes.add(onNode(host.hugepagePools(node), node, need, defaultKb, oneNode, mounts, out));
        }
        for (final long sizeKb : mountSizes)
        {
            mount(mounts, sizeKb, defaultKb, Severity.ERROR, out);
        }
    }

    /** No size asked for: list every pool; some free page anywhere and a hugetlbfs of the default size will do. */
    private static void anyFree(final HostView host, final long defaultKb, final List<HostView.HugetlbfsMount> mounts,
        final Severity gap, final List<Finding> out)
    {
        long freeBytes = 0;
        for (final HugepagePool p : host.hugepagePools())
        {
            freeBytes += p.freeBytes();
            out.add(Finding.ok("hugepages: " + p.free() + " free of " + p.total() + " " + p.sizeKb() + "kB pages"));
        }
        if (freeBytes == 0)
        {
            out.add(new Finding(gap,
                "hugepages: no free hugepages (EAL: No free " + defaultKb + " kB hugepages reported on node 0)",
                "echo " + SURVEY_PAGES + " > /proc/sys/vm/nr_hugepages"));
        }
        mount(mounts, defaultKb, defaultKb, gap, out);
    }

    /** The pool of {@code node} that holds {@code need} bytes, or the fix that makes the default-size one; its size. */
    private static long onNode(final List<HugepagePool> pools, final int node, final long need, final long defaultKb,
        final boolean oneNode, final List<HostView.HugetlbfsMount> mounts, final List<Finding> out)
    {
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
            return pick.sizeKb();
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
        return pool.sizeKb();
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
}
