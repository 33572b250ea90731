package jvpp.nodes.output;

import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;

/**
 * A node that cuts each packet into several (ip4-frag's fragments, gso's segments) and sends them on through one
 * arc, first to last: the loop, the drop and the two counts they share. A subclass writes the pieces of a packet
 * into {@link #pieces} and says how many, or why the packet is dropped.
 *
 * <p>Thread: any thread running the graph.
 */
public abstract class CuttingNode extends Node
{
    /** The pieces of the packet at hand, first to last. */
    protected final int[] pieces;
    /** The arena's data bytes per buffer: what one piece may hold. */
    protected int dataSize;
    /** What a piece keeps of its packet's buffer flags: not the chain, nor the offloads (no piece has them). */
    protected static final int KEPT_FLAGS = ~(BufferPool.FLAG_NEXT_PRESENT | BufferPool.FLAG_GSO
        | BufferPool.FLAG_CSUM_PARTIAL);
    /** Where the copy out of the packet's chain is: its buffer and the bytes of it already copied. */
    private int cursorBuffer;
    private int cursorSkip;
    private final int arc;
    private final int countCut;
    private final int countPieces;

    /**
     * @param maxPieces   the most pieces one packet can make
     * @param arc         the next node's arc for every piece
     * @param countCut    the counter of packets cut
     * @param countPieces the counter of pieces sent
     */
    protected CuttingNode(final int maxPieces, final int arc, final int countCut, final int countPieces)
    {
        this.pieces = new int[maxPieces];
        this.arc = arc;
        this.countCut = countCut;
        this.countPieces = countPieces;
    }

    /**
     * Cut {@code bi} into {@code pieces[0..result)}; returns how many, or {@code -(reason + 1)} when the packet must
     * be dropped under that reason (then nothing was changed or taken).
     */
    protected abstract int cut(int bi);

    /**
     * Start copying the packet {@code bi} out of its chain at {@code skip} bytes into its first buffer (at most that
     * buffer's length); {@link #copyNext} then copies on from there, so the chain is walked once per packet.
     */
    protected final void copyFrom(final int bi, final int skip)
    {
        cursorBuffer = bi;
        cursorSkip = skip;
    }

    /** Copy the chain's next {@code length} bytes (from the cursor on) to {@code to}, moving the cursor past them. */
    protected final void copyNext(final int to, final int length)
    {
        int b = cursorBuffer;
        int skip = cursorSkip;
        int done = 0;
        while (done < length)
        {
            if (skip == bLength[b])
            {
                b = pool.next(b);
                skip = 0;
                continue;
            }
            final int piece = Math.min(length - done, bLength[b] - skip);
            mem.putBytes(to + done, mem, bStart[b] + skip, piece);
            done += piece;
            skip += piece;
        }
        cursorBuffer = b;
        cursorSkip = skip;
    }

    @Override
    protected void onAttach()
    {
        dataSize = pool.arena().dataSize();
    }

    @Override
    public final int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int made = cut(bi);
            if (made < 0)
            {
                drop(bi, -made - 1);
                continue;
            }
            for (int k = 0; k < made; k++)
            {
                enqueue(arc, pieces[k]);
            }
            count(countCut, 1);
            count(countPieces, made);
        }
        return n;
    }
}
