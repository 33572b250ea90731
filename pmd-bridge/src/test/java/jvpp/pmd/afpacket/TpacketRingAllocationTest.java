package jvpp.pmd.afpacket;

import static jvpp.pmd.afpacket.TpacketRing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.pmd.VirtioNetHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hot-path rule for the host-interface's GSO and chain path: receiving a GSO frame from a ring frame into a
 * chain, a tagged super-frame queued whole on the socket into a chain, and transmitting both (one into a TX frame
 * behind its vnet header, one written whole) allocate nothing per packet. The test plays the kernel with a fake ring
 * and a socket that allocates nothing either. No root.
 */
class TpacketRingAllocationTest
{
    private static final int ROUNDS = 50_000;
    private static final int FRAME = 1024;
    private static final int FRAMES = 8;
    private static final int WHOLE = 3000;

    private final BufferArena arena = BufferArena.allocate(64, 256, false);
    private final BufferPool pool = new BufferPool("test", 0, 0, arena);
    private final BufferCache cache = pool.newCache("test");
    private final UnsafeBuffer rxMem = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME * FRAMES));
    private final UnsafeBuffer txMem = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME * FRAMES));
    private final Socket socket = new Socket();
    private final TpacketRing rx = new TpacketRing(rxMem, FRAME, FRAMES, true, socket);
    private final TpacketRing tx = new TpacketRing(txMem, FRAME, FRAMES, true, socket);
    private final int[] bufs = new int[8];

    /** Reads the same queued frame every time; writes by summing what the iovecs hold; through one view. */
    private static final class Socket implements TpacketRing.Socket
    {
        final UnsafeBuffer queued = new UnsafeBuffer(new byte[VirtioNetHeader.SIZE_BASE + WHOLE]);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        long written;

        @Override
        public long readv(final long iov, final int count)
        {
            int at = 0;
            for (int i = 0; i < count && at < queued.capacity(); i++)
            {
                view.wrap(iov + i * 16L, 16);
                final long to = view.getLong(0);
                final int k = (int)Math.min(view.getLong(8), queued.capacity() - at);
                view.wrap(to, Math.max(k, 1));
                queued.getBytes(at, view, 0, k);
                at += k;
            }
            return at;
        }

        @Override
        public long writev(final long iov, final int count)
        {
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                view.wrap(iov + i * 16L, 16);
                sum += view.getLong(8);
            }
            written += sum;
            return sum;
        }

        @Override
        public void kick()
        {
            // The kernel's send: done below by handing the TX frames back.
        }
    }

    @AfterEach
    void close()
    {
        cache.close();
        arena.close();
    }

    private static void putVnet(final UnsafeBuffer to, final int at)
    {
        to.putByte(at, (byte)VirtioNetHeader.F_NEEDS_CSUM);
        to.putByte(at + 1, (byte)BufferPool.GSO_TCP4);
        to.putShort(at + 2, (short)54);
        to.putShort(at + 4, (short)1448);
        to.putShort(at + 6, (short)34);
        to.putShort(at + 8, (short)16);
    }

    /** Kernel side: a 900-byte GSO frame in ring frame {@code index}, then a tagged 3000-byte one queued whole. */
    private void kernelRx(final int index)
    {
        final int f = rx.frameOffset(index);
        final int mac = 80;
        putVnet(rxMem, f + mac - VirtioNetHeader.SIZE_BASE);
        rxMem.putShort(f + OFF_MAC, (short)mac);
        rxMem.putInt(f + OFF_SNAPLEN, 900);
        rxMem.putInt(f + OFF_LEN, 900);
        rxMem.putIntVolatile(f + OFF_STATUS, TP_STATUS_USER);
        final int g = rx.frameOffset(index + 1);
        rxMem.putShort(g + OFF_MAC, (short)mac);
        rxMem.putInt(g + OFF_SNAPLEN, FRAME - mac);
        rxMem.putInt(g + OFF_LEN, WHOLE);
        rxMem.putShort(g + OFF_VLAN_TCI, (short)100);
        rxMem.putIntVolatile(g + OFF_STATUS, TP_STATUS_USER | TP_STATUS_COPY | TP_STATUS_VLAN_VALID);
    }

    private void round()
    {
        kernelRx(rx.head());
        assertEquals(2, rx.receive(cache, bufs, 0, 8));
        assertEquals(2, tx.transmit(cache, bufs, 0, 2));
        // The kernel sent the TX frame.
        txMem.putIntVolatile(tx.frameOffset(tx.head() - 1), TP_STATUS_AVAILABLE);
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean())
            .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void shouldAllocateNothingPerPacketReceivingAndSendingGsoChains()
    {
        putVnet(socket.queued, 0);
        for (int i = 0; i < ROUNDS; i++)
        {
            round();
        }
        final long before = allocatedBytes();
        for (int i = 0; i < ROUNDS; i++)
        {
            round();
        }
        final long after = allocatedBytes();
        final long bytes = Math.max(0, after - before - (allocatedBytes() - after));
        System.out.printf("allocated %d bytes over %d packets%n", bytes, 4L * ROUNDS);
        assertTrue(bytes <= 1024, "bytes allocated over " + 4 * ROUNDS + " packets: " + bytes);
        assertEquals(2L * ROUNDS * (VirtioNetHeader.SIZE_BASE + WHOLE + 4), socket.written, "every super-frame written whole");
        assertEquals(2L * ROUNDS, rx.wholeFrames);
        cache.flush();
        assertEquals(0, pool.used(), "every buffer back");
    }
}
