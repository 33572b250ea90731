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

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLET = 1 << 31;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code struct epoll_event} is packed on x86-64: {@code uint32_t events} then {@code uint64_t data}. */
    public static final int EPOLL_EVENT_SIZE = 12;

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

    // epoll and eventfd for threads that sleep until a file descriptor is ready (core.thread.Waiter). No
    // LastErrorException: a wait interrupted by a signal (EINTR) must not allocate; test the result, then errno().

    public static native int epoll_create1(int flags);

    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    public static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

    public static native int eventfd(int initval, int flags);

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native int close(int fd);

    /** errno of the calling thread's last native call through JNA. */
    public static int errno()
    {
        return Native.getLastError();
    }

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
