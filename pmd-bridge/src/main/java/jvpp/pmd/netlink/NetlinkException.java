package jvpp.pmd.netlink;

/**
 * A netlink request or a namespace operation failed with an errno. The message reads
 * {@code netlink: create veth a/b: File exists (EEXIST)}: the component, what was being done, and the
 * kernel's reason (its extended-ack text appended when it sent one). Unchecked so that it crosses
 * {@link NetNs#inside} and lambdas unchanged.
 *
 * <p>Thread: any (immutable).
 */
public final class NetlinkException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    public NetlinkException(final String component, final String operation, final int errno, final String extAck)
    {
        super(component + ": " + operation + ": " + reason(errno) + (extAck == null || extAck.isEmpty() ? "" : ": " + extAck));
        this.operation = operation;
        this.errno = errno;
    }

    public NetlinkException(final String component, final String operation, final int errno)
    {
        this(component, operation, errno, null);
    }

    /** The errno (positive), e.g. 17 for EEXIST. */
    public int errno()
    {
        return errno;
    }

    /** What was being done, e.g. {@code create veth a/b}. */
    public String operation()
    {
        return operation;
    }

    /** The message without its component prefix: {@code create veth a/b: File exists (EEXIST)}. */
    public String detail()
    {
        final String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }

    /** {@code File exists (EEXIST)}: libc's text and the symbolic name. */
    public static String reason(final int errno)
    {
        String text;
        try
        {
            text = NetlinkLibC.strerror(errno);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            text = null;
        }
        final String name = errnoName(errno);
        return (text == null ? "error " + errno : text) + (name == null ? "" : " (" + name + ")");
    }

    /** The symbolic name of the errnos a control plane meets, or null. */
    public static String errnoName(final int errno)
    {
        switch (errno)
        {
            case 1: return "EPERM";
            case 2: return "ENOENT";
            case 3: return "ESRCH";
            case 4: return "EINTR";
            case 5: return "EIO";
            case 9: return "EBADF";
            case 11: return "EAGAIN";
            case 12: return "ENOMEM";
            case 13: return "EACCES";
            case 16: return "EBUSY";
            case 17: return "EEXIST";
            case 19: return "ENODEV";
            case 20: return "ENOTDIR";
            case 22: return "EINVAL";
            case 24: return "EMFILE";
            case 28: return "ENOSPC";
            case 34: return "ERANGE";
            case 36: return "ENAMETOOLONG";
            case 93: return "EPROTONOSUPPORT";
            case 95: return "EOPNOTSUPP";
            case 97: return "EAFNOSUPPORT";
            case 98: return "EADDRINUSE";
            case 99: return "EADDRNOTAVAIL";
            case 100: return "ENETDOWN";
            case 101: return "ENETUNREACH";
            case 105: return "ENOBUFS";
            case 113: return "EHOSTUNREACH";
            default: return null;
        }
    }
}
