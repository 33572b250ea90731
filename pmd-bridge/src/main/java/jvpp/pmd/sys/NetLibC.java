package jvpp.pmd.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls the TAP and AF_PACKET ports need, JNA direct-mapped (one JNI transition, nothing
 * marshalled but the occasional {@code String} at open time). Pointers are native addresses
 * ({@code long}); buffers are never Java arrays.
 *
 * <p>No method declares {@code LastErrorException}: a nonblocking read that finds nothing (EAGAIN) is the
 * common case on the hot path and must not allocate an exception. Callers test the return value and read
 * {@link #errno()} (JNA preserves errno per thread after every call).
 *
 * <p>Thread: any.
 */
public final class NetLibC
{
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EBADFD = 77;
    public static final int ENETDOWN = 100;
    public static final int ENOBUFS = 105;

    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int MSG_DONTWAIT = 0x40;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;
    public static final long MAP_FAILED = -1L;

    static
    {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private NetLibC()
    {
    }

    /** errno of the calling thread's last native call through JNA. */
    public static int errno()
    {
        return Native.getLastError();
    }

    public static native String strerror(int errnum);

    public static native int open(String path, int flags);

    public static native int close(int fd);

    public static native int ioctl(int fd, long request, long arg);

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    /** {@code readv(2)}: {@code iov} is the address of {@code iovcnt} {@code struct iovec} (base, length). */
    public static native long readv(int fd, long iov, int iovcnt);

    /** {@code writev(2)}: {@code iov} is the address of {@code iovcnt} {@code struct iovec} (base, length). */
    public static native long writev(int fd, long iov, int iovcnt);

    public static native int socket(int domain, int type, int protocol);

    public static native int bind(int fd, long addr, int addrLen);

    public static native int setsockopt(int fd, int level, int name, long value, int valueLen);

    public static native int getsockopt(int fd, int level, int name, long value, long valueLenAddr);

    public static native long sendto(int fd, long buf, long len, int flags, long addr, int addrLen);

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    public static native int if_nametoindex(String name);

    /** A message for a failed call: {@code what: strerror (errno)}. */
    public static String describe(final String what, final int errnum)
    {
        return what + ": " + strerror(errnum) + " (errno " + errnum + ")";
    }

    /** Network byte order for a 16-bit value. */
    public static short htons(final int v)
    {
        return (short)(((v & 0xff) << 8) | ((v >>> 8) & 0xff));
    }
}
