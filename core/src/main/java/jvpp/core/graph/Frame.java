package jvpp.core.graph;

/**
 * A vector of up to {@link #SIZE} buffer indices on its way to one node. Frames are preallocated per
 * thread and recycled; nodes never keep a reference to a frame after processing it.
 *
 * <p>Thread: owned by the dispatcher of one thread.
 */
public final class Frame
{
    public static final int SIZE = 256;

    /** The buffer indices; valid entries are {@code [0, n)}. */
    public final int[] bufs = new int[SIZE];
    /** How many entries are valid. */
    public int n;
    Node target;

    public int space()
    {
        return SIZE - n;
    }
}
