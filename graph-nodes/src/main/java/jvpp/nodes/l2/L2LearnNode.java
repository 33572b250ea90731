package jvpp.nodes.l2;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.MacAddress;

/**
 * {@code l2-learn}: learns each frame's source MAC on its rx interface in its bridge domain (index in the
 * opaque slot, from l2-input): a new MAC is added, a known one is refreshed, and one seen on another interface
 * moves there. A static entry is never changed by learning: a frame whose source MAC is static on another
 * interface is dropped (VPP's MAC move violation). Multicast, broadcast and all-zero sources are never
 * learned. Then to l2-fwd.
 *
 * <p>Thread: any thread running the graph; inserts take the table's monitor (uncontended, no allocation).
 */
public final class L2LearnNode extends Node
{
    public static final String NAME = "l2-learn";
    static final int NEXT_DROP = 0;
    static final int NEXT_FWD = 1;
    public static final int ERROR_PACKETS = 0;
    public static final int ERROR_HIT = 1;
    public static final int ERROR_LEARNED = 2;
    public static final int ERROR_MOVED = 3;
    public static final int ERROR_FULL = 4;
    public static final int ERROR_STATIC_MOVE = 5;
    public static final List<String> ERRORS = List.of("L2 learn packets", "L2 learn hits", "L2 new MAC learned",
        "L2 MAC moved", "L2 MAC table full", "L2 static MAC move violation");

    private final L2Fib fib;
    private final int[] nexts = new int[Frame.SIZE];

    private L2LearnNode(final BridgeDomains bds)
    {
        this.fib = bds.fib();
    }

    public static NodeRegistration registration(final BridgeDomains bds)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", L2FwdNode.NAME), ERRORS,
            () -> new L2LearnNode(bds));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] start = bStart;
        final int[] rx = bRxIf;
        final int[] opaque = bOpaque;
        final int[] error = pool.error;
        final long now = System.nanoTime();
        long hits = 0;
        long learned = 0;
        long moved = 0;
        long full = 0;
        long lastKey = 0;
        int lastSw = -1;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final long mac = EthernetFlyweight.src(mem, start[bi]);
            final int sw = rx[bi];
            nexts[i] = NEXT_FWD;
            final long key = L2Fib.key(opaque[bi], mac);
            if (mac == 0 || MacAddress.isMulticast(mac))
            {
                // Names no station (l2-input drops these; kept here so that nothing else can teach them).
                continue;
            }
            if (key == lastKey && sw == lastSw)
            {
                // A burst from one host: the first frame refreshed the entry for all of them.
                hits++;
                continue;
            }
            final int slot = fib.find(key);
            if (slot < 0)
            {
                if (fib.insert(key, sw, now, false) < 0)
                {
                    full++;
                    continue;
                }
                learned++;
            }
            else if (fib.swIfIndex(slot) == sw)
            {
                fib.refresh(slot, now);
                hits++;
            }
            else if (fib.isStatic(slot))
            {
                error[bi] = errorBase + ERROR_STATIC_MOVE;
                nexts[i] = NEXT_DROP;
                continue;
            }
            else
            {
                fib.touch(slot, sw, now);
                moved++;
            }
            lastKey = key;
            lastSw = sw;
        }
        count(ERROR_PACKETS, n);
        count(ERROR_HIT, hits);
        count(ERROR_LEARNED, learned);
        count(ERROR_MOVED, moved);
        count(ERROR_FULL, full);
        enqueueToNext(bufs, nexts, n);
        return n;
    }
}
