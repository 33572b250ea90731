package jvpp.pmd.afpacket;

import static jvpp.pmd.afpacket.TpacketRing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.VirtioNetHeader;
import jvpp.pmd.sys.NetLibC;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ring walk against a fake ring and a fake socket behind it: the test plays the kernel. No root needed. */
class TpacketRingTest
{
    private static final int FRAME = 256;
    private static final int FRAMES = 8;

    private BufferArena arena;
    private BufferPool pool;
    private BufferCache cache;
    private UnsafeBuffer mem;
    private TpacketRing ring;
    private final int[] bufs = new int[64];

    @BeforeEach
    void setUp()
    {
        arena = BufferArena.allocate(16, 256, false);
        pool = new BufferPool("test", 0, 0, arena);
        cache = pool.newCache("test");
        mem = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME * FRAMES));
        ring = new TpacketRing(mem, FRAME, FRAMES);
    }

    @AfterEach
    void tearDown()
    {
        cache.close();
        arena.close();
    }

    /** Kernel side: put a received frame of {@code len} bytes (byte i = seed + i) into ring frame {@code index}. */
    private void kernelRx(final int index, final int len, final int seed, final int status)
    {
        kernelRx(ring, index, 64, len, len, seed, status);
    }

    /** Kernel side: {@code len} of {@code tpLen} bytes at {@code mac} in frame {@code index} of {@code r}. */
    private void kernelRx(final TpacketRing r, final int index, final int mac, final int len, final int tpLen,
        final int seed, final int status)
    {
        final int f = r.frameOffset(index);
        mem.putShort(f + OFF_MAC, (short)mac);
        mem.putInt(f + OFF_SNAPLEN, len);
        mem.putInt(f + OFF_LEN, tpLen);
        mem.putByte(f + OFF_PKTTYPE, (byte)0);
        for (int i = 0; i < len; i++)
        {
            mem.putByte(f + mac + i, (byte)(seed + i));
        }
        mem.putIntVolatile(f + OFF_STATUS, status);
    }

    private int status(final int index)
    {
        return mem.getIntVolatile(ring.frameOffset(index));
    }

    @Test
    void shouldReceiveUserFramesAndHandThemBackToTheKernelWhenTheRingHasData()
    {
        kernelRx(0, 60, 1, TP_STATUS_USER);
        kernelRx(1, 70, 2, TP_STATUS_USER | TP_STATUS_COPY);
        assertEquals(2, ring.receive(cache, bufs, 0, 64));
        assertEquals(60, pool.length[bufs[0]]);
        assertEquals(70, pool.length[bufs[1]]);
        assertEquals(1, pool.memory().getByte(pool.start[bufs[0]]));
        assertEquals(2 + 69, pool.memory().getByte(pool.start[bufs[1]] + 69));
        assertEquals(TP_STATUS_KERNEL, status(0));
        assertEquals(TP_STATUS_KERNEL, status(1));
        assertEquals(2, ring.head());
        assertEquals(0, ring.receive(cache, bufs, 0, 64), "nothing more until the kernel hands a frame over");
        cache.free(bufs, 0, 2);
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldWrapTheHeadAroundTheEndOfTheRingWhenFramesKeepComing()
    {
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                kernelRx(ring.head() + i, 60, round * 10 + i, TP_STATUS_USER);
            }
            assertEquals(5, ring.receive(cache, bufs, 0, 64));
            for (int i = 0; i < 5; i++)
            {
                assertEquals((byte)(round * 10 + i), pool.memory().getByte(pool.start[bufs[i]]));
            }
            cache.free(bufs, 0, 5);
        }
        assertEquals(15 % FRAMES, ring.head());
        assertEquals(3, ring.frameOffset(11) / FRAME);
    }

    @Test
    void shouldStopAtMaxAndResumeThereWhenTheBurstIsSmall()
    {
        for (int i = 0; i < 4; i++)
        {
            kernelRx(i, 60, i, TP_STATUS_USER);
        }
        assertEquals(3, ring.receive(cache, bufs, 0, 3));
        assertEquals(TP_STATUS_USER, status(3));
        assertEquals(1, ring.receive(cache, bufs, 3, 3));
        assertEquals(3, pool.memory().getByte(pool.start[bufs[3]]));
        cache.free(bufs, 0, 4);
    }

    @Test
    void shouldPutTheVlanTagBackWhenTheKernelStrippedIt()
    {
        kernelRx(0, 60, 0, TP_STATUS_USER | TP_STATUS_VLAN_VALID);
        mem.putShort(OFF_VLAN_TCI, (short)0x2064);
        assertEquals(1, ring.receive(cache, bufs, 0, 1));
        final int s = pool.start[bufs[0]];
        assertEquals(64, pool.length[bufs[0]]);
        assertEquals(11, pool.memory().getByte(s + 11), "MACs first");
        assertEquals((short)0x8100, Short.reverseBytes(pool.memory().getShort(s + 12)));
        assertEquals((short)0x2064, Short.reverseBytes(pool.memory().getShort(s + 14)));
        assertEquals(12, pool.memory().getByte(s + 16), "then the rest of the frame");
        cache.free(bufs[0]);
    }

    @Test
    void shouldReportFramesCutByTheRingOrTooBigForABufferAsLongerThanABuffer()
    {
        kernelRx(0, 100, 1, TP_STATUS_USER);
        mem.putInt(ring.frameOffset(0) + OFF_LEN, 1500);            // the ring kept 100 of 1500 bytes
        kernelRx(1, 190, 2, TP_STATUS_USER);
        kernelRx(2, 60, 3, TP_STATUS_USER);
        assertEquals(3, ring.receive(cache, bufs, 0, 64));
        assertEquals(1500, pool.length[bufs[0]], "its whole length: the input node drops it");
        assertEquals(190, pool.length[bufs[1]], "fits a 256-byte buffer");
        assertEquals(60, pool.length[bufs[2]]);
        assertEquals(1, ring.truncated);
        assertEquals(TP_STATUS_KERNEL, status(0));
        cache.free(bufs, 0, 3);
    }

    @Test
    void shouldSkipFramesThisHostSentWhenTheyShowUpAsOutgoing()
    {
        kernelRx(0, 60, 0, TP_STATUS_USER);
        mem.putByte(OFF_PKTTYPE, (byte)PACKET_OUTGOING);
        kernelRx(1, 60, 7, TP_STATUS_USER);
        assertEquals(1, ring.receive(cache, bufs, 0, 8));
        assertEquals(7, pool.memory().getByte(pool.start[bufs[0]]));
        assertEquals(TP_STATUS_KERNEL, status(0));
        cache.free(bufs[0]);
    }

    @Test
    void shouldLeaveTheFrameInTheRingWhenNoBufferIsFree()
    {
        final int[] all = new int[16];
        assertEquals(16, cache.alloc(all, 0, 16));
        kernelRx(0, 60, 0, TP_STATUS_USER);
        assertEquals(0, ring.receive(cache, bufs, 0, 8));
        assertEquals(TP_STATUS_USER, status(0));
        assertEquals(1, ring.noBuffer);
        cache.free(all, 0, 16);
        assertEquals(1, ring.receive(cache, bufs, 0, 8));
        cache.free(bufs[0]);
    }

    @Test
    void shouldFillTxFramesAndStopWhenTheRingIsFull()
    {
        final int[] tx = new int[10];
        assertEquals(10, cache.alloc(tx, 0, 10));
        for (int i = 0; i < 10; i++)
        {
            pool.length[tx[i]] = 60 + i;
            pool.memory().putByte(pool.start[tx[i]], (byte)i);
        }
        assertEquals(FRAMES, ring.transmit(cache, tx, 0, 10));
        for (int i = 0; i < FRAMES; i++)
        {
            final int f = ring.frameOffset(i);
            assertEquals(TP_STATUS_SEND_REQUEST, status(i));
            assertEquals(60 + i, mem.getInt(f + OFF_LEN));
            assertEquals(i, mem.getByte(f + TX_DATA_OFFSET));
        }
        assertEquals(8, ring.pendingTx());
        assertEquals(0, ring.transmit(cache, tx, FRAMES, 2), "ring full");
        mem.putIntVolatile(ring.frameOffset(0), TP_STATUS_AVAILABLE); // the kernel sent frame 0
        assertEquals(1, ring.transmit(cache, tx, FRAMES, 2));
        assertEquals(68, mem.getInt(OFF_LEN));
        cache.free(tx[9]);
        cache.flush();
        assertEquals(0, pool.used(), "every buffer the ring took was freed");
    }

    @Test
    void shouldDropAndFreeWhenABufferDoesNotFitATxFrame()
    {
        final int bi = cache.alloc();
        pool.length[bi] = FRAME;
        assertEquals(1, ring.transmit(cache, new int[] {bi}, 0, 1));
        assertEquals(TP_STATUS_AVAILABLE, status(0));
        assertEquals(1, ring.truncated);
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldRejectRingGeometryTheKernelWouldRefuse()
    {
        assertThrows(IllegalArgumentException.class, () -> new TpacketRing(mem, FRAME, 6));
        assertThrows(IllegalArgumentException.class, () -> new TpacketRing(mem, 250, 4));
        assertThrows(IllegalArgumentException.class, () -> new TpacketRing(mem, FRAME, 16));
    }

    /** The socket behind a ring, played by the test: frames "queued whole" for readv, what writev and kick got. */
    private static final class FakeSocket implements TpacketRing.Socket
    {
        final java.util.ArrayDeque<byte[]> queued = new java.util.ArrayDeque<>();
        final java.util.List<byte[]> written = new java.util.ArrayList<>();
        final java.util.List<String> calls = new java.util.ArrayList<>();
        long writeResult;

        @Override
        public long readv(final long iov, final int count)
        {
            calls.add("readv");
            final byte[] frame = queued.poll();
            if (frame == null)
            {
                return -NetLibC.EAGAIN;
            }
            int at = 0;
            for (int i = 0; i < count && at < frame.length; i++)
            {
                final UnsafeBuffer v = new UnsafeBuffer(iov + i * 16L, 16);
                final int k = (int)Math.min(v.getLong(8), frame.length - at);
                new UnsafeBuffer(v.getLong(0), k).putBytes(0, frame, at, k);
                at += k;
            }
            return at;
        }

        @Override
        public long writev(final long iov, final int count)
        {
            calls.add("writev");
            if (writeResult < 0)
            {
                return writeResult;
            }
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < count; i++)
            {
                final UnsafeBuffer v = new UnsafeBuffer(iov + i * 16L, 16);
                final byte[] part = new byte[(int)v.getLong(8)];
                new UnsafeBuffer(v.getLong(0), part.length).getBytes(0, part);
                out.write(part, 0, part.length);
            }
            written.add(out.toByteArray());
            return out.size();
        }

        @Override
        public void kick()
        {
            calls.add("kick");
        }
    }

    /** A 10-byte virtio-net header: flags, gso type, hdr_len, gso size, csum start and offset. */
    private static byte[] vnet(final int flags, final int gsoType, final int hdrLen, final int gsoSize,
        final int csumStart, final int csumOffset)
    {
        final UnsafeBuffer h = new UnsafeBuffer(new byte[VirtioNetHeader.SIZE_BASE]);
        h.putByte(0, (byte)flags);
        h.putByte(1, (byte)gsoType);
        h.putShort(2, (short)hdrLen);
        h.putShort(4, (short)gsoSize);
        h.putShort(6, (short)csumStart);
        h.putShort(8, (short)csumOffset);
        return h.byteArray();
    }

    /** A ring of 1024-byte frames with virtio-net headers over {@code socket}, on the same 256-byte buffers. */
    private TpacketRing vnetRing(final FakeSocket socket)
    {
        mem = new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * FRAMES));
        return new TpacketRing(mem, 1024, FRAMES, true, socket);
    }

    /** Kernel side with a vnet header right before tp_mac: {@code len} bytes (byte i = seed + i). */
    private void kernelRxVnet(final TpacketRing r, final int index, final int len, final int tpLen, final int seed,
        final int status, final byte[] hdr)
    {
        final int mac = 80;
        mem.putBytes(r.frameOffset(index) + mac - hdr.length, hdr);
        kernelRx(r, index, mac, len, tpLen, seed, status);
    }

    /** The bytes of the chain headed by {@code head}, in order. */
    private byte[] chainBytes(final int head)
    {
        final byte[] out = new byte[pool.totalLength(head)];
        int at = 0;
        for (int b = head; b >= 0; b = pool.next(b))
        {
            pool.memory().getBytes(pool.start[b], out, at, pool.length[b]);
            at += pool.length[b];
        }
        return out;
    }

    @Test
    void shouldTurnTheVnetHeaderIntoGsoAndPartialChecksumMetadataAndChainAFrameLongerThanABuffer()
    {
        final TpacketRing r = vnetRing(new FakeSocket());
        kernelRxVnet(r, 0, 900, 900, 3, TP_STATUS_USER | TP_STATUS_CSUMNOTREADY,
            vnet(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_TCP4, 66, 1448, 34, 16));
        assertEquals(1, r.receive(cache, bufs, 0, 8));
        final int head = bufs[0];
        assertEquals(0, pool.error[head]);
        assertEquals(900, pool.totalLength(head));
        assertEquals(4, pool.chainCount(head), "900 bytes in 256-byte buffers");
        final byte[] got = chainBytes(head);
        for (int i = 0; i < 900; i++)
        {
            assertEquals((byte)(3 + i), got[i], "byte " + i);
        }
        assertTrue((pool.flags[head] & BufferPool.FLAG_GSO) != 0);
        assertEquals(1448, pool.gsoSize[head]);
        assertEquals(BufferPool.GSO_TCP4, pool.gsoType[head]);
        assertTrue((pool.flags[head] & BufferPool.FLAG_CSUM_PARTIAL) != 0, "left partial, not completed here");
        assertEquals(pool.start[head] + 34, pool.csumStart[head]);
        assertEquals(16, pool.csumOffset[head]);
        assertEquals(0, r.checksumsCompleted());
        cache.free(head);
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldMarkEachBadVnetHeaderWithItsOwnReason()
    {
        final TpacketRing r = vnetRing(new FakeSocket());
        kernelRxVnet(r, 0, 200, 200, 0, TP_STATUS_USER, vnet(1, BufferPool.GSO_TCP4, 54, 0, 34, 16));
        kernelRxVnet(r, 1, 200, 200, 0, TP_STATUS_USER, vnet(1, 0, 54, 0, 190, 16));
        kernelRxVnet(r, 2, 200, 200, 0, TP_STATUS_USER, vnet(0, 0, 400, 0, 0, 0));
        kernelRxVnet(r, 3, 200, 200, 0, TP_STATUS_USER, vnet(1, 2, 54, 1448, 34, 16));
        assertEquals(4, r.receive(cache, bufs, 0, 8));
        assertEquals(1 + PortInputNode.ERROR_VNET_GSO_SIZE, pool.error[bufs[0]]);
        assertEquals(1 + PortInputNode.ERROR_VNET_CSUM, pool.error[bufs[1]]);
        assertEquals(1 + PortInputNode.ERROR_VNET_HDR_LEN, pool.error[bufs[2]]);
        assertEquals(1 + PortInputNode.ERROR_VNET_GSO_TYPE, pool.error[bufs[3]]);
        cache.free(bufs, 0, 4);
        cache.flush();
        assertEquals(0, pool.used(), "each marked frame is handed on whole, for the input node to drop");
    }

    @Test
    void shouldReadAFrameQueuedWholeIntoAChainWithItsVlanTagPutBack()
    {
        final FakeSocket socket = new FakeSocket();
        final TpacketRing r = vnetRing(socket);
        final byte[] whole = new byte[VirtioNetHeader.SIZE_BASE + 3000];
        System.arraycopy(vnet(VirtioNetHeader.F_NEEDS_CSUM, BufferPool.GSO_TCP4, 54, 1448, 34, 16), 0, whole, 0,
            VirtioNetHeader.SIZE_BASE);
        for (int i = 0; i < 3000; i++)
        {
            whole[VirtioNetHeader.SIZE_BASE + i] = (byte)(7 + i);
        }
        socket.queued.add(whole);
        // The ring kept the first bytes; the kernel queued all 3000 on the socket.
        kernelRxVnet(r, 0, 900, 3000, 7, TP_STATUS_USER | TP_STATUS_COPY | TP_STATUS_VLAN_VALID,
            vnet(0, 0, 0, 0, 0, 0));
        mem.putShort(r.frameOffset(0) + OFF_VLAN_TCI, (short)0x0064);
        kernelRxVnet(r, 1, 60, 60, 1, TP_STATUS_USER, vnet(0, 0, 0, 0, 0, 0));
        assertEquals(2, r.receive(cache, bufs, 0, 8));
        final int head = bufs[0];
        assertEquals(0, pool.error[head]);
        assertEquals(3004, pool.totalLength(head), "the frame and its tag");
        final byte[] got = chainBytes(head);
        assertEquals((byte)(7 + 11), got[11], "MACs first");
        assertEquals((byte)0x81, got[12]);
        assertEquals((byte)0x64, got[15]);
        for (int i = 12; i < 3000; i++)
        {
            assertEquals((byte)(7 + i), got[i + 4], "byte " + i);
        }
        assertEquals(1448, pool.gsoSize[head], "the header read with the frame, not the ring's");
        assertEquals(pool.start[head] + 34 + 4, pool.csumStart[head], "moved by the tag put back");
        assertEquals(60, pool.totalLength(bufs[1]), "the next ring frame as usual");
        assertEquals(1, r.wholeFrames);
        assertEquals(0, socket.queued.size());
        cache.free(bufs, 0, 2);
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldDropAFrameQueuedWholeThatIsLongerThanAChainOrDidNotComeAndTakeItOffTheSocket()
    {
        final FakeSocket socket = new FakeSocket();
        final TpacketRing r = vnetRing(socket);
        socket.queued.add(new byte[10 + 70_000]);
        kernelRxVnet(r, 0, 900, 70_000, 0, TP_STATUS_USER | TP_STATUS_COPY, vnet(0, 0, 0, 0, 0, 0));
        kernelRxVnet(r, 1, 900, 2000, 0, TP_STATUS_USER | TP_STATUS_COPY, vnet(0, 0, 0, 0, 0, 0));
        assertEquals(2, r.receive(cache, bufs, 0, 8));
        assertEquals(1 + PortInputNode.ERROR_CHAIN_TOO_LONG, pool.error[bufs[0]]);
        assertEquals(0, socket.queued.size(), "taken off the socket all the same");
        assertEquals(1 + PortInputNode.ERROR_OVERSIZE, pool.error[bufs[1]], "the read brought nothing");
        assertEquals(java.util.List.of("readv", "readv"), socket.calls);
        cache.free(bufs, 0, 2);
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldLeaveAFrameInTheRingWhenThePoolCannotGiveItsWholeChain()
    {
        final TpacketRing r = vnetRing(new FakeSocket());
        final int[] all = new int[14];
        assertEquals(14, cache.alloc(all, 0, 14));
        kernelRxVnet(r, 0, 900, 900, 0, TP_STATUS_USER, vnet(0, 0, 0, 0, 0, 0));
        assertEquals(0, r.receive(cache, bufs, 0, 8), "4 buffers needed, 2 free");
        assertEquals(TP_STATUS_USER, mem.getIntVolatile(r.frameOffset(0)));
        assertEquals(1, r.noBuffer);
        assertEquals(14, pool.used(), "the 2 it took went back");
        cache.free(all, 0, 14);
        assertEquals(1, r.receive(cache, bufs, 0, 8));
        cache.free(bufs[0]);
        cache.flush();
        assertEquals(0, pool.used());
    }

    /** A packet of {@code len} bytes (byte i = seed + i) in a chain of 256-byte buffers. */
    private int chain(final int len, final int seed)
    {
        final int head = cache.alloc();
        int tail = head;
        for (int at = 0; at < len; at += 256)
        {
            final int bi = at == 0 ? head : cache.alloc();
            pool.length[bi] = Math.min(256, len - at);
            for (int i = 0; i < pool.length[bi]; i++)
            {
                pool.memory().putByte(pool.start[bi] + i, (byte)(seed + at + i));
            }
            if (bi != head)
            {
                pool.append(head, tail, bi);
                tail = bi;
            }
        }
        return head;
    }

    @Test
    void shouldCopyAChainIntoATxFrameBehindItsVnetHeaderAndWriteALongerOneWholeAfterAKick()
    {
        final FakeSocket socket = new FakeSocket();
        final TpacketRing r = vnetRing(socket);
        final int small = chain(700, 1);
        pool.flags[small] |= BufferPool.FLAG_CSUM_PARTIAL;
        pool.csumStart[small] = pool.start[small] + 34;
        pool.csumOffset[small] = 16;
        final int big = chain(3000, 2);
        pool.flags[big] |= BufferPool.FLAG_GSO | BufferPool.FLAG_CSUM_PARTIAL;
        pool.gsoType[big] = BufferPool.GSO_TCP4;
        pool.gsoSize[big] = 1448;
        pool.csumStart[big] = pool.start[big] + 34;
        pool.csumOffset[big] = 16;
        final int after = chain(60, 3);
        assertEquals(3, r.transmit(cache, new int[] {small, big, after}, 0, 3));
        final int f = r.frameOffset(0);
        assertEquals(TP_STATUS_SEND_REQUEST, mem.getIntVolatile(f));
        assertEquals(VirtioNetHeader.SIZE_BASE + 700, mem.getInt(f + OFF_LEN), "tp_len counts the header");
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, mem.getByte(f + TX_DATA_OFFSET));
        assertEquals(34, mem.getShort(f + TX_DATA_OFFSET + 6));
        for (int i = 0; i < 700; i++)
        {
            assertEquals((byte)(1 + i), mem.getByte(f + TX_DATA_OFFSET + VirtioNetHeader.SIZE_BASE + i), "byte " + i);
        }
        assertEquals(java.util.List.of("kick", "writev", "kick"), socket.calls, "the frame before it left first");
        final UnsafeBuffer w = new UnsafeBuffer(socket.written.get(0));
        assertEquals(VirtioNetHeader.SIZE_BASE + 3000, w.capacity());
        assertEquals(BufferPool.GSO_TCP4, w.getByte(1));
        assertEquals(1448, w.getShort(4));
        assertEquals((byte)(2 + 2999), w.getByte(VirtioNetHeader.SIZE_BASE + 2999));
        assertEquals(VirtioNetHeader.SIZE_BASE + 60, mem.getInt(r.frameOffset(1) + OFF_LEN));
        assertEquals(1, r.wholeFrames);
        cache.flush();
        assertEquals(0, pool.used());
    }

    @Test
    void shouldStopAndLeaveThePacketWithTheCallerWhenTheSocketWouldBlock()
    {
        final FakeSocket socket = new FakeSocket();
        final TpacketRing r = vnetRing(socket);
        socket.writeResult = -NetLibC.EAGAIN;
        final int big = chain(3000, 0);
        assertEquals(0, r.transmit(cache, new int[] {big}, 0, 1));
        assertEquals(1, r.ringFull);
        socket.writeResult = -NetLibC.EINVAL;
        assertEquals(1, r.transmit(cache, new int[] {big}, 0, 1), "refused: taken and freed");
        assertEquals(1, r.refused);
        cache.flush();
        assertEquals(0, pool.used());
    }
}
