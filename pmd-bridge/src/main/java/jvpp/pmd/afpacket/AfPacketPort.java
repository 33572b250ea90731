package jvpp.pmd.afpacket;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.core.buffer.BufferCache;
import jvpp.core.iface.Interface;
import jvpp.pmd.Port;
import jvpp.pmd.sys.NetLibC;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * VPP's host-interface: an AF_PACKET attachment to an existing kernel interface (typically a veth end),
 * one {@code SOCK_RAW} socket per queue, each with a memory-mapped TPACKET_V2 receive ring and transmit ring
 * ({@link TpacketRing}). With more than one queue the sockets join one {@code PACKET_FANOUT_HASH} group, so
 * the kernel spreads flows over them.
 *
 * <p>Receive walks the ring and copies frames into jvpp buffers with no system call at all; transmit copies
 * buffers into TX frames and kicks the kernel with one {@code sendto(MSG_DONTWAIT)} per burst. Sockets use
 * {@code PACKET_QDISC_BYPASS} (jvpp's frames skip the qdisc and the other taps; {@code qdisc-bypass-disable} turns it
 * off), {@code PACKET_IGNORE_OUTGOING} (the ring does not echo what the host sends), {@code PACKET_LOSS} (a malformed
 * TX frame is skipped instead of stalling the ring) and {@code PACKET_MR_PROMISC} membership (frames for jvpp's own
 * MAC reach it on a real NIC; dropped automatically with the socket).
 *
 * <p>Offloads (VPP's {@code cksum-gso}, on unless {@code cksum-gso-disable}): the sockets have
 * {@code PACKET_VNET_HDR}, so a veth's TSO super-frames and partial checksums arrive as one packet with the GSO and
 * checksum metadata of its virtio-net header, and leave the same way ({@link #txOffloads()}). Frames longer than a
 * ring frame: {@code PACKET_COPY_THRESH} makes the kernel queue them whole on the socket, read by one {@code readv}
 * into a buffer chain; on transmit one {@code writev} of a second socket per super-frame (a socket with a TX ring
 * sends only from its ring), bound to the same device with protocol 0 so it receives nothing. Why this and not
 * TPACKET_V3 or 64 KB ring frames is in pmd-bridge/README.md.
 *
 * <p>Buffers: the rings are the kernel's memory; no jvpp buffer is held by the port between bursts. Kernel
 * drops (ring overflow) are read with {@code PACKET_STATISTICS} (which resets on read, so the port
 * accumulates) and shown by {@link #describe}.
 *
 * <p>Thread: bursts on the thread that owns the queue; {@link #open}, {@link #describe}, {@link #close} on main.
 */
public final class AfPacketPort implements Port
{
    public static final int DEFAULT_FRAME_SIZE = 2048;
    public static final int DEFAULT_FRAME_COUNT = 4096;
    public static final int MAX_QUEUES = 64;

    static final int ETH_P_ALL = 0x0003;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_LOSS = 14;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_COPY_THRESH = 7;
    static final int PACKET_VNET_HDR = 15;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    /** Socket buffers for frames queued whole (rx) and written whole (tx): some 60 GSO super-frames each way. */
    static final int SOCKET_BUFFER_BYTES = 8 << 20;
    private static final int SOCK_NONBLOCK = 0x800;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1;
    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;
    static final int PACKET_MR_PROMISC = 1;
    private static final int PAGE_SIZE = 4096;
    private static final int BLOCK_SIZE = 1 << 16;

    private final String hostIfName;
    private final int ifIndex;
    private final long mac;
    private final int frameSize;
    private final int frameCount;
    private final boolean offloads;
    private final boolean qdiscBypass;
    private final Queue[] queues;
    private final Memory stats = new Memory(8);
    private final Memory statsLen = new Memory(4);
    private long kernelPackets;
    private long kernelDrops;
    private long kickErrors;
    private volatile boolean deviceGone;
    private volatile boolean closed;

    /**
     * One socket and its two rings, and the socket that writes frames longer than a TX frame. It is the rings'
     * {@link TpacketRing.Socket}; its port is set once the port exists (before any burst).
     */
    private static final class Queue implements TpacketRing.Socket
    {
        int fd = -1;
        int txFd = -1;
        long mapAddress;
        long mapLength;
        TpacketRing rx;
        TpacketRing tx;
        AfPacketPort port;

        @Override
        public long readv(final long iov, final int count)
        {
            final long r = NetLibC.readv(fd, iov, count);
            return r < 0 ? -NetLibC.errno() : r;
        }

        @Override
        public long writev(final long iov, final int count)
        {
            final long r = NetLibC.writev(txFd, iov, count);
            if (r >= 0)
            {
                return r;
            }
            final int err = NetLibC.errno();
            if (err == NetLibC.ENXIO || err == NetLibC.ENODEV)
            {
                port.deviceGone = true;
            }
            return -err;
        }

        @Override
        public void kick()
        {
            port.kick(this);
        }
    }

    private AfPacketPort(final String hostIfName, final int ifIndex, final long mac, final int frameSize,
        final int frameCount, final boolean offloads, final boolean qdiscBypass, final Queue[] queues)
    {
        this.hostIfName = hostIfName;
        this.ifIndex = ifIndex;
        this.mac = mac;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.offloads = offloads;
        this.qdiscBypass = qdiscBypass;
        this.queues = queues;
        for (final Queue q : queues)
        {
            q.port = this;
        }
    }

    /** The kernel's index of {@code name}, or 0 when there is no such interface. */
    public static int ifIndex(final String name)
    {
        if (name == null || name.isEmpty() || name.length() >= 16)
        {
            return 0;
        }
        return NetLibC.if_nametoindex(name);
    }

    /**
     * Attach to {@code hostIfName} with {@code queues} queues, the default rings (4096 x 2048 B each way), offloads and
     * qdisc bypass.
     */
    public static AfPacketPort open(final String hostIfName, final int queues, final long mac)
    {
        return open(hostIfName, queues, mac, DEFAULT_FRAME_COUNT, DEFAULT_FRAME_SIZE);
    }

    /** {@link #open(String, int, long, int, int, boolean, boolean)} with offloads and qdisc bypass. */
    public static AfPacketPort open(final String hostIfName, final int queues, final long mac, final int frameCount,
        final int frameSize)
    {
        return open(hostIfName, queues, mac, frameCount, frameSize, true, true);
    }

    /**
     * Attach to kernel interface {@code hostIfName}. Nothing is left behind when it fails.
     *
     * @param frameCount  frames per ring (each queue has an RX and a TX ring), a power of two
     * @param frameSize   bytes per frame including the 32-byte header, a power of two from 256 to 65536
     * @param offloads    virtio-net headers on the sockets: GSO super-frames and partial checksums both ways
     * @param qdiscBypass {@code PACKET_QDISC_BYPASS}: transmit straight to the device, past its qdisc
     * @throws IllegalArgumentException no such interface, or bad sizes
     * @throws IllegalStateException    the kernel refused (not root, out of memory)
     */
    public static AfPacketPort open(final String hostIfName, final int queues, final long mac, final int frameCount,
        final int frameSize, final boolean offloads, final boolean qdiscBypass)
    {
        if (queues < 1 || queues > MAX_QUEUES)
        {
            throw new IllegalArgumentException("queue count must be between 1 and " + MAX_QUEUES + ": " + queues);
        }
        if (Integer.bitCount(frameSize) != 1 || frameSize < 256 || frameSize > 65536)
        {
            throw new IllegalArgumentException("frame size must be a power of two from 256 to 65536: " + frameSize);
        }
        final int blockSize = Math.max(BLOCK_SIZE, frameSize);
        final int framesPerBlock = blockSize / frameSize;
        if (Integer.bitCount(frameCount) != 1 || frameCount < framesPerBlock)
        {
            throw new IllegalArgumentException(
                "frame count must be a power of two of at least " + framesPerBlock + ": " + frameCount);
        }
        final int ifIndex = ifIndex(hostIfName);
        if (ifIndex <= 0)
        {
            throw new IllegalArgumentException("no such interface `" + hostIfName + "'");
        }
        final Queue[] qs = new Queue[queues];
        final int fanoutGroup = (ifIndex * 31 + (int)(System.nanoTime() & 0x7fff)) & 0xffff;
        try (Memory opt = new Memory(32))
        {
            for (int q = 0; q < queues; q++)
            {
                qs[q] = openQueue(hostIfName, ifIndex, frameSize, frameCount, blockSize, offloads, qdiscBypass, opt);
                if (queues > 1)
                {
                    opt.setInt(0, fanoutGroup | ((PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16));
                    sockopt(qs[q].fd, PACKET_FANOUT, opt, 4, "PACKET_FANOUT");
                }
            }
            return new AfPacketPort(hostIfName, ifIndex, mac, frameSize, frameCount, offloads, qdiscBypass, qs);
        }
        catch (final RuntimeException ex)
        {
            for (final Queue q : qs)
            {
                release(q);
            }
            throw ex;
        }
    }

    private static Queue openQueue(final String name, final int ifIndex, final int frameSize, final int frameCount,
        final int blockSize, final boolean offloads, final boolean qdiscBypass, final Memory opt)
    {
        final Queue q = new Queue();
        // Protocol 0: nothing is queued until bind() names the interface and ETH_P_ALL. Nonblocking: a read of a
        // frame queued whole never waits.
        q.fd = packetSocket(name);
        try
        {
            opt.setInt(0, TPACKET_V2);
            sockopt(q.fd, PACKET_VERSION, opt, 4, "PACKET_VERSION");
            opt.setInt(0, 1);
            if (offloads)
            {
                // Before the rings: the kernel refuses it on a socket that has them.
                sockopt(q.fd, PACKET_VNET_HDR, opt, 4, "PACKET_VNET_HDR");
            }
            if (qdiscBypass)
            {
                sockopt(q.fd, PACKET_QDISC_BYPASS, opt, 4, "PACKET_QDISC_BYPASS");
            }
            sockopt(q.fd, PACKET_LOSS, opt, 4, "PACKET_LOSS");
            sockopt(q.fd, PACKET_IGNORE_OUTGOING, opt, 4, "PACKET_IGNORE_OUTGOING");
            sockopt(q.fd, PACKET_COPY_THRESH, opt, 4, "PACKET_COPY_THRESH");
            bufferSize(q.fd, SO_RCVBUFFORCE, SO_RCVBUF, opt);
            opt.setInt(0, blockSize);
            opt.setInt(4, frameCount / (blockSize / frameSize));
            opt.setInt(8, frameSize);
            opt.setInt(12, frameCount);
            sockopt(q.fd, PACKET_RX_RING, opt, 16, "PACKET_RX_RING");
            sockopt(q.fd, PACKET_TX_RING, opt, 16, "PACKET_TX_RING");
            final long ringBytes = (long)frameSize * frameCount;
            q.mapLength = ringBytes * 2;
            final long addr = NetLibC.mmap(0, q.mapLength, NetLibC.PROT_READ | NetLibC.PROT_WRITE,
                NetLibC.MAP_SHARED | NetLibC.MAP_POPULATE, q.fd, 0);
            if (addr == NetLibC.MAP_FAILED)
            {
                throw new IllegalStateException(NetLibC.describe("mmap packet rings of " + name, NetLibC.errno()));
            }
            q.mapAddress = addr;
            q.rx = new TpacketRing(new UnsafeBuffer(addr, (int)ringBytes), frameSize, frameCount, offloads, q);
            q.tx = new TpacketRing(new UnsafeBuffer(addr + ringBytes, (int)ringBytes), frameSize, frameCount, offloads,
                q);

            opt.clear(20);
            opt.setShort(0, (short)NetLibC.AF_PACKET);
            opt.setShort(2, NetLibC.htons(ETH_P_ALL));
            opt.setInt(4, ifIndex);
            if (NetLibC.bind(q.fd, Pointer.nativeValue(opt), TpacketRing.SOCKADDR_LL_SIZE) < 0)
            {
                throw new IllegalStateException(NetLibC.describe("bind to " + name, NetLibC.errno()));
            }
            opt.clear(16);
            opt.setInt(0, ifIndex);
            opt.setShort(4, (short)PACKET_MR_PROMISC);
            sockopt(q.fd, PACKET_ADD_MEMBERSHIP, opt, 16, "PACKET_ADD_MEMBERSHIP");
            q.txFd = packetSocket(name);
            opt.setInt(0, 1);
            if (offloads)
            {
                sockopt(q.txFd, PACKET_VNET_HDR, opt, 4, "PACKET_VNET_HDR");
            }
            if (qdiscBypass)
            {
                sockopt(q.txFd, PACKET_QDISC_BYPASS, opt, 4, "PACKET_QDISC_BYPASS");
            }
            bufferSize(q.txFd, SO_SNDBUFFORCE, SO_SNDBUF, opt);
            // Protocol 0: bound to the device for sending, it takes no frame in.
            opt.clear(20);
            opt.setShort(0, (short)NetLibC.AF_PACKET);
            opt.setInt(4, ifIndex);
            if (NetLibC.bind(q.txFd, Pointer.nativeValue(opt), TpacketRing.SOCKADDR_LL_SIZE) < 0)
            {
                throw new IllegalStateException(NetLibC.describe("bind to " + name, NetLibC.errno()));
            }
            return q;
        }
        catch (final RuntimeException ex)
        {
            release(q);
            throw ex;
        }
    }

    private static int packetSocket(final String name)
    {
        final int fd = NetLibC.socket(NetLibC.AF_PACKET, NetLibC.SOCK_RAW | NetLibC.SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
        {
            throw new IllegalStateException(NetLibC.describe("socket(AF_PACKET) for " + name, NetLibC.errno()));
        }
        return fd;
    }

    /** {@link #SOCKET_BUFFER_BYTES} of socket buffer: past {@code net.core.[rw]mem_max} when allowed (root). */
    private static void bufferSize(final int fd, final int force, final int plain, final Memory opt)
    {
        opt.setInt(0, SOCKET_BUFFER_BYTES);
        if (NetLibC.setsockopt(fd, SOL_SOCKET, force, Pointer.nativeValue(opt), 4) < 0)
        {
            NetLibC.setsockopt(fd, SOL_SOCKET, plain, Pointer.nativeValue(opt), 4);
        }
    }

    private static void sockopt(final int fd, final int name, final Memory value, final int len, final String what)
    {
        if (NetLibC.setsockopt(fd, SOL_PACKET, name, Pointer.nativeValue(value), len) < 0)
        {
            throw new IllegalStateException(NetLibC.describe("setsockopt " + what, NetLibC.errno()));
        }
    }

    private static void release(final Queue q)
    {
        if (q == null)
        {
            return;
        }
        if (q.mapAddress != 0)
        {
            NetLibC.munmap(q.mapAddress, q.mapLength);
            q.mapAddress = 0;
        }
        if (q.fd >= 0)
        {
            NetLibC.close(q.fd);
            q.fd = -1;
        }
        if (q.txFd >= 0)
        {
            NetLibC.close(q.txFd);
            q.txFd = -1;
        }
    }

    public String hostIfName()
    {
        return hostIfName;
    }

    public int hostIfIndex()
    {
        return ifIndex;
    }

    /** The RX ring of {@code queue} (tests, {@code show}). */
    public TpacketRing rxRing(final int queue)
    {
        return queues[queue].rx;
    }

    /** The TX ring of {@code queue}. */
    public TpacketRing txRing(final int queue)
    {
        return queues[queue].tx;
    }

    /** True once a transmit kick found the kernel interface gone (ENXIO / ENODEV). Thread: any. */
    public boolean deviceGone()
    {
        return deviceGone;
    }

    /** The link monitor's say: the kernel interface was removed. Thread: any. */
    public void markDeviceGone()
    {
        deviceGone = true;
    }

    @Override
    public String driverName()
    {
        return "af_packet";
    }

    @Override
    public int rxQueues()
    {
        return queues.length;
    }

    @Override
    public int txQueues()
    {
        return queues.length;
    }

    /** The queue's socket: readable (POLLIN) when the kernel put a frame in its RX ring. */
    @Override
    public int rxFd(final int queue)
    {
        return queues[queue].fd;
    }

    @Override
    public int rxBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        if (closed)
        {
            return 0;
        }
        return queues[queue].rx.receive(cache, bufs, offset, max);
    }

    @Override
    public int txBurst(final int queue, final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        if (closed || deviceGone)
        {
            return 0;
        }
        return queues[queue].tx.transmit(cache, bufs, offset, n);
    }

    /** Tell the kernel to send every frame marked SEND_REQUEST; one system call per burst. */
    private void kick(final Queue q)
    {
        if (NetLibC.sendto(q.fd, 0, 0, NetLibC.MSG_DONTWAIT, 0, 0) < 0)
        {
            ioError(NetLibC.errno());
        }
    }

    private void ioError(final int err)
    {
        if (err != NetLibC.EAGAIN && err != NetLibC.ENOBUFS && err != NetLibC.EINTR)
        {
            kickErrors++;
            if (err == NetLibC.ENXIO || err == NetLibC.ENODEV)
            {
                deviceGone = true;
            }
        }
    }

    /** Whether the sockets carry virtio-net headers (GSO and checksum offload both ways). */
    public boolean offloads()
    {
        return offloads;
    }

    /** Whether transmit bypasses the device's qdisc. */
    public boolean qdiscBypass()
    {
        return qdiscBypass;
    }

    /** The longest frame receive takes: any MTU up to it can be received (rings and frames queued whole). */
    public int maxFrame()
    {
        return TpacketRing.MAX_FRAME;
    }

    /**
     * Chains always (copied into a TX frame, or written whole); with offloads also partial checksums and GSO
     * super-frames, which the kernel completes or segments (or the veth peer takes whole).
     */
    @Override
    public int txOffloads()
    {
        return offloads ? Interface.TX_CHAINS | Interface.TX_CSUM | Interface.TX_GSO : Interface.TX_CHAINS;
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

    /** Kernel drops (ring overflow) since the port opened, summed over the queues. Thread: main. */
    public long kernelDrops()
    {
        readKernelStats();
        return kernelDrops;
    }

    private void readKernelStats()
    {
        if (closed)
        {
            return;
        }
        for (final Queue q : queues)
        {
            statsLen.setInt(0, 8);
            if (NetLibC.getsockopt(q.fd, SOL_PACKET, PACKET_STATISTICS, Pointer.nativeValue(stats),
                Pointer.nativeValue(statsLen)) == 0)
            {
                kernelPackets += stats.getInt(0) & 0xffff_ffffL;
                kernelDrops += stats.getInt(4) & 0xffff_ffffL;
            }
        }
    }

    @Override
    public void describe(final StringBuilder out, final boolean verbose)
    {
        readKernelStats();
        long rxp = 0;
        long rxb = 0;
        long txp = 0;
        long txb = 0;
        long noBuf = 0;
        long full = 0;
        long trunc = 0;
        long whole = 0;
        long refused = 0;
        for (final Queue q : queues)
        {
            whole += q.rx.wholeFrames + q.tx.wholeFrames;
            refused += q.tx.refused;
            rxp += q.rx.packets;
            rxb += q.rx.bytes;
            txp += q.tx.packets;
            txb += q.tx.bytes;
            noBuf += q.rx.noBuffer;
            full += q.tx.ringFull;
            trunc += q.rx.truncated + q.tx.truncated;
        }
        out.append("  host-if-name ").append(hostIfName).append(" (ifindex ").append(ifIndex).append("), ")
            .append(queues.length).append(queues.length == 1 ? " queue" : " queues").append(", TPACKET_V2 rings ")
            .append(frameCount).append(" x ").append(frameSize).append(" B").append(deviceGone ? ", device gone" : "")
            .append('\n');
        out.append("  offloads ").append(offloads ? "gso csum-offload (virtio-net header)" : "none (cksum-gso-disable)")
            .append(", qdisc bypass ").append(qdiscBypass ? "on" : "off").append(", max frame ").append(maxFrame())
            .append('\n');
        out.append("  rx ").append(rxp).append(" packets ").append(rxb).append(" bytes, tx ").append(txp)
            .append(" packets ").append(txb).append(" bytes\n");
        out.append("  kernel: ").append(kernelPackets).append(" packets, ").append(kernelDrops).append(" drops\n");
        long completed = 0;
        for (final Queue q : queues)
        {
            completed += q.rx.checksumsCompleted();
        }
        if (completed > 0)
        {
            out.append("  checksums completed (sender offloaded them): ").append(completed).append('\n');
        }
        if (verbose || whole != 0)
        {
            out.append("  frames longer than a ring frame, read or written whole: ").append(whole).append('\n');
        }
        if (verbose || noBuf != 0 || full != 0 || trunc != 0 || kickErrors != 0 || refused != 0)
        {
            out.append("  rx no buffer ").append(noBuf).append(", tx ring full ").append(full).append(", truncated ")
                .append(trunc).append(", tx refused ").append(refused).append(", tx kick errors ").append(kickErrors)
                .append('\n');
        }
    }

    /** Unmap the rings and close the sockets. Idempotent. Thread: main, after the queues stopped being polled. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final Queue q : queues)
        {
            release(q);
        }
        stats.close();
        statsLen.close();
    }
}
