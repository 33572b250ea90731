package jvpp.pmd;

import jvpp.core.buffer.BufferPool;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The virtio-net header the kernel puts in front of a frame and takes in front of one, for the drivers that use it:
 * a tap with {@code IFF_VNET_HDR} ({@code struct virtio_net_hdr_v1}, {@link #SIZE_V1} bytes with
 * {@code TUNSETVNETHDRSZ}) and a host-interface's AF_PACKET socket with {@code PACKET_VNET_HDR}
 * ({@code struct virtio_net_hdr}, {@link #SIZE_BASE} bytes: the same without {@code num_buffers}). Little-endian:
 * <pre>
 *   u8 flags (NEEDS_CSUM 1, DATA_VALID 2) | u8 gso_type (NONE 0, TCPV4 1, UDP 3, TCPV6 4, UDP_L4 5, | ECN 0x80)
 *   le16 hdr_len | le16 gso_size | le16 csum_start | le16 csum_offset | (v1 only) le16 num_buffers
 * </pre>
 * {@link #read} turns a received header into the buffer's offload metadata (VPP's tap/virtio rx: GSO flag,
 * gso size and type, checksum partial with its start and offset) and checks it against the frame; {@link #write}
 * builds one from the metadata for transmit, so a GSO frame keeps its gso size and a partial checksum stays
 * partial for the kernel to complete.
 *
 * <p>Thread: any; stateless.
 */
public final class VirtioNetHeader
{
    /** Bytes of {@code struct virtio_net_hdr_v1}: a tap's header (the size VPP's tap uses). */
    public static final int SIZE_V1 = 12;
    /** Bytes of {@code struct virtio_net_hdr}: what an AF_PACKET socket with {@code PACKET_VNET_HDR} uses. */
    public static final int SIZE_BASE = 10;
    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_ECN = 0x80;

    private VirtioNetHeader()
    {
    }

    /**
     * Set the offload metadata of the received frame headed by {@code head} ({@code frameLength} bytes, header not
     * included) from the header at {@code at} in {@code hdr}; returns 0, or 1 + the {@link PortInputNode} reason
     * the frame must be dropped for (the value a port leaves in {@code pool.error}).
     */
    public static int read(final UnsafeBuffer hdr, final int at, final BufferPool pool, final int head,
        final int frameLength)
    {
        final int flags = hdr.getByte(at) & 0xff;
        final int gsoType = hdr.getByte(at + 1) & 0xff;
        final int hdrLen = hdr.getShort(at + 2) & 0xffff;
        if (hdrLen > frameLength)
        {
            return 1 + PortInputNode.ERROR_VNET_HDR_LEN;
        }
        if ((flags & F_NEEDS_CSUM) != 0)
        {
            final int start = hdr.getShort(at + 6) & 0xffff;
            final int offset = hdr.getShort(at + 8) & 0xffff;
            // The checksum field must lie in the first buffer, where the headers are.
            if (start + offset + 2 > pool.length[head])
            {
                return 1 + PortInputNode.ERROR_VNET_CSUM;
            }
            pool.flags[head] |= BufferPool.FLAG_CSUM_PARTIAL;
            pool.csumStart[head] = pool.start[head] + start;
            pool.csumOffset[head] = offset;
        }
        final int type = gsoType & ~GSO_ECN;
        if (type == GSO_NONE)
        {
            return 0;
        }
        if (type != BufferPool.GSO_TCP4 && type != BufferPool.GSO_TCP6 && type != BufferPool.GSO_UDP
            && type != BufferPool.GSO_UDP_L4)
        {
            return 1 + PortInputNode.ERROR_VNET_GSO_TYPE;
        }
        final int gsoSize = hdr.getShort(at + 4) & 0xffff;
        if (gsoSize == 0)
        {
            return 1 + PortInputNode.ERROR_VNET_GSO_SIZE;
        }
        pool.flags[head] |= BufferPool.FLAG_GSO;
        pool.gsoType[head] = gsoType;
        pool.gsoSize[head] = gsoSize;
        return 0;
    }

    /**
     * Write the {@code size}-byte header ({@link #SIZE_V1} or {@link #SIZE_BASE}) for transmitting the packet headed by
     * {@code head} at {@code at} in {@code hdr}.
     */
    public static void write(final UnsafeBuffer hdr, final int at, final BufferPool pool, final int head,
        final int size)
    {
        final int f = pool.flags[head];
        if ((f & (BufferPool.FLAG_CSUM_PARTIAL | BufferPool.FLAG_GSO)) == 0)
        {
            hdr.putLong(at, 0);
            hdr.putShort(at + 8, (short)0);
            if (size == SIZE_V1)
            {
                hdr.putShort(at + SIZE_BASE, (short)0);
            }
            return;
        }
        final UnsafeBuffer mem = pool.memory();
        int flags = 0;
        int start = 0;
        int offset = 0;
        int hdrLen = 0;
        if ((f & BufferPool.FLAG_CSUM_PARTIAL) != 0)
        {
            flags = F_NEEDS_CSUM;
            start = pool.csumStart[head] - pool.start[head];
            offset = pool.csumOffset[head];
            // The headers the kernel must find in the linear part: up to the end of the L4 header.
            hdrLen = start + (offset == 16 ? ((mem.getByte(pool.csumStart[head] + 12) >> 4) & 0xf) * 4 : 8);
        }
        int gsoType = GSO_NONE;
        int gsoSize = 0;
        if ((f & BufferPool.FLAG_GSO) != 0)
        {
            gsoType = pool.gsoType[head];
            gsoSize = pool.gsoSize[head];
        }
        hdr.putByte(at, (byte)flags);
        hdr.putByte(at + 1, (byte)gsoType);
        hdr.putShort(at + 2, (short)hdrLen);
        hdr.putShort(at + 4, (short)gsoSize);
        hdr.putShort(at + 6, (short)start);
        hdr.putShort(at + 8, (short)offset);
        if (size == SIZE_V1)
        {
            hdr.putShort(at + SIZE_BASE, (short)0);
        }
    }
}
