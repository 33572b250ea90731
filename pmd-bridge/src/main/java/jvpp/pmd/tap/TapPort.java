package jvpp.pmd.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.Interface;
import jvpp.pmd.Port;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.VirtioNetHeader;
import jvpp.pmd.sys.NetLibC;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A TAP device opened through {@code /dev/net/tun}: the kernel creates the host-side netdev (e.g.
 * {@code tap0}) when the port opens and removes it when the port closes. One nonblocking file descriptor
 * per queue ({@code IFF_MULTI_QUEUE} when there is more than one), no packet-information header, and a
 * virtio-net header in front of every frame ({@code IFF_VNET_HDR}, {@code TUNSETVNETHDRSZ} 12: VPP's tap v2):
 * see {@link VirtioNetHeader}.
 *
 * <p>Offloads ({@code TUNSETOFFLOAD}): {@link #OFFLOAD_CSUM} lets the kernel hand over frames whose L4 checksum
 * is still partial ({@code TUN_F_CSUM}); {@link #OFFLOAD_GSO} also lets it hand over TCP super-frames of up to
 * 64 KB ({@code TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN}) and UDP ones ({@code TUN_F_USO4 | TUN_F_USO6}, when the
 * kernel offers them: 6.2 and later). The kernel takes GSO frames and partial checksums written to any vnet-header
 * tap; the port's tx offers chains and checksum offload, and GSO only with {@link #OFFLOAD_GSO}
 * ({@link #txOffloads()}).
 *
 * <p>Receive: one {@code readv()} per frame into the vnet header and a chain of buffers the queue holds (its stash:
 * enough buffers for the largest frame it can get, 64 KB with GSO, a 9216-byte jumbo frame without), with a small
 * spill area behind them. The buffers the frame filled become its chain and are replaced from the cache, and only
 * their iovecs are rewritten. The stash stays with the queue between bursts, so an empty poll is one {@code readv}
 * and nothing else (it used to take and give back 33 buffers and rewrite 33 iovecs every poll); the buffers it
 * holds are counted by {@link #heldBuffers()} (the pool's holder {@code tap rx stashes}, see {@code TapPorts}) and
 * go back to the pool when the port closes. A frame longer than the stash (the kernel reports its whole length) and one whose
 * header is bad are handed on marked (1 + the {@code PortInputNode} reason in {@code pool.error}) and
 * the input node drops them whole under their reason. Transmit: one {@code writev()} per packet, the header
 * built from the buffer's offload metadata, then each buffer of its chain from native memory.
 *
 * <p>The kernel device going away (deleted with {@code ip link del}, or the fd detached) makes read and write
 * fail with {@code EBADFD}; the port then reports {@link #deviceGone()} and {@code linkUp() == false}, which
 * the input node carries into the interface's link state.
 *
 * <p>Thread: bursts on the thread that owns the queue (the per-queue rx state is that thread's; tx scratch is
 * the caller's {@link TxScratch}, one per thread); {@link #open}, {@link #close} and {@link #describe}
 * on main; counters are per-port plain fields read racily.
 */
public final class TapPort implements Port
{
    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 208, unsigned int)}: the offloads we accept from the kernel, by value. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOW('T', 216, int)}: the vnet header size, through a pointer. */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_VNET_HDR = 0x4000;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_TSO_ECN = 0x08;
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;
    static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    public static final int MAX_QUEUES = 256;
    /** {@link #open} offload: accept frames with partial checksums (TUN_F_CSUM). */
    public static final int OFFLOAD_CSUM = 1;
    /** {@link #open} offload: accept TCP super-frames of up to 64 KB (TSO4, TSO6, ECN; implies checksum). */
    public static final int OFFLOAD_GSO = 2;
    /** What {@code create tap} gives a tap unless told otherwise: see pmd-bridge/README.md for why. */
    public static final int DEFAULT_OFFLOADS = OFFLOAD_CSUM | OFFLOAD_GSO;
    /** The largest frame a GSO tap receives: a 64 KB IP datagram, its Ethernet header and two tags. */
    public static final int MAX_GSO_FRAME = 65535 + 14 + 8;
    /** The largest MTU a tap without GSO receives: the largest {@code set interface mtu} takes. */
    public static final int MAX_JUMBO_MTU = 9216;
    /** The largest frame a tap without GSO receives: {@link #MAX_JUMBO_MTU}, an Ethernet header and two tags. */
    public static final int MAX_JUMBO_FRAME = MAX_JUMBO_MTU + 14 + 8;
    /**
     * Buffers a transmitted chain may have: the kernel's UIO_MAXIOV (1024) iovecs less the header's, enough for a
     * 64 KB frame even in the smallest buffers (256 bytes); a longer chain is freed and counted as {@code tx refused}.
     */
    public static final int MAX_TX_SEGMENTS = 1023;

    private final String hostIfName;
    private final int[] fds;
    private final long mac;
    private final int offloads;
    private volatile boolean deviceGone;
    private volatile boolean closed;
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    private long rxNoBuf;
    private long txFull;
    private long txBad;
    private long ioErrors;

    private static final int IOV = 16;
    private static final int SPILL_BYTES = 64;
    private final int maxFrame;
    private final RxQueue[] rx;
    private final TxScratch txScratch = new TxScratch();

    /**
     * One queue's receive state: its stash of buffers and, in native memory, the iovecs of one read (the vnet header,
     * each stash buffer, the spill area), the header and the spill area. Thread: the poller.
     */
    private static final class RxQueue
    {
        final int[] stash;
        /** Freed by the garbage collector once the port is gone, never under a burst. */
        final Memory memory;
        final UnsafeBuffer iov;
        final int hdrAt;
        /** stash[0..have) hold buffers, their iovecs written; the rest wait for the pool (it ran short). */
        volatile int have;
        /** The pool the stash came from: where {@link TapPort#close()} gives it back. */
        BufferPool pool;

        RxQueue(final int slots)
        {
            stash = new int[slots];
            final int iovBytes = (slots + 2) * IOV;
            memory = new Memory(iovBytes + VirtioNetHeader.SIZE_V1 + 4 + SPILL_BYTES);
            iov = new UnsafeBuffer(Pointer.nativeValue(memory), (int)memory.size());
            hdrAt = iovBytes;
            iov.putLong(0, iov.addressOffset() + hdrAt);
            iov.putLong(8, VirtioNetHeader.SIZE_V1);
            final int spill = (slots + 1) * IOV;
            iov.putLong(spill, iov.addressOffset() + hdrAt + VirtioNetHeader.SIZE_V1 + 4);
            iov.putLong(spill + 8, SPILL_BYTES);
        }
    }

    /**
     * One thread's transmit scratch: the iovecs of one packet and its vnet header (tap-output keeps one per thread,
     * as several threads may share a tx queue). Thread: its owner.
     */
    public static final class TxScratch
    {
        /** Freed by the garbage collector with its owner. */
        private final Memory memory = new Memory((MAX_TX_SEGMENTS + 1) * IOV + VirtioNetHeader.SIZE_V1 + 4);
        private final UnsafeBuffer iov = new UnsafeBuffer(Pointer.nativeValue(memory), (int)memory.size());
        private final int hdrAt = (MAX_TX_SEGMENTS + 1) * IOV;

        public TxScratch()
        {
            iov.putLong(0, iov.addressOffset() + hdrAt);
            iov.putLong(8, VirtioNetHeader.SIZE_V1);
        }
    }

    private TapPort(final String hostIfName, final int[] fds, final long mac, final int offloads, final int dataSize)
    {
        this.hostIfName = hostIfName;
        this.fds = fds;
        this.mac = mac;
        this.offloads = offloads;
        this.maxFrame = (offloads & OFFLOAD_GSO) != 0 ? MAX_GSO_FRAME : MAX_JUMBO_FRAME;
        final int slots = (maxFrame + dataSize - 1) / dataSize;
        this.rx = new RxQueue[fds.length];
        for (int q = 0; q < fds.length; q++)
        {
            rx[q] = new RxQueue(slots);
        }
    }

    /** {@link #open(String, int, long, int, int)} with the default offloads, for buffers of 2048 data bytes. */
    public static TapPort open(final String hostIfName, final int queues, final long mac)
    {
        return open(hostIfName, queues, mac, DEFAULT_OFFLOADS, 2048);
    }

    /**
     * Create the host tap {@code hostIfName} with {@code queues} queues; jvpp's side of it has MAC {@code mac}, accepts
     * {@code offloads} ({@link #OFFLOAD_CSUM}, {@link #OFFLOAD_GSO}) and receives into buffers of {@code dataSize}
     * bytes. Nothing is left behind when it fails.
     *
     * @throws IllegalArgumentException for a bad name or queue count
     * @throws IllegalStateException    when the kernel refuses (no /dev/net/tun, name taken by another kind of
     *                                  device, a tap of that name already attached, not permitted)
     */
    public static TapPort open(final String hostIfName, final int queues, final long mac, final int offloads,
        final int dataSize)
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
            final short flags = (short)(IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (queues > 1 ? IFF_MULTI_QUEUE : 0));
            final long tunOffloads = (offloads & OFFLOAD_GSO) != 0 ? TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN
                : (offloads & OFFLOAD_CSUM) != 0 ? TUN_F_CSUM : 0;
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
                ifr.setInt(0, VirtioNetHeader.SIZE_V1);
                if (NetLibC.ioctl(fd, TUNSETVNETHDRSZ, com.sun.jna.Pointer.nativeValue(ifr)) < 0)
                {
                    opened++;
                    throw new IllegalStateException(NetLibC.describe("TUNSETVNETHDRSZ " + hostIfName, NetLibC.errno()));
                }
                // USO where the kernel has it (6.2+); an older one refuses the bits it does not know (EINVAL).
                final long uso = (offloads & OFFLOAD_GSO) != 0 ? TUN_F_USO4 | TUN_F_USO6 : 0;
                if (NetLibC.ioctl(fd, TUNSETOFFLOAD, tunOffloads | uso) < 0
                    && (uso == 0 || NetLibC.ioctl(fd, TUNSETOFFLOAD, tunOffloads) < 0))
                {
                    opened++;
                    throw new IllegalStateException(NetLibC.describe("TUNSETOFFLOAD " + hostIfName, NetLibC.errno()));
                }
            }
            return new TapPort(hostIfName, fds, mac, offloads, dataSize);
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

    /** What the tap receives: a 64 KB datagram with GSO ({@link #MAX_GSO_FRAME}), {@link #MAX_JUMBO_MTU} without. */
    @Override
    public int maxMtu()
    {
        return (offloads & OFFLOAD_GSO) != 0 ? Interface.MAX_MTU : MAX_JUMBO_MTU;
    }

    /** The offloads this tap accepts from the kernel ({@link #OFFLOAD_CSUM}, {@link #OFFLOAD_GSO}). */
    public int offloads()
    {
        return offloads;
    }

    /** The longest frame this tap receives (its stash of buffers covers it). */
    public int maxFrame()
    {
        return maxFrame;
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

    /** The queue's tun fd: readable when the kernel queued a frame for jvpp. */
    @Override
    public int rxFd(final int queue)
    {
        return fds[queue];
    }

    @Override
    public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        if (deviceGone || closed)
        {
            return 0;
        }
        final int fd = fds[queue];
        final RxQueue q = rx[queue];
        final BufferPool pool = cache.pool();
        final int dataSize = pool.arena().dataSize();
        final int[] stash = q.stash;
        final int slots = stash.length;
        final UnsafeBuffer iov = q.iov;
        final long base = pool.arena().address();
        final int[] start = pool.start;
        final int[] length = pool.length;
        if (q.have < slots && !fill(q, cache, base, dataSize))
        {
            // Too few for the largest frame: take nothing rather than cut one short (the stash keeps what it has).
            rxNoBuf++;
            return 0;
        }
        final long iovAddress = iov.addressOffset();
        int n = 0;
        long bytes = 0;
        while (n < max)
        {
            final long r = NetLibC.readv(fd, iovAddress, slots + 2);
            if (r <= VirtioNetHeader.SIZE_V1)
            {
                if (r < 0)
                {
                    ioError(NetLibC.errno());
                }
                break;
            }
            final int frame = (int)(r - VirtioNetHeader.SIZE_V1);
            final int used = Math.min(slots, (frame + dataSize - 1) / dataSize);
            final int head = stash[0];
            length[head] = Math.min(frame, dataSize);
            int tail = head;
            for (int i = 1; i < used; i++)
            {
                final int bi = stash[i];
                length[bi] = Math.min(frame - i * dataSize, dataSize);
                pool.append(head, tail, bi);
                tail = bi;
            }
            if (frame > slots * dataSize)
            {
                pool.error[head] = 1 + PortInputNode.ERROR_CHAIN_TOO_LONG;
            }
            else
            {
                pool.error[head] = VirtioNetHeader.read(iov, q.hdrAt, pool, head, frame);
            }
            bytes += frame;
            bufs[offset + n++] = head;
            // The frame took the first `used' buffers of the stash: put fresh ones in their slots.
            final int fresh = cache.alloc(stash, 0, used);
            for (int i = 0; i < fresh; i++)
            {
                iov.putLong((i + 1) * IOV, base + start[stash[i]]);
            }
            if (fresh < used)
            {
                // The pool ran short: close the gap (the next burst tops the stash up) and stop here.
                System.arraycopy(stash, used, stash, fresh, slots - used);
                q.have = fresh + slots - used;
                writeIovecs(q, fresh, q.have, base, start, dataSize);
                rxNoBuf++;
                break;
            }
        }
        rxPackets += n;
        rxBytes += bytes;
        return n;
    }

    /** Top the stash of {@code q} up from {@code cache}; whether it is full (no buffer is given back either way). */
    private static boolean fill(final RxQueue q, final BufferCache cache, final long base, final int dataSize)
    {
        final int[] stash = q.stash;
        final int have = q.have;
        final int got = cache.alloc(stash, have, stash.length - have);
        q.pool = cache.pool();
        writeIovecs(q, have, have + got, base, cache.pool().start, dataSize);
        q.have = have + got;
        return q.have == stash.length;
    }

    /** The iovecs of stash slots [from, to): each buffer's data area. */
    private static void writeIovecs(final RxQueue q, final int from, final int to, final long base, final int[] start,
        final int dataSize)
    {
        for (int i = from; i < to; i++)
        {
            q.iov.putLong((i + 1) * IOV, base + start[q.stash[i]]);
            q.iov.putLong((i + 1) * IOV + 8, dataSize);
        }
    }

    /** Buffers the rx stashes hold (taken from the pool, free for no one else until the port closes). Racy read. */
    public int heldBuffers()
    {
        int n = 0;
        for (final RxQueue q : rx)
        {
            n += q.have;
        }
        return n;
    }

    /** Transmit through the port's own scratch: for a single caller (tests); tap-output passes its thread's. */
    @Override
    public synchronized int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset,
        final int n)
    {
        return txBurst(queue, cache, bufs, offset, n, txScratch);
    }

    /**
     * Transmit {@code n} packets from {@code bufs[offset..]} on {@code queue}, one {@code writev} each (vnet header,
     * then every buffer of the chain), using the calling thread's {@code scratch}; returns how many the port took
     * (sent, or dropped as malformed: a chain of more than {@link #MAX_TX_SEGMENTS} buffers, a frame the kernel
     * rejects); the rest the caller drops.
     */
    public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n,
        final TxScratch scratch)
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
        final int[] flags = pool.flags;
        final int[] next = pool.nextBuffer;
        final UnsafeBuffer iov = scratch.iov;
        final long iovAddress = iov.addressOffset();
        int sent = 0;
        long bytes = 0;
        while (sent < n)
        {
            final int head = bufs[offset + sent];
            VirtioNetHeader.write(iov, scratch.hdrAt, pool, head, VirtioNetHeader.SIZE_V1);
            int segments = 0;
            int b = head;
            long frame = 0;
            while (true)
            {
                if (segments == MAX_TX_SEGMENTS)
                {
                    segments = -1;
                    break;
                }
                segments++;
                iov.putLong(segments * IOV, base + start[b]);
                iov.putLong(segments * IOV + 8, length[b]);
                frame += length[b];
                if ((flags[b] & BufferPool.FLAG_NEXT_PRESENT) == 0)
                {
                    break;
                }
                b = next[b];
            }
            if (segments < 0)
            {
                txBad++;
                cache.free(head);
                sent++;
                continue;
            }
            final long w = NetLibC.writev(fd, iovAddress, segments + 1);
            if (w < 0)
            {
                final int err = NetLibC.errno();
                if (err == NetLibC.EAGAIN)
                {
                    txFull++;
                    break;
                }
                if (err == NetLibC.EINVAL)
                {
                    // The kernel refused this frame's header (a GSO frame it cannot take): this packet only.
                    txBad++;
                    cache.free(head);
                    sent++;
                    continue;
                }
                ioError(err);
                break;
            }
            bytes += frame;
            cache.free(head);
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

    /**
     * Chains and partial checksums (the kernel takes both from a vnet-header tap), and GSO frames when the tap has
     * {@code gso}: a {@code no-gso} tap has none either way, as VPP's, so jvpp's gso node segments what goes to it.
     */
    @Override
    public int txOffloads()
    {
        return Interface.TX_CHAINS | Interface.TX_CSUM | ((offloads & OFFLOAD_GSO) != 0 ? Interface.TX_GSO : 0);
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
        out.append("  rx offloads ").append((offloads & OFFLOAD_GSO) != 0 ? "gso csum-offload"
            : (offloads & OFFLOAD_CSUM) != 0 ? "csum-offload" : "none").append(", max frame ").append(maxFrame)
            .append(", tx offloads gso csum-offload\n");
        out.append("  rx ").append(rxPackets).append(" packets ").append(rxBytes).append(" bytes, tx ")
            .append(txPackets).append(" packets ").append(txBytes).append(" bytes\n");
        if (verbose || rxNoBuf != 0 || txFull != 0 || txBad != 0 || ioErrors != 0)
        {
            out.append("  rx no buffer ").append(rxNoBuf).append(", tx would block ").append(txFull)
                .append(", tx refused ").append(txBad).append(", io errors ").append(ioErrors).append('\n');
        }
    }

    /**
     * Close every queue's fd (the kernel removes the tap device) and give the rx stashes back to their pool. Idempotent.
     * Thread: main, once no thread polls the port.
     */
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
        // No thread polls the queues any more (the caller unplaced them first): their stashes go back.
        for (final RxQueue q : rx)
        {
            if (q.have > 0)
            {
                final BufferCache cache = q.pool.newCache("tap close");
                cache.free(q.stash, 0, q.have);
                q.have = 0;
                cache.close();
            }
        }
    }
}
