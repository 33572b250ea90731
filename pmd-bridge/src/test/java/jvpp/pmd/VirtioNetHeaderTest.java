package jvpp.pmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The virtio-net header against the buffer's offload metadata: read, each bad-input reason, write back. No root. */
class VirtioNetHeaderTest
{
    private final BufferArena arena = BufferArena.allocate(64, 2048, false);
    private final BufferPool pool = new BufferPool("test", 0, 0, arena);
    private final BufferCache cache = pool.newCache("t");
    private final UnsafeBuffer hdr = new UnsafeBuffer(ByteBuffer.allocateDirect(16));

    @AfterEach
    void close()
    {
        cache.close();
        arena.close();
    }

    private void header(final int flags, final int gsoType, final int hdrLen, final int gsoSize, final int csumStart,
        final int csumOffset)
    {
        hdr.putByte(0, (byte)flags);
        hdr.putByte(1, (byte)gsoType);
        hdr.putShort(2, (short)hdrLen);
        hdr.putShort(4, (short)gsoSize);
        hdr.putShort(6, (short)csumStart);
        hdr.putShort(8, (short)csumOffset);
        hdr.putShort(10, (short)0);
    }

    /** A 9000-byte frame in a five-buffer chain, a 20-byte TCP header (data offset 5) at 34. */
    private int frame()
    {
        final int head = cache.alloc();
        pool.length[head] = 2048;
        pool.memory().putByte(pool.start[head] + 34 + 12, (byte)0x50);
        int tail = head;
        for (int left = 9000 - 2048; left > 0; left -= 2048)
        {
            final int bi = cache.alloc();
            pool.length[bi] = Math.min(left, 2048);
            pool.append(head, tail, bi);
            tail = bi;
        }
        return head;
    }

    private int read(final int head)
    {
        return VirtioNetHeader.read(hdr, 0, pool, head, pool.totalLength(head));
    }

    @Test
    void shouldSetGsoAndChecksumMetadataWhenTheKernelHandsOverATcpSuperFrame()
    {
        final int head = frame();
        header(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_TCP4 | BufferPool.GSO_ECN, 66, 1448, 34, 16);
        assertEquals(0, read(head));
        assertEquals(BufferPool.FLAG_GSO | BufferPool.FLAG_CSUM_PARTIAL | BufferPool.FLAG_NEXT_PRESENT, pool.flags[head]);
        assertEquals(1448, pool.gsoSize[head]);
        assertEquals(BufferPool.GSO_TCP4 | BufferPool.GSO_ECN, pool.gsoType[head]);
        assertEquals(pool.start[head] + 34, pool.csumStart[head]);
        assertEquals(16, pool.csumOffset[head]);
        cache.free(head);
        assertEquals(0, pool.used());
    }

