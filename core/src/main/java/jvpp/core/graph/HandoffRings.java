package jvpp.core.graph;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import jvpp.core.thread.Waiter;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The rings that carry buffer indices between threads: one single-producer single-consumer Agrona ring per
 * (from, to) pair of threads, each message an arc of {@code handoff-input} followed by a run of buffer indices
 * (up to a frame), never packet bytes. Worker handoff (spreading a single-queue port's flows) and tx handoff
 * (a thread without a tx queue of its own giving its frame to the thread that owns one) both use them.
 *
 * <p>A receiver that sleeps ({@link Waiter}) is woken by the sender: after a write, a full fence, then the
 * receiver's sleeping flag (it raised its flag before looking at the rings a last time).
 *
 * <p>Thread: ring (f, t) is written only by thread f and read only by thread t.
 */
public final class HandoffRings
{
    static final int MSG = 1;
    /** Bytes of scratch a sender needs for a full frame. */
    public static final int SCRATCH_BYTES = 4 + Frame.SIZE * 4;
    private static final int RING_BYTES = 1 << 18;

    private final int threads;
    private final OneToOneRingBuffer[][] rings;
    private final Waiter[] waiters;

    /** Rings between the threads whose waiters these are, thread t's at index t. */
    public HandoffRings(final Waiter[] waiters)
    {
        this.threads = waiters.length;
        this.waiters = waiters.clone();
        this.rings = new OneToOneRingBuffer[threads][threads];
        for (int f = 0; f < threads; f++)
        {
            for (int t = 0; t < threads; t++)
            {
                if (f != t)
                {
                    rings[f][t] = new OneToOneRingBuffer(
                        new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
                }
            }
        }
    }

    public int threads()
    {
        return threads;
    }

    /**
     * Hand {@code n} buffers from {@code bufs} to thread {@code to}, for {@code handoff-input}'s arc {@code arc}
     * there; false when the ring is full (the caller still owns them). {@code scratch} holds 4 + 4 * n bytes.
     * Thread: {@code from}.
     */
    public boolean send(final int from, final int to, final int arc, final int[] bufs, final int offset, final int n,
        final UnsafeBuffer scratch)
    {
        scratch.putInt(0, arc);
        for (int i = 0; i < n; i++)
        {
            scratch.putInt(4 + i * 4, bufs[offset + i]);
        }
        if (!rings[from][to].write(MSG, scratch, 0, 4 + n * 4))
        {
            return false;
        }
        VarHandle.fullFence();
        waiters[to].wakeIfSleeping();
        return true;
    }

    OneToOneRingBuffer ring(final int from, final int to)
    {
        return rings[from][to];
    }
}
