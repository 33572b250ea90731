package jvpp.nodes.l2;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;

/**
 * {@code l2-flood}: sends a frame to every member of its bridge domain (index in the opaque slot) except the
 * interface it came in on and members of its own non-zero split-horizon group. Every recipient but the last
 * gets a copy in a buffer from this thread's cache (bytes and metadata copied); the last gets the original.
 * A copy the pool cannot supply is counted ("no buffer for flood") and that member goes without; a frame
 * with nobody to go to is dropped.
 *
 * <p>Thread: any thread running the graph.
 */
public final class L2FloodNode extends Node
{
    public static final String NAME = "l2-flood";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;
    public static final int ERROR_PACKETS = 0;
    public static final int ERROR_COPIES = 1;
    public static final int ERROR_NO_BUFFER = 2;
    public static final int ERROR_NO_MEMBERS = 3;
    public static final List<String> ERRORS = List.of("L2 flood packets", "L2 flood copies made",
        "no buffer for flood", "L2 flood: no other member");

    private final BridgeDomains bds;

    private L2FloodNode(final BridgeDomains bds)
    {
        this.bds = bds;
    }

    public static NodeRegistration registration(final BridgeDomains bds)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", L2OutputNode.NAME), ERRORS,
            () -> new L2FloodNode(bds));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[][] members = bds.members();
        final int[] shg = bds.shgBySwIf();
        final int[] rx = bRxIf;
        final int[] opaque = bOpaque;
        long copies = 0;
        long noBuffer = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int[] m = members[opaque[bi]];
            final int in = rx[bi];
            final int inShg = in >= 0 && in < shg.length ? shg[in] : 0;
            // The last recipient gets the original: find it first.
            int last = -1;
            for (int k = m.length - 1; k >= 0; k--)
            {
                if (recipient(m[k], in, inShg, shg))
                {
                    last = k;
                    break;
                }
            }
            if (last < 0)
            {
                drop(bi, ERROR_NO_MEMBERS);
                continue;
            }
            for (int k = 0; k < last; k++)
            {
                final int sw = m[k];
                if (!recipient(sw, in, inShg, shg))
                {
                    continue;
                }
                // The whole packet (every buffer of a chain) with its flags and offload state.
                final int c = buffers.copy(bi);
                if (c < 0)
                {
                    noBuffer++;
                    continue;
                }
                opaque[c] = sw;
                copies++;
                enqueue(NEXT_OUTPUT, c);
            }
            opaque[bi] = m[last];
            enqueue(NEXT_OUTPUT, bi);
        }
        count(ERROR_PACKETS, n);
        count(ERROR_COPIES, copies);
        count(ERROR_NO_BUFFER, noBuffer);
        return n;
    }

    private static boolean recipient(final int sw, final int in, final int inShg, final int[] shg)
    {
        return sw != in && (inShg == 0 || sw >= shg.length || shg[sw] != inShg);
    }
}
