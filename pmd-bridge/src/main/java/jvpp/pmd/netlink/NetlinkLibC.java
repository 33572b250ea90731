package jvpp.pmd.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls the netlink client and the namespace helpers need, JNA direct-mapped as core's
 * {@code LibC} is: pointers are native addresses ({@code long}), paths are Strings. Each call that can
 * fail throws {@link LastErrorException} carrying errno; callers turn it into a {@link NetlinkException}.
 *
 * <p>Thread: any. {@link #unshare} and {@link #setns} change the namespace of the calling thread only.
 */
final class NetlinkLibC
{
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;

    static final int CLONE_NEWNET = 0x40000000;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_SHARED = 1 << 20;
    static final int MNT_DETACH = 2;
    static final int O_RDONLY = 0;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOBUFS = 105;

    static
    {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private NetlinkLibC()
    {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, long addr, int addrLen) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, long value, int valueLen) throws LastErrorException;

    static native long send(int fd, long buf, long len, int flags) throws LastErrorException;

    static native long recv(int fd, long buf, long len, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int unshare(int flags) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int mount(String source, String target, String fsType, long flags, long data)
        throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;

    static native int unlink(String path) throws LastErrorException;

    static native String strerror(int errnum);
}
