package jvpp.pmd.netlink;

import com.sun.jna.LastErrorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import jvpp.core.sys.LibC;
import org.agrona.LangUtil;

/**
 * Named network namespaces the iproute2 way ({@code /run/netns/<name>} bind-mounted from a namespace's
 * {@code ns/net}), without running {@code ip}, so that {@code ip netns exec <name>} and containers see them.
 *
 * <p>Linux keeps the network namespace per thread. Work that must happen inside a namespace runs on a
 * short-lived thread of its own that enters it ({@link #inside}); the namespace of a thread this class did
 * not create is never changed, the caller's included.
 *
 * <p>Thread: any. Every call is blocking and meant for the control plane.
 */
public final class NetNs
{
    /** Where iproute2 keeps named namespaces. */
    public static final String RUN_NETNS = "/run/netns";

    private static final String COMPONENT = "netns";
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private NetNs()
    {
    }

    /** The file naming namespace {@code name}. */
    public static Path path(final String name)
    {
        return Paths.get(RUN_NETNS, name);
    }

    /** Whether {@code name} is a valid namespace name: a single non-empty path element. */
    public static boolean isValidName(final String name)
    {
        return name != null && !name.isEmpty() && name.length() <= 255 && name.indexOf('/') < 0 &&
            !name.equals(".") && !name.equals("..") && name.chars().noneMatch(c -> c <= ' ');
    }

    /** Whether the namespace {@code name} exists. */
    public static boolean exists(final String name)
    {
        return isValidName(name) && Files.exists(path(name));
    }

    /**
     * Create the namespace {@code name} (EEXIST when it exists). Like {@code ip netns add}: make
     * {@code /run/netns} a shared mount point (so that namespaces made later show up in other mount
     * namespaces), create the empty file, and bind-mount a fresh network namespace onto it from a temporary
     * thread that unshared it. The new namespace has only {@code lo}, down.
     */
    public static void create(final String name)
    {
        final String op = "create " + name;
        requireValid(name, op);
        try
        {
            Files.createDirectories(Paths.get(RUN_NETNS));
        }
        catch (final java.io.IOException ex)
        {
            throw new NetlinkException(COMPONENT, op, NetlinkLibC.EIO, "mkdir " + RUN_NETNS + ": " + ex);
        }
        makeRunNetnsShared(op);
        final String file = path(name).toString();
        final int fd;
        try
        {
            fd = NetlinkLibC.open(file, NetlinkLibC.O_RDONLY | NetlinkLibC.O_CREAT | NetlinkLibC.O_EXCL |
                NetlinkLibC.O_CLOEXEC, 0);
        }
        catch (final LastErrorException ex)
        {
            throw new NetlinkException(COMPONENT, op, ex.getErrorCode());
        }
        closeQuietly(fd);
        try
        {
            onOwnThread("jvpp-netns-create", () -> {
                try
                {
                    NetlinkLibC.unshare(NetlinkLibC.CLONE_NEWNET);
                }
                catch (final LastErrorException ex)
                {
                    throw new NetlinkException(COMPONENT, op + ": unshare", ex.getErrorCode());
                }
                final String self = "/proc/self/task/" + LibC.gettid() + "/ns/net";
                try
                {
                    NetlinkLibC.mount(self, file, null, NetlinkLibC.MS_BIND, 0);
                }
                catch (final LastErrorException ex)
                {
                    throw new NetlinkException(COMPONENT, op + ": bind " + self, ex.getErrorCode());
                }
                return null;
            });
        }
        catch (final RuntimeException | Error ex)
        {
            unlinkQuietly(file);
            throw ex;
        }
    }

    /**
     * Delete the namespace {@code name} (ENOENT when absent): detach its mount and remove the file. The
     * kernel destroys the namespace, and the devices in it, once nothing else holds it (a process or an
     * open descriptor).
     */
    public static void delete(final String name)
    {
        final String op = "delete " + name;
        requireValid(name, op);
        final String file = path(name).toString();
        if (!Files.exists(path(name)))
        {
            throw new NetlinkException(COMPONENT, op, NetlinkLibC.ENOENT);
        }
        try
        {
            NetlinkLibC.umount2(file, NetlinkLibC.MNT_DETACH);
        }
        catch (final LastErrorException ignore)
        {
            // as iproute2: a file that was never mounted is still removed
        }
        try
        {
            NetlinkLibC.unlink(file);
        }
        catch (final LastErrorException ex)
        {
            throw new NetlinkException(COMPONENT, op, ex.getErrorCode());
        }
    }

