package jvpp.pmd.afpacket;

import java.nio.ByteBuffer;

import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.VirtioNetHeader;
import jvpp.pmd.sys.NetLibC;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One memory-mapped TPACKET_V2 ring (PACKET_RX_RING or PACKET_TX_RING) of {@code frameCount} fixed-size
 * frames, walked by a head index. The kernel and jvpp hand each frame back and forth through its
 * {@code tp_status} word: read with acquire, written with release ordering, so no system call is needed per
 * packet (receive needs none at all; transmit one {@code sendto} kick per burst, issued through the {@link Socket}).
 *
 * <p>Frame layout (linux/if_packet.h, {@code struct tpacket2_hdr}, 32 bytes):
 * <pre>
 *   0 tp_status  4 tp_len  8 tp_snaplen  12 tp_mac (u16)  14 tp_net (u16)  16 tp_sec  20 tp_nsec
 *  24 tp_vlan_tci (u16)  26 tp_vlan_tpid (u16)  28 padding   32 struct sockaddr_ll (rx)
 * </pre>
 * On receive the frame's bytes start at {@code tp_mac}; on transmit at {@link #TX_DATA_OFFSET}
 * ({@code TPACKET2_HDRLEN - sizeof(sockaddr_ll)}). Frames are laid out back to back because the block size
 * is a multiple of the frame size, so frame {@code i} is at {@code i * frameSize}.
 *
 * <p>With a virtio-net header ({@code PACKET_VNET_HDR}, {@link VirtioNetHeader#SIZE_BASE} bytes) a received frame's
 * header sits right before {@code tp_mac} and becomes the buffer's offload metadata (GSO size and type, a partial
 * checksum), a bad one a drop under its {@code PortInputNode} reason; a transmitted frame's data starts with the
 * header built from the buffer's metadata ({@code tp_len} counts it). Without one, a frame the kernel hands over with
 * {@code TP_STATUS_CSUMNOTREADY} has its checksum completed here.
 *
 * <p>Receive copies each frame into jvpp buffers, a chain when it is longer than one (the ring is the kernel's memory,
 * the buffers are jvpp's); a VLAN tag the kernel stripped into {@code tp_vlan_tci} is put back into the frame. A frame
 * longer than a ring frame (a 64 KB GSO super-frame, a jumbo frame) arrives with {@code TP_STATUS_COPY}: the ring kept
 * its first bytes and the kernel queued the whole frame on the socket ({@code PACKET_COPY_THRESH}), which one
 * {@code readv} of the {@link Socket} copies, header and all, straight into a chain. Frames the socket saw leaving
 * ({@code PACKET_OUTGOING}) are skipped. When the buffer pool cannot give a frame all the buffers it needs the frame
 * stays in the ring for the next burst (the kernel then drops and counts, which is what {@code tp_drops} reports).
 *
 * <p>Transmit copies a packet (a chain too) into a TX frame when it fits one; a longer one (a GSO super-frame) is
 * written whole, header first, by one {@code writev} of the {@link Socket} from its buffers, after the frames queued
 * before it were kicked, so the order holds.
 *
 * <p>Thread: the thread that owns the queue; the counters are plain fields read racily by main.
 */
public final class TpacketRing
{
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 1 << 1;
    public static final int TP_STATUS_LOSING = 1 << 2;
    /** The sender left the L4 checksum to offload (a veth from a local socket): the frame's is not final. */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_AVAILABLE = 0;
    public static final int TP_STATUS_SEND_REQUEST = 1;
    public static final int TP_STATUS_SENDING = 1 << 1;
    public static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    public static final int OFF_STATUS = 0;
    public static final int OFF_LEN = 4;
    public static final int OFF_SNAPLEN = 8;
    public static final int OFF_MAC = 12;
    public static final int OFF_NET = 14;
    public static final int OFF_VLAN_TCI = 24;
    public static final int OFF_VLAN_TPID = 26;
    /** TPACKET_ALIGN(sizeof(struct tpacket2_hdr)): where struct sockaddr_ll starts. */
    public static final int HDR_LEN = 32;
    public static final int SOCKADDR_LL_SIZE = 20;
    /** sll_pkttype within the sockaddr_ll that follows the header. */
    public static final int OFF_PKTTYPE = HDR_LEN + 10;
    public static final int PACKET_OUTGOING = 4;
    /** Where transmit data starts in a TX frame. */
    public static final int TX_DATA_OFFSET = HDR_LEN + SOCKADDR_LL_SIZE - SOCKADDR_LL_SIZE;
    /**
     * The longest frame receive takes (a 64 KB IP datagram, its Ethernet header and two tags, as a GSO tap's); a
     * longer one is dropped as {@code frame larger than a buffer chain}.
     */
    public static final int MAX_FRAME = 65535 + 14 + 8;
    /** Buffers one frame may take or give, each way: a 64 KB frame even in 64-byte buffers. */
    public static final int MAX_SEGMENTS = 1100;
    private static final int ETH_ALEN2 = 12;
    private static final int VLAN_TAG = 4;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int IOV = 16;
    private static final int SINK_BYTES = 64;

    /**
     * The socket behind the ring, for what the ring alone cannot do: read a frame the kernel queued whole
     * ({@code TP_STATUS_COPY}), write a frame longer than a TX frame, kick the TX ring. Each returns what the system
     * call returned, or minus its errno. Thread: the ring's.
     */
    public interface Socket
    {
        long readv(long iov, int count);

        long writev(long iov, int count);

        /** Tell the kernel to send the TX frames marked SEND_REQUEST. */
        void kick();
    }

    private final UnsafeBuffer ring;
    private final int frameSize;
    private final int frameCount;
    private final int mask;
    private final int vnetHdr;
    private final Socket socket;
    /** The vnet header of a readv/writev, a sink for a frame too long to keep, then the iovecs. */
    private final UnsafeBuffer io;
    private final int[] chain = new int[MAX_SEGMENTS];
    private int head;
    private long checksumsCompleted;

    long packets;
    long bytes;
    long noBuffer;
    long truncated;
    long ringFull;
    /** Frames received whole through the socket ({@code TP_STATUS_COPY}) or sent whole through it. */
    long wholeFrames;
    /** Packets transmit refused: longer than a TX frame with no socket, a chain too long, the kernel said no. */
    long refused;

    /**
     * A ring without a virtio-net header or a socket behind it: frames longer than a ring frame are dropped.
     *
     * @param ring       the ring's memory (the mmap'ed region of this ring, or a fake one in tests)
     * @param frameSize  bytes per frame, a multiple of 16
     * @param frameCount frames, a power of two
     */
    public TpacketRing(final UnsafeBuffer ring, final int frameSize, final int frameCount)
    {
        this(ring, frameSize, frameCount, false, null);
    }

    /**
     * @param vnetHdr whether the socket has {@code PACKET_VNET_HDR}: frames carry a virtio-net header
     * @param socket  the socket behind the ring (frames longer than a ring frame, the tx kick), or null
     */
    public TpacketRing(final UnsafeBuffer ring, final int frameSize, final int frameCount, final boolean vnetHdr,
        final Socket socket)
    {
        if (Integer.bitCount(frameCount) != 1)
        {
            throw new IllegalArgumentException("frame count must be a power of two: " + frameCount);
        }
        if ((frameSize & 15) != 0 || frameSize < HDR_LEN + SOCKADDR_LL_SIZE + 64)
        {
            throw new IllegalArgumentException("frame size must be a multiple of 16 and at least 128: " + frameSize);
        }
        if ((long)frameSize * frameCount > ring.capacity())
        {
            throw new IllegalArgumentException("ring memory too small for " + frameCount + " x " + frameSize);
        }
        this.ring = ring;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.mask = frameCount - 1;
        this.vnetHdr = vnetHdr ? VirtioNetHeader.SIZE_BASE : 0;
        this.socket = socket;
        this.io = new UnsafeBuffer(ByteBuffer.allocateDirect(IOV + SINK_BYTES + (MAX_SEGMENTS + 3) * IOV));
        io.putLong(iovAt(0), io.addressOffset());
        io.putLong(iovAt(0) + 8, this.vnetHdr);
    }

    private static int iovAt(final int i)
    {
        return IOV + SINK_BYTES + i * IOV;
    }

    public int frameSize()
    {
        return frameSize;
    }

    public int frameCount()
    {
        return frameCount;
    }

    /** Whether frames carry a virtio-net header. */
    public boolean vnetHdr()
    {
        return vnetHdr != 0;
    }

    /** The frame the next burst starts at. */
    public int head()
    {
        return head;
    }

    /** Byte offset of frame {@code index} (taken modulo the frame count) in the ring. */
    public int frameOffset(final int index)
    {
        return (index & mask) * frameSize;
    }

    /** The longest frame that fits a TX frame (longer ones go through the socket). */
    public int maxTxLength()
    {
        return frameSize - TX_DATA_OFFSET - vnetHdr;
    }

    /** Frames whose L4 checksum was finished here (TP_STATUS_CSUMNOTREADY without a virtio-net header). */
    public long checksumsCompleted()
    {
        return checksumsCompleted;
    }

    /**
     * Finish the checksum of a frame the kernel handed over with TP_STATUS_CSUMNOTREADY: without it the
     * forwarded packet would carry a partial checksum and its receiver would drop it (seen: UDP through jvpp
     * between two namespaces, 0 of 200 k delivered). IPv4 behind up to two VLAN tags.
     */
    private void completeChecksum(final UnsafeBuffer mem, final int frame, final int len)
    {
        final int ip = ip4Header(mem, frame, len);
        if (ip >= 0 && Ip4.fillL4Checksum(mem, ip, frame + len - ip))
        {
            checksumsCompleted++;
        }
    }

    /** Where the IPv4 header of the frame at {@code frame} starts (behind its VLAN tags), or -1 when it is not IPv4. */
    private static int ip4Header(final UnsafeBuffer mem, final int frame, final int len)
    {
        // Each tag moves the EtherType 4 bytes on: read it as if the header started that much later.
        int header = frame;
        int type = EthernetFlyweight.type(mem, header);
        while (EthernetFlyweight.isVlanType(type)
            && header + EthernetFlyweight.TYPE_OFFSET + EthernetFlyweight.VLAN_TAG_LENGTH < frame + len)
        {
            header += EthernetFlyweight.VLAN_TAG_LENGTH;
            type = EthernetFlyweight.type(mem, header);
        }
        final int ip = header + EthernetFlyweight.HEADER_LENGTH;
        return type == EthernetFlyweight.TYPE_IP4 && ip + Ip4Flyweight.MIN_HEADER_LENGTH <= frame + len ? ip : -1;
    }

    /**
     * A chain received without a virtio-net header whose checksum the sender left partial: find the TCP or UDP
     * checksum from its IPv4 header and mark it partial, for interface-output (or the egress) to complete.
     */
    private static void markPartial(final BufferPool pool, final int head)
    {
        final UnsafeBuffer mem = pool.memory();
        final int frame = pool.start[head];
        final int ip = ip4Header(mem, frame, pool.length[head]);
        if (ip < 0 || Ip4Flyweight.isFragment(mem, ip))
        {
            return;
        }
        final int l4 = ip + Ip4Flyweight.headerLength(mem, ip);
        final int proto = Ip4Flyweight.protocol(mem, ip);
        final int at = proto == Ip4.PROTO_TCP ? 16 : proto == Ip4.PROTO_UDP ? 6 : -1;
        if (at > 0 && l4 + at + 2 <= frame + pool.length[head])
        {
            pool.flags[head] |= BufferPool.FLAG_CSUM_PARTIAL;
            pool.csumStart[head] = l4;
            pool.csumOffset[head] = at;
        }
    }

    /**
     * Copy up to {@code max} frames the kernel has handed over into freshly allocated buffers (chains when longer than
     * one) in {@code bufs[offset..]}, returning each ring frame to the kernel; returns how many.
     */
    public int receive(final BufferCache cache, final int[] bufs, final int offset, final int max)
    {
        final UnsafeBuffer r = ring;
        final BufferPool pool = cache.pool();
        final UnsafeBuffer mem = pool.memory();
        final int[] start = pool.start;
        final int[] length = pool.length;
        final int capacity = pool.arena().dataSize();
        int h = head;
        int n = 0;
        long b = 0;
        while (n < max)
        {
            final int frame = (h & mask) * frameSize;
            final int status = r.getIntVolatile(frame + OFF_STATUS);
            if ((status & TP_STATUS_USER) == 0)
            {
                break;
            }
            final boolean whole = socket != null && (status & TP_STATUS_COPY) != 0;
            if ((r.getByte(frame + OFF_PKTTYPE) & 0xff) == PACKET_OUTGOING)
            {
                if (whole)
                {
                    discardQueued();
                }
                r.putIntOrdered(frame + OFF_STATUS, TP_STATUS_KERNEL);
                h++;
                continue;
            }
            final int snap = r.getInt(frame + OFF_SNAPLEN);
            final boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0;
            final int bi;
            final int len;
            if (whole || tagged || snap > capacity || r.getInt(frame + OFF_LEN) > snap)
            {
                // The rest: a tag to put back, a chain, a frame cut by the ring or queued whole.
                bi = receiveOther(cache, frame, status, whole);
                if (bi < 0)
                {
                    noBuffer++;
                    break;
                }
                len = pool.totalLength(bi);
            }
            else
            {
                // The common case, kept short: one frame into one buffer.
                bi = cache.alloc();
                if (bi < 0)
                {
                    noBuffer++;
                    break;
                }
                final int mac = frame + (r.getShort(frame + OFF_MAC) & 0xffff);
                len = snap;
                r.getBytes(mac, mem, start[bi], len);
                length[bi] = len;
                if (vnetHdr != 0)
                {
                    pool.error[bi] = VirtioNetHeader.read(r, mac - vnetHdr, pool, bi, len);
                }
                else if ((status & TP_STATUS_CSUMNOTREADY) != 0)
                {
                    completeChecksum(mem, start[bi], len);
                }
            }
            b += len;
            bufs[offset + n++] = bi;
            r.putIntOrdered(frame + OFF_STATUS, TP_STATUS_KERNEL);
            h++;
        }
        head = h & mask;
        packets += n;
        bytes += b;
        return n;
    }

    /**
     * Receive the ring frame at {@code frame} that is not one untagged frame in one buffer: into a chain when longer
     * than a buffer, with its VLAN tag put back, read whole from the socket ({@code whole}), or marked to be dropped
     * (cut by the ring, longer than receive takes); its head, or -1 when the pool cannot give all its buffers (it then
     * waits in the ring).
     */
    private int receiveOther(final BufferCache cache, final int frame, final int status, final boolean whole)
    {
        final UnsafeBuffer r = ring;
        final BufferPool pool = cache.pool();
        final UnsafeBuffer mem = pool.memory();
        final int[] length = pool.length;
        final int capacity = pool.arena().dataSize();
        final int mac = frame + (r.getShort(frame + OFF_MAC) & 0xffff);
        final int snap = r.getInt(frame + OFF_SNAPLEN);
        final int tpLen = r.getInt(frame + OFF_LEN);
        final boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0 && (whole ? tpLen : snap) >= ETH_ALEN2;
        final int tag = tagged ? VLAN_TAG : 0;
        final int len = (whole ? tpLen : snap) + tag;
        if (!whole && tpLen > snap)
        {
            // Cut by the ring frame, and the kernel could not queue it whole (or nobody reads the socket): reported
            // whole (longer than a buffer), the input node drops it as "frame larger than a buffer"; nothing of it
            // is copied.
            final int bi = cache.alloc();
            if (bi >= 0)
            {
                truncated++;
                length[bi] = Math.max(tpLen + tag, capacity + 1);
            }
            return bi;
        }
        final int count = (len + capacity - 1) / capacity;
        if (len > MAX_FRAME || count > MAX_SEGMENTS)
        {
            final int bi = cache.alloc();
            if (bi >= 0)
            {
                if (whole)
                {
                    discardQueued();
                }
                truncated++;
                pool.error[bi] = 1 + PortInputNode.ERROR_CHAIN_TOO_LONG;
            }
            return bi;
        }
        final int[] c = chain;
        final int got = cache.alloc(c, 0, count);
        if (got < count)
        {
            // Not every buffer the frame needs: it waits in the ring (and its queued copy on the socket).
            cache.free(c, 0, got);
            return -1;
        }
        final int bi = c[0];
        int error = 0;
        if (whole)
        {
            error = readQueued(pool, count, capacity, tagged, len - tag);
        }
        else if (tagged)
        {
            scatter(r, mac, ETH_ALEN2, 0, pool, capacity);
            scatter(r, mac + ETH_ALEN2, len - tag - ETH_ALEN2, ETH_ALEN2 + VLAN_TAG, pool, capacity);
        }
        else
        {
            scatter(r, mac, len, 0, pool, capacity);
        }
        if (tagged)
        {
            final int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                ? r.getShort(frame + OFF_VLAN_TPID) & 0xffff : ETH_P_8021Q;
            // The kernel gives the TCI in host order.
            EthernetFlyweight.putVlanTag(mem, pool.start[bi], tpid << 16 | (r.getShort(frame + OFF_VLAN_TCI) & 0xffff));
        }
        length[bi] = Math.min(len, capacity);
        for (int i = 1; i < count; i++)
        {
            length[c[i]] = Math.min(len - i * capacity, capacity);
            pool.append(bi, c[i - 1], c[i]);
        }
        if (error == 0 && vnetHdr != 0)
        {
            error = whole ? VirtioNetHeader.read(io, 0, pool, bi, len)
                : VirtioNetHeader.read(r, mac - vnetHdr, pool, bi, len);
            if (tagged && (pool.flags[bi] & BufferPool.FLAG_CSUM_PARTIAL) != 0)
            {
                // The kernel counted from the untagged frame's start.
                pool.csumStart[bi] += VLAN_TAG;
            }
        }
        else if (error == 0 && (status & TP_STATUS_CSUMNOTREADY) != 0)
        {
            if (count == 1)
            {
                completeChecksum(mem, pool.start[bi], len);
            }
            else
            {
                markPartial(pool, bi);
            }
        }
        pool.error[bi] = error;
        return bi;
    }

    /** Copy {@code len} bytes at {@code from} in {@code src} to byte {@code pos} of the chain in {@link #chain}. */
    private void scatter(final UnsafeBuffer src, final int from, final int len, final int pos, final BufferPool pool,
        final int capacity)
    {
        final UnsafeBuffer mem = pool.memory();
        int s = from;
        int p = pos;
        int left = len;
        while (left > 0)
        {
            final int i = p / capacity;
            final int o = p - i * capacity;
            final int k = Math.min(left, capacity - o);
            src.getBytes(s, mem, pool.start[chain[i]] + o, k);
            s += k;
            p += k;
            left -= k;
        }
    }

    /**
     * Read the frame the kernel queued whole on the socket ({@code TP_STATUS_COPY}) into the {@code count} buffers in
     * {@link #chain}, behind the virtio-net header (into {@link #io}) and leaving a VLAN tag's room after the MACs
     * when {@code tagged}; 0, or 1 + the reason to drop it when the read did not bring the {@code frameLength}
     * bytes the ring announced.
     */
    private int readQueued(final BufferPool pool, final int count, final int capacity, final boolean tagged,
        final int frameLength)
    {
        final UnsafeBuffer v = io;
        final long base = pool.arena().address();
        final int[] start = pool.start;
        int k = 1;
        if (tagged)
        {
            v.putLong(iovAt(k), base + start[chain[0]]);
            v.putLong(iovAt(k) + 8, ETH_ALEN2);
            k++;
            v.putLong(iovAt(k), base + start[chain[0]] + ETH_ALEN2 + VLAN_TAG);
            v.putLong(iovAt(k) + 8, capacity - ETH_ALEN2 - VLAN_TAG);
            k++;
        }
        else
        {
            v.putLong(iovAt(k), base + start[chain[0]]);
            v.putLong(iovAt(k) + 8, capacity);
            k++;
        }
        for (int i = 1; i < count; i++)
        {
            v.putLong(iovAt(k), base + start[chain[i]]);
            v.putLong(iovAt(k) + 8, capacity);
            k++;
        }
        final long got = socket.readv(v.addressOffset() + iovAt(0), k);
        wholeFrames++;
        return got == vnetHdr + frameLength ? 0 : 1 + PortInputNode.ERROR_OVERSIZE;
    }

    /** Take the frame queued whole on the socket off it, keeping nothing (a frame longer than receive takes). */
    private void discardQueued()
    {
        final UnsafeBuffer v = io;
        v.putLong(iovAt(1), v.addressOffset() + IOV);
        v.putLong(iovAt(1) + 8, SINK_BYTES);
        socket.readv(v.addressOffset() + iovAt(0), 2);
    }

    /**
     * Copy up to {@code n} packets (chains too) from {@code bufs[offset..]} into free TX frames, mark them
     * {@code TP_STATUS_SEND_REQUEST} and free the buffers; returns how many were taken (fewer when the ring is full or
     * the socket would block). A packet longer than a TX frame is written whole through the socket; with no socket it
     * is taken, freed and counted as truncated, never sent in part. With a socket the ring kicks the kernel itself;
     * without one (tests) nobody does.
     */
    public int transmit(final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        final UnsafeBuffer r = ring;
        final BufferPool pool = cache.pool();
        final UnsafeBuffer mem = pool.memory();
        final int[] start = pool.start;
        final int[] length = pool.length;
        final int[] flags = pool.flags;
        final int maxLen = maxTxLength();
        final int data = TX_DATA_OFFSET + vnetHdr;
        int h = head;
        int i = 0;
        long b = 0;
        boolean queued = false;
        while (i < n)
        {
            final int bi = bufs[offset + i];
            final boolean single = (flags[bi] & BufferPool.FLAG_NEXT_PRESENT) == 0;
            final int len = single ? length[bi] : pool.totalLength(bi);
            if (len > maxLen && socket != null)
            {
                if (queued)
                {
                    // What was queued before it leaves before it.
                    socket.kick();
                    queued = false;
                }
                final long w = writeWhole(pool, bi);
                if (w == -NetLibC.EAGAIN || w == -NetLibC.ENOBUFS || w == -NetLibC.EINTR)
                {
                    ringFull++;
                    break;
                }
                i++;
                if (w < 0)
                {
                    refused++;
                }
                else
                {
                    wholeFrames++;
                    packets++;
                    b += len;
                }
                cache.free(bi);
                continue;
            }
            final int frame = (h & mask) * frameSize;
            final int status = r.getIntVolatile(frame + OFF_STATUS);
            if (status != TP_STATUS_AVAILABLE && status != TP_STATUS_WRONG_FORMAT)
            {
                ringFull++;
                break;
            }
            i++;
            if (len > maxLen || len <= 0)
            {
                truncated++;
                cache.free(bi);
                continue;
            }
            if (vnetHdr != 0)
            {
                VirtioNetHeader.write(r, frame + TX_DATA_OFFSET, pool, bi, VirtioNetHeader.SIZE_BASE);
            }
            if (single)
            {
                mem.getBytes(start[bi], r, frame + data, len);
            }
            else
            {
                copyChain(pool, bi, frame + data);
            }
            r.putInt(frame + OFF_LEN, vnetHdr + len);
            r.putIntOrdered(frame + OFF_STATUS, TP_STATUS_SEND_REQUEST);
            queued = true;
            cache.free(bi);
            b += len;
            packets++;
            h++;
        }
        if (queued && socket != null)
        {
            socket.kick();
        }
        head = h & mask;
        bytes += b;
        return i;
    }

    /** Copy every buffer of the chain headed by {@code bi} to {@code at} in the ring, back to back. */
    private void copyChain(final BufferPool pool, final int bi, final int at)
    {
        int to = at;
        for (int x = bi; ; x = pool.nextBuffer[x])
        {
            pool.memory().getBytes(pool.start[x], ring, to, pool.length[x]);
            to += pool.length[x];
            if ((pool.flags[x] & BufferPool.FLAG_NEXT_PRESENT) == 0)
            {
                return;
            }
        }
    }

    /** Write the packet headed by {@code bi} through the socket in one writev, header first; its result. */
    private long writeWhole(final BufferPool pool, final int bi)
    {
        final UnsafeBuffer v = io;
        final long base = pool.arena().address();
        if (vnetHdr != 0)
        {
            VirtioNetHeader.write(v, 0, pool, bi, VirtioNetHeader.SIZE_BASE);
        }
        int k = 1;
        for (int x = bi; ; x = pool.nextBuffer[x])
        {
            if (k > MAX_SEGMENTS)
            {
                return -NetLibC.EINVAL;
            }
            v.putLong(iovAt(k), base + pool.start[x]);
            v.putLong(iovAt(k) + 8, pool.length[x]);
            k++;
            if ((pool.flags[x] & BufferPool.FLAG_NEXT_PRESENT) == 0)
            {
                break;
            }
        }
        return socket.writev(v.addressOffset() + iovAt(0), k);
    }

    /** Frames waiting for the kernel to send them (a walk of the ring; for {@code show} and tests). */
    public int pendingTx()
    {
        int pending = 0;
        for (int i = 0; i < frameCount; i++)
        {
            final int s = ring.getIntVolatile(i * frameSize + OFF_STATUS);
            if (s == TP_STATUS_SEND_REQUEST || s == TP_STATUS_SENDING)
            {
                pending++;
            }
        }
        return pending;
    }
}
