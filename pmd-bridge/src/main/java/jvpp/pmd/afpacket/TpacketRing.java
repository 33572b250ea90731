package jvpp.pmd.afpacket;

import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One memory-mapped TPACKET_V2 ring (PACKET_RX_RING or PACKET_TX_RING) of {@code frameCount} fixed-size
 * frames, walked by a head index. The kernel and jvpp hand each frame back and forth through its
 * {@code tp_status} word: read with acquire, written with release ordering, so no system call is needed per
 * packet (receive needs none at all; transmit one {@code sendto} kick per burst, issued by the port).
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
 * <p>Receive copies each frame into a jvpp buffer (the ring is the kernel's memory, the buffer is jvpp's);
 * a VLAN tag the kernel stripped into {@code tp_vlan_tci} is put back into the frame. Frames the socket saw
 * leaving ({@code PACKET_OUTGOING}) are skipped. When the buffer pool is empty the frame stays in the ring
 * for the next burst (the kernel then drops and counts, which is what {@code tp_drops} reports).
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
    private static final int ETH_ALEN2 = 12;
    private static final int VLAN_TAG = 4;
    private static final int ETH_P_8021Q = 0x8100;

    private final UnsafeBuffer ring;
    private final int frameSize;
    private final int frameCount;
    private final int mask;
    private int head;
    private long checksumsCompleted;

    long packets;
    long bytes;
    long noBuffer;
    long truncated;
    long ringFull;

    /**
     * @param ring       the ring's memory (the mmap'ed region of this ring, or a fake one in tests)
     * @param frameSize  bytes per frame, a multiple of 16
     * @param frameCount frames, a power of two
     */
    public TpacketRing(final UnsafeBuffer ring, final int frameSize, final int frameCount)
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
    }

    public int frameSize()
    {
        return frameSize;
    }

    public int frameCount()
    {
        return frameCount;
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

    /** The largest frame transmit accepts. */
    public int maxTxLength()
    {
        return frameSize - TX_DATA_OFFSET;
    }

    /**
     * Finish the checksum of a frame the kernel handed over with TP_STATUS_CSUMNOTREADY: without it the
     * forwarded packet would carry a partial checksum and its receiver would drop it (seen: UDP through jvpp
     * between two namespaces, 0 of 200 k delivered). IPv4 behind up to two VLAN tags.
     */
    /** Frames whose L4 checksum was finished here (TP_STATUS_CSUMNOTREADY). */
    public long checksumsCompleted()
    {
        return checksumsCompleted;
    }

    private void completeChecksum(final UnsafeBuffer mem, final int frame, final int len)
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
        if (type == EthernetFlyweight.TYPE_IP4 && Ip4.fillL4Checksum(mem, ip, frame + len - ip))
        {
            checksumsCompleted++;
        }
    }

    /**
     * Copy up to {@code max} frames the kernel has handed over into freshly allocated buffers in
     * {@code bufs[offset..]}, returning each ring frame to the kernel; returns how many.
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
            if ((r.getByte(frame + OFF_PKTTYPE) & 0xff) == PACKET_OUTGOING)
            {
                r.putIntOrdered(frame + OFF_STATUS, TP_STATUS_KERNEL);
                h++;
                continue;
            }
            final int bi = cache.alloc();
            if (bi < 0)
            {
                noBuffer++;
                break;
            }
            final int mac = frame + (r.getShort(frame + OFF_MAC) & 0xffff);
            int len = r.getInt(frame + OFF_SNAPLEN);
            final int dst = start[bi];
            final boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0 && len >= ETH_ALEN2;
            final int whole = r.getInt(frame + OFF_LEN) + (tagged ? VLAN_TAG : 0);
            if (whole > capacity || r.getInt(frame + OFF_LEN) > len)
            {
                // Cut by the ring frame or too big for a buffer: reported whole (longer than a buffer), the input
                // node drops it as "frame larger than a buffer"; nothing of it is copied.
                truncated++;
                length[bi] = Math.max(whole, capacity + 1);
                b += whole;
                bufs[offset + n++] = bi;
                r.putIntOrdered(frame + OFF_STATUS, TP_STATUS_KERNEL);
                h++;
                continue;
            }
            if (tagged)
            {
                final int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                    ? r.getShort(frame + OFF_VLAN_TPID) & 0xffff : ETH_P_8021Q;
                r.getBytes(mac, mem, dst, ETH_ALEN2);
                // The kernel gives the TCI in host order.
                EthernetFlyweight.putVlanTag(mem, dst, tpid << 16 | (r.getShort(frame + OFF_VLAN_TCI) & 0xffff));
                r.getBytes(mac + ETH_ALEN2, mem, dst + ETH_ALEN2 + VLAN_TAG, len - ETH_ALEN2);
                len += VLAN_TAG;
            }
            else
            {
                r.getBytes(mac, mem, dst, len);
            }
            if ((status & TP_STATUS_CSUMNOTREADY) != 0)
            {
                completeChecksum(mem, dst, len);
            }
            length[bi] = len;
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
     * Copy up to {@code n} buffers from {@code bufs[offset..]} into free TX frames, mark them
     * {@code TP_STATUS_SEND_REQUEST} and free the buffers; returns how many were taken (fewer when the ring is
     * full). A buffer longer than a frame is taken, freed and counted as truncated, never sent in part. The
     * caller kicks the kernel ({@code sendto}) when this returns more than zero.
     */
    public int transmit(final BufferCache cache, final int[] bufs, final int offset, final int n)
    {
        final UnsafeBuffer r = ring;
        final BufferPool pool = cache.pool();
        final UnsafeBuffer mem = pool.memory();
        final int[] start = pool.start;
        final int[] length = pool.length;
        final int maxLen = frameSize - TX_DATA_OFFSET;
        int h = head;
        int i = 0;
        long b = 0;
        while (i < n)
        {
            final int frame = (h & mask) * frameSize;
            final int status = r.getIntVolatile(frame + OFF_STATUS);
            if (status != TP_STATUS_AVAILABLE && status != TP_STATUS_WRONG_FORMAT)
            {
                ringFull++;
                break;
            }
            final int bi = bufs[offset + i];
            final int len = length[bi];
            i++;
            if (len > maxLen || len <= 0)
            {
                truncated++;
                cache.free(bi);
                continue;
            }
            mem.getBytes(start[bi], r, frame + TX_DATA_OFFSET, len);
            r.putInt(frame + OFF_LEN, len);
            r.putIntOrdered(frame + OFF_STATUS, TP_STATUS_SEND_REQUEST);
            cache.free(bi);
            b += len;
            packets++;
            h++;
        }
        head = h & mask;
        bytes += b;
        return i;
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
