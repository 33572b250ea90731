package jvpp.core.thread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import jvpp.core.sys.LibC;

/**
 * CPU facts from sysfs (core id, NUMA node, frequency) and pinning of the calling thread.
 * Thread: any.
 */
public final class CpuTopology
{
    private static final double CPU_GHZ = readCpuGhz();

    private CpuTopology()
    {
    }

    /** The clock {@code show runtime} converts nanoseconds to clocks with: the TSC rate the kernel reports. */
    public static double cpuGhz()
    {
        return CPU_GHZ;
    }

    private static double readCpuGhz()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("cpu MHz"))
                {
                    return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) / 1000.0;
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // fall through
        }
        return 1.0;
    }

    public static int coreId(final int cpu)
    {
        return readInt("/sys/devices/system/cpu/cpu" + cpu + "/topology/core_id", cpu);
    }

    public static int numaNode(final int cpu)
    {
        try (var nodes = Files.newDirectoryStream(Path.of("/sys/devices/system/node"), "node*"))
        {
            for (final Path node : nodes)
            {
                if (Files.exists(node.resolve("cpu" + cpu)))
                {
                    return Integer.parseInt(node.getFileName().toString().substring(4));
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // no NUMA information: node 0
        }
        return 0;
    }

    public static int cpuCount()
    {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Pin the calling thread to {@code cpu}. */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu < 0 || cpu >= 1024)
        {
            throw new IllegalArgumentException("cpu " + cpu + " out of range");
        }
        final Memory mask = new Memory(128);
        mask.clear();
        mask.setByte(cpu / 8, (byte)(1 << (cpu % 8)));
        try
        {
            LibC.sched_setaffinity(0, 128, com.sun.jna.Pointer.nativeValue(mask));
        }
        catch (final LastErrorException ex)
        {
            throw new IllegalStateException("cannot pin thread to cpu " + cpu + ": errno " + ex.getErrorCode(), ex);
        }
    }

    private static int readInt(final String path, final int fallback)
    {
        try
        {
            return Integer.parseInt(Files.readString(Path.of(path)).trim());
        }
        catch (final IOException | RuntimeException ex)
        {
            return fallback;
        }
    }
}
