package jvpp.pmd.doctor;

/**
 * The hugepages of one size, on one NUMA node or (node -1) system-wide.
 *
 * <p>Thread: any (immutable).
 *
 * @param node   the NUMA node, -1 for {@code /sys/kernel/mm/hugepages}.
 * @param sizeKb page size in kB (2048, 1048576).
 * @param total  {@code nr_hugepages}.
 * @param free   {@code free_hugepages}.
 */
public record HugepagePool(int node, long sizeKb, long total, long free)
{
    public long freeBytes()
    {
        return free * sizeKb * 1024L;
    }
}