    /** Open the namespace {@code name} for {@code setns} or {@code IFLA_NET_NS_FD}; {@link #close} it after. */
    public static int open(final String name)
    {
        final String op = "open " + name;
        requireValid(name, op);
        try
        {
            return NetlinkLibC.open(path(name).toString(), NetlinkLibC.O_RDONLY | NetlinkLibC.O_CLOEXEC, 0);
        }
        catch (final LastErrorException ex)
        {
            throw new NetlinkException(COMPONENT, op, ex.getErrorCode());
        }
    }

    /** Close a descriptor from {@link #open}. */
    public static void close(final int fd)
    {
        closeQuietly(fd);
    }

    /**
     * Run {@code work} inside the namespace {@code name} and return its result: on a new thread that enters
     * the namespace ({@code setns}) and ends with the work, so no thread is left in it. Sockets made by the
     * work stay in the namespace after it returns. What the work throws is rethrown unchanged (checked
     * exceptions included, unchecked-style); a missing namespace is a {@link NetlinkException} (ENOENT).
     * The caller blocks until the work is done.
     */
    public static <T> T inside(final String name, final Callable<T> work)
    {
        final int fd = open(name);
        try
        {
            return onOwnThread("jvpp-netns-" + name, () -> {
                try
                {
                    NetlinkLibC.setns(fd, NetlinkLibC.CLONE_NEWNET);
                }
                catch (final LastErrorException ex)
                {
                    throw new NetlinkException(COMPONENT, "enter " + name, ex.getErrorCode());
                }
                return work.call();
            });
        }
        finally
        {
            closeQuietly(fd);
        }
    }

    private static <T> T onOwnThread(final String threadName, final Callable<T> work)
    {
        final Object[] result = new Object[1];
        final Throwable[] failure = new Throwable[1];
        final Thread thread = new Thread(() -> {
            try
            {
                result[0] = work.call();
            }
            catch (final Throwable t)
            {
                failure[0] = t;
            }
        }, threadName + "-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true; // the work cannot be abandoned half-done: wait, then restore the flag
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null)
        {
            LangUtil.rethrowUnchecked(failure[0]);
        }
        @SuppressWarnings("unchecked")
        final T value = (T)result[0];
        return value;
    }

    /**
     * As iproute2: {@code mount --make-shared /run/netns}, and when that fails because it is not a mount
     * point yet, bind it onto itself first.
     */
    private static void makeRunNetnsShared(final String op)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                NetlinkLibC.mount("none", RUN_NETNS, "none", NetlinkLibC.MS_SHARED | NetlinkLibC.MS_REC, 0);
                return;
            }
            catch (final LastErrorException ex)
            {
                if (ex.getErrorCode() != NetlinkLibC.EINVAL || attempt > 0)
                {
                    throw new NetlinkException(COMPONENT, op + ": make " + RUN_NETNS + " shared", ex.getErrorCode());
                }
            }
            try
            {
                NetlinkLibC.mount(RUN_NETNS, RUN_NETNS, "none", NetlinkLibC.MS_BIND | NetlinkLibC.MS_REC, 0);
            }
            catch (final LastErrorException ex)
            {
                throw new NetlinkException(COMPONENT, op + ": bind " + RUN_NETNS, ex.getErrorCode());
            }
        }
    }

    private static void requireValid(final String name, final String op)
    {
        if (!isValidName(name))
        {
            throw new NetlinkException(COMPONENT, op, NetlinkLibC.EINVAL, "invalid namespace name");
        }
    }

    private static void closeQuietly(final int fd)
    {
        try
        {
            NetlinkLibC.close(fd);
        }
        catch (final LastErrorException ignore)
        {
            // nothing to do
        }
    }

    private static void unlinkQuietly(final String file)
    {
        try
        {
            NetlinkLibC.unlink(file);
        }
        catch (final LastErrorException ignore)
        {
            // nothing to do
        }
    }
}