    @Test
    void shouldWriteBackWhatWasReadWhenTransmittingAfterTheHeadersMoved()
    {
        final int head = frame();
        header(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_TCP6, 74, 1428, 54, 16);
        pool.memory().putByte(pool.start[head] + 54 + 12, (byte)0x50);
        assertEquals(0, read(head));
        // A node pushed a VLAN tag: the L4 header is 4 bytes further from the frame's start.
        pool.start[head] -= 4;
        pool.length[head] += 4;
        hdr.setMemory(0, 12, (byte)0x77);
        VirtioNetHeader.write(hdr, 0, pool, head, VirtioNetHeader.SIZE_V1);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, hdr.getByte(0));
        assertEquals(BufferPool.GSO_TCP6, hdr.getByte(1));
        assertEquals(58 + 20, hdr.getShort(2));
        assertEquals(1428, hdr.getShort(4));
        assertEquals(58, hdr.getShort(6));
        assertEquals(16, hdr.getShort(8));
        assertEquals(0, hdr.getShort(10));
        cache.free(head);
    }

    @Test
    void shouldWriteAnEmptyHeaderWhenThePacketHasNoOffload()
    {
        final int bi = cache.alloc();
        pool.length[bi] = 60;
        hdr.setMemory(0, 12, (byte)0x77);
        VirtioNetHeader.write(hdr, 0, pool, bi, VirtioNetHeader.SIZE_V1);
        assertEquals(0, hdr.getLong(0));
        assertEquals(0, hdr.getInt(8));
        hdr.setMemory(0, 12, (byte)0x77);
        VirtioNetHeader.write(hdr, 0, pool, bi, VirtioNetHeader.SIZE_BASE);
        assertEquals(0, hdr.getLong(0));
        assertEquals(0, hdr.getShort(8));
        assertEquals(0x7777, hdr.getShort(10) & 0xffff);
        cache.free(bi);
    }

    @Test
    void shouldWriteTheTenByteHeaderWithoutTouchingTheFrameBehindIt()
    {
        final int head = frame();
        pool.flags[head] |= BufferPool.FLAG_CSUM_PARTIAL;
        pool.csumStart[head] = pool.start[head] + 34;
        pool.csumOffset[head] = 16;
        hdr.setMemory(0, 12, (byte)0x77);
        VirtioNetHeader.write(hdr, 0, pool, head, VirtioNetHeader.SIZE_BASE);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, hdr.getByte(0));
        assertEquals(54, hdr.getShort(2));
        assertEquals(34, hdr.getShort(6));
        assertEquals(0x7777, hdr.getShort(10) & 0xffff, "the frame behind a 10-byte header is not touched");
        cache.free(head);
    }

    @Test
    void shouldRejectGsoSizeZeroOnAGsoType()
    {
        final int head = frame();
        header(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_TCP4, 54, 0, 34, 16);
        assertEquals(1 + PortInputNode.ERROR_VNET_GSO_SIZE, read(head));
        cache.free(head);
    }

    @Test
    void shouldRejectAGsoTypeNotHandled()
    {
        final int head = frame();
        header(VirtioNetHeader.F_NEEDS_CSUM, 2, 42, 1400, 34, 6); // no VIRTIO_NET_HDR_GSO_ type 2
        assertEquals(1 + PortInputNode.ERROR_VNET_GSO_TYPE, read(head));
        header(0, 0x42, 0, 1400, 0, 0);
        assertEquals(1 + PortInputNode.ERROR_VNET_GSO_TYPE, read(head));
        cache.free(head);
    }

    @Test
    void shouldTakeUdpSegmentationOffload()
    {
        final int head = frame();
        header(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_UDP_L4, 42, 1400, 34, 6); // VIRTIO_NET_HDR_GSO_UDP_L4
        assertEquals(0, read(head));
        assertEquals(BufferPool.FLAG_GSO, pool.flags[head] & BufferPool.FLAG_GSO);
        assertEquals(BufferPool.GSO_UDP_L4, pool.gsoType[head]);
        assertEquals(1400, pool.gsoSize[head]);
        cache.free(head);
    }

    @Test
    void shouldRejectAChecksumStartOrOffsetBeyondTheFrame()
    {
        final int bi = cache.alloc();
        pool.length[bi] = 60;
        header(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 50, 16);
        assertEquals(1 + PortInputNode.ERROR_VNET_CSUM, VirtioNetHeader.read(hdr, 0, pool, bi, 60));
        header(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 65000, 0);
        assertEquals(1 + PortInputNode.ERROR_VNET_CSUM, VirtioNetHeader.read(hdr, 0, pool, bi, 60));
        header(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 34, 6);
        assertEquals(0, VirtioNetHeader.read(hdr, 0, pool, bi, 60), "a UDP checksum at 40 fits a 60-byte frame");
        cache.free(bi);
    }

    @Test
    void shouldRejectAHeaderLengthLargerThanTheFrame()
    {
        final int head = frame();
        header(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_TCP4, 9001, 1448, 34, 16);
        assertEquals(1 + PortInputNode.ERROR_VNET_HDR_LEN, read(head));
        cache.free(head);
        assertEquals(0, pool.used());
    }

    /**
     * Random headers against random frames (a property check in the spirit of the fuzz harnesses): every header is
     * either refused with one of the reasons or gives metadata that lies inside the frame, and freeing the frame
     * gives every buffer back.
     */
    @Test
    void shouldRefuseOrKeepTheMetadataInsideTheFrameForAnyHeader()
    {
        final java.util.Random random = new java.util.Random(1313);
        for (int round = 0; round < 20_000; round++)
        {
            final int frameLength = 14 + random.nextInt(20_000);
            final int head = cache.alloc();
            pool.length[head] = Math.min(frameLength, 2048);
            int tail = head;
            for (int left = frameLength - 2048; left > 0; left -= 2048)
            {
                final int bi = cache.alloc();
                pool.length[bi] = Math.min(left, 2048);
                pool.append(head, tail, bi);
                tail = bi;
            }
            final int small = random.nextInt(4);
            header(random.nextInt(4), random.nextBoolean() ? random.nextInt(256) : random.nextInt(6),
                small == 0 ? random.nextInt(65536) : random.nextInt(200), small == 1 ? 0 : random.nextInt(65536),
                small == 2 ? random.nextInt(65536) : random.nextInt(100), random.nextInt(small == 3 ? 65536 : 40));
            final int result = VirtioNetHeader.read(hdr, 0, pool, head, frameLength);
            if (result == 0)
            {
                final int f = pool.flags[head];
                if ((f & BufferPool.FLAG_CSUM_PARTIAL) != 0)
                {
                    assertTrue(pool.csumStart[head] - pool.start[head] + pool.csumOffset[head] + 2 <= pool.length[head]);
                }
                if ((f & BufferPool.FLAG_GSO) != 0)
                {
                    assertTrue(pool.gsoSize[head] > 0);
                    final int type = pool.gsoType[head] & ~BufferPool.GSO_ECN;
                    assertTrue(type == BufferPool.GSO_TCP4 || type == BufferPool.GSO_TCP6 || type == BufferPool.GSO_UDP
                        || type == BufferPool.GSO_UDP_L4);
                }
                assertTrue((hdr.getShort(2) & 0xffff) <= frameLength);
            }
            else
            {
                assertTrue(result >= 1 + PortInputNode.ERROR_VNET_GSO_SIZE && result <= 1 + PortInputNode.ERROR_VNET_HDR_LEN,
                    "a vnet-header reason: " + result);
            }
            cache.free(head);
        }
        assertEquals(0, pool.used());
    }
}
