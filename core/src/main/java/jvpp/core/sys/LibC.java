package jvpp.core.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls jvpp core needs, JNA direct-mapped (one JNI transition, no marshalling).
 * Pointers are passed as {@code long} native addresses. Thread: any.
 */
public final class LibC
{
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final long MAP_FAILED = -1L;
    public static final int MADV_HUGEPAGE = 14;
    private static final long SYS_GETTID = 186; // x86_64

    static
    {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC()
    {
    }

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
        throws LastErrorException;

    public static native int munmap(long addr, long length) throws LastErrorException;

    public static native int madvise(long addr, long length, int advice) throws LastErrorException;

    public static native long syscall(long number) throws LastErrorException;

    public static native int geteuid();

    public static native int sched_setaffinity(int pid, long cpuSetSize, long maskAddress) throws LastErrorException;

    public static native int sched_getcpu();

    /** The kernel thread id (LWP) of the calling thread. */
    public static int gettid()
    {
        return (int)syscall(SYS_GETTID);
    }

    /** True when the process runs with effective uid 0. */
    public static boolean isRoot()
    {
        return geteuid() == 0;
    }
}
