package jvpp.nodes.handoff;

import java.nio.ByteBuffer;

import jvpp.core.Jvpp;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The rings that carry buffer indices between threads: one single-producer single-consumer Agrona ring per
 * (from, to) pair of threads, each message a run of buffer indices (up to a frame), never packet bytes.
 *
 * <p>Thread: ring (f, t) is written only by thread f and read only by thread t.
 */
public final class WorkerHandoff
{
    static final int MSG = 1;
    private static final int RING_BYTES = 1 << 18;

    private final int threads;
    private final OneToOneRingBuffer[][] rings;

    public WorkerHandoff(final Jvpp vpp)
    {
        this.threads = vpp.dispatchers().size();
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

    OneToOneRingBuffer ring(final int from, final int to)
    {
        return rings[from][to];
    }
}
