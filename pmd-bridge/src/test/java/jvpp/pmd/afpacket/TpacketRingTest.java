package jvpp.pmd.afpacket;

import static jvpp.pmd.afpacket.TpacketRing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ring walk against a fake ring: the test plays the kernel. No root needed. */
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
        final int f = ring.frameOffset(index);
        final int mac = 64;
        mem.putShort(f + OFF_MAC, (short)mac);
        mem.putInt(f + OFF_SNAPLEN, len);
        mem.putInt(f + OFF_LEN, len);
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
}
