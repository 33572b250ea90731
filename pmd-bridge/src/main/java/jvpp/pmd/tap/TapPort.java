package jvpp.pmd.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.pmd.Port;
import jvpp.pmd.sys.NetLibC;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A TAP device opened through {@code /dev/net/tun}: the kernel creates the host-side netdev (e.g.
 * {@code tap0}) when the port opens and removes it when the port closes. One nonblocking file descriptor
 * per queue ({@code IFF_MULTI_QUEUE} when there is more than one), no packet-information header.
 *
 * <p>Receive reads straight into jvpp buffers ({@code readv()} into the buffer's native data address, with a
 * small spill area behind it), one system call per packet and one more that finds the queue empty. A frame
 * longer than a buffer spills: the port reports its length as read, more than the buffer holds, and the
 * input node drops it as {@code frame larger than a buffer} (a plain {@code read()} would hand over the
 * first buffer's worth as if it were the whole frame); transmit writes each buffer's bytes from
 * native memory. There is no ring in between, so the port owns no buffer between bursts.
 *
 * <p>The kernel device going away (deleted with {@code ip link del}, or the fd detached) makes read and write
 * fail with {@code EBADFD}; the port then reports {@link #deviceGone()} and {@code linkUp() == false}, which
 * the input node carries into the interface's link state.
 *
 * <p>Thread: bursts on the thread that owns the queue; {@link #open}, {@link #close} and {@link #describe}
 * on main; counters are per-port plain fields read racily.
 */
public final class TapPort implements Port
{
    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    public static final int MAX_QUEUES = 256;

    private final String hostIfName;
    private final int[] fds;
    private final long mac;
    private volatile boolean deviceGone;
    private volatile boolean closed;
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    private long rxNoBuf;
    private long txFull;
    private long ioErrors;

    /** Per queue: two {@code struct iovec} (the buffer, then the spill area) and the spill area itself. */
    private static final int IOV_BYTES = 32;
    private static final int SPILL_BYTES = 64;
    /** Freed by the garbage collector once the port is gone, never under a burst. */
    private final Memory iovMemory;
    private final UnsafeBuffer iovs;

    private TapPort(final String hostIfName, final int[] fds, final long mac)
    {
        this.iovMemory = new Memory((long)fds.length * (IOV_BYTES + SPILL_BYTES));
        this.iovs = new UnsafeBuffer(Pointer.nativeValue(iovMemory), (int)iovMemory.size());
        for (int q = 0; q < fds.length; q++)
        {
            final int off = q * (IOV_BYTES + SPILL_BYTES);
            iovs.putLong(off + 16, iovs.addressOffset() + off + IOV_BYTES);
            iovs.putLong(off + 24, SPILL_BYTES);
        }
        this.hostIfName = hostIfName;
        this.fds = fds;
        this.mac = mac;
    }

    /**
     * Create the host tap {@code hostIfName} with {@code queues} queues; jvpp's side of it has MAC {@code mac}.
     * Nothing is left behind when it fails.
     *
     * @throws IllegalArgumentException for a bad name or queue count
     * @throws IllegalStateException    when the kernel refuses (no /dev/net/tun, name taken by another kind of
     *                                  device, a tap of that name already attached, not permitted)
     */
    public static TapPort open(final String hostIfName, final int queues, final long mac)
    {
        if (hostIfName == null || hostIfName.isEmpty() || hostIfName.length() >= IFNAMSIZ
            || hostIfName.indexOf('/') >= 0 || hostIfName.indexOf(' ') >= 0)
        {
            throw new IllegalArgumentException("invalid host interface name `" + hostIfName + "'");
        }
        if (queues < 1 || queues > MAX_QUEUES)
        {
            throw new IllegalArgumentException("queue count must be between 1 and " + MAX_QUEUES + ": " + queues);
        }
        final int[] fds = new int[queues];
        int opened = 0;
        try (Memory ifr = new Memory(IFREQ_SIZE))
        {
            final short flags = (short)(IFF_TAP | IFF_NO_PI | (queues > 1 ? IFF_MULTI_QUEUE : 0));
            for (; opened < queues; opened++)
            {
                final int fd = NetLibC.open("/dev/net/tun", NetLibC.O_RDWR | NetLibC.O_NONBLOCK | NetLibC.O_CLOEXEC);
                if (fd < 0)
                {
                    throw new IllegalStateException(NetLibC.describe("open /dev/net/tun", NetLibC.errno()));
                }
                fds[opened] = fd;
                ifr.clear();
                final byte[] name = hostIfName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                ifr.write(0, name, 0, name.length);
                ifr.setShort(IFNAMSIZ, flags);
                if (NetLibC.ioctl(fd, TUNSETIFF, com.sun.jna.Pointer.nativeValue(ifr)) < 0)
                {
                    final int err = NetLibC.errno();
                    opened++;
                    throw new IllegalStateException(NetLibC.describe("TUNSETIFF " + hostIfName, err));
                }
            }
            return new TapPort(hostIfName, fds, mac);
        }
        catch (final RuntimeException ex)
        {
            for (int i = 0; i < opened; i++)
            {
                NetLibC.close(fds[i]);
            }
            throw ex;
        }
    }

    /** The kernel netdev's name. */
    public String hostIfName()
    {
        return hostIfName;
    }

    /** True once the kernel device behind the port has gone (read or write saw EBADFD). Thread: any. */
    public boolean deviceGone()
    {
        return deviceGone;
    }

    /** The link monitor's say: the host device was removed (e.g. netlink RTM_DELLINK). Thread: any. */
    public void markDeviceGone()
    {
        deviceGone = true;
    }

    @Override
    public String driverName()
    {
        return "tap";
    }

    @Override
    public int rxQueues()
    {
        return fds.length;
    }

    @Override
    public int txQueues()
    {
        return fds.length;
    }

    @Override
    public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        if (deviceGone || closed)
        {
            return 0;
        }
        final int fd = fds[queue];
        final BufferPool pool = cache.pool();
        final long base = pool.arena().address();
        final long capacity = pool.arena().dataSize();
        final int[] start = pool.start;
        final int[] length = pool.length;
        final int off = queue * (IOV_BYTES + SPILL_BYTES);
        final long iov = iovs.addressOffset() + off;
        iovs.putLong(off + 8, capacity);
        int n = 0;
        long bytes = 0;
        while (n < max)
        {
            final int bi = cache.alloc();
            if (bi < 0)
            {
                rxNoBuf++;
                break;
            }
            iovs.putLong(off, base + start[bi]);
            final long r = NetLibC.readv(fd, iov, 2);
            if (r <= 0)
            {
                cache.free(bi);
                if (r < 0)
                {
                    ioError(NetLibC.errno());
                }
                break;
            }
            length[bi] = (int)r;
            bytes += r;
            bufs[offset + n++] = bi;
        }
        rxPackets += n;
        rxBytes += bytes;
        return n;
    }

    @Override
    public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        if (deviceGone || closed)
        {
            return 0;
        }
        final int fd = fds[queue];
        final BufferPool pool = cache.pool();
        final long base = pool.arena().address();
        final int[] start = pool.start;
        final int[] length = pool.length;
        int sent = 0;
        long bytes = 0;
        while (sent < n)
        {
            final int bi = bufs[offset + sent];
            final long w = NetLibC.write(fd, base + start[bi], length[bi]);
            if (w < 0)
            {
                final int err = NetLibC.errno();
                if (err == NetLibC.EAGAIN)
                {
                    txFull++;
                }
                else
                {
                    ioError(err);
                }
                break;
            }
            bytes += length[bi];
            cache.free(bi);
            sent++;
        }
        txPackets += sent;
        txBytes += bytes;
        return sent;
    }

    private void ioError(final int err)
    {
        if (err == NetLibC.EAGAIN || err == NetLibC.EINTR)
        {
            return;
        }
        ioErrors++;
        if (err == NetLibC.EBADFD || err == NetLibC.ENODEV || err == NetLibC.ENXIO)
        {
            deviceGone = true;
        }
    }

    @Override
    public boolean linkUp()
    {
        return !deviceGone;
    }

    @Override
    public long mac()
    {
        return mac;
    }

    @Override
    public void describe(final StringBuilder out, final boolean verbose)
    {
        out.append("  host-if-name ").append(hostIfName).append(", ").append(fds.length)
            .append(fds.length == 1 ? " queue" : " queues").append(deviceGone ? ", device gone" : "").append('\n');
        out.append("  rx ").append(rxPackets).append(" packets ").append(rxBytes).append(" bytes, tx ")
            .append(txPackets).append(" packets ").append(txBytes).append(" bytes\n");
        if (verbose || rxNoBuf != 0 || txFull != 0 || ioErrors != 0)
        {
            out.append("  rx no buffer ").append(rxNoBuf).append(", tx would block ").append(txFull)
                .append(", io errors ").append(ioErrors).append('\n');
        }
    }

    /** Close every queue's fd; the kernel removes the tap device. Idempotent. Thread: main. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final int fd : fds)
        {
            NetLibC.close(fd);
        }
    }
}
