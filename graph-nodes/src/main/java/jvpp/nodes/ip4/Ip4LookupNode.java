package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.ip4.fib.Ip4Fib;

/**
 * {@code ip4-lookup}: longest-prefix match of every destination in the frame at once (the trie is walked
 * one level at a time across the frame), then the load-balance picks the adjacency (by flow hash when it
 * has several buckets), which decides the next node. The adjacency index travels in the buffer's opaque
 * slot; for no route it is an ICMP destination-unreachable request for ip4-icmp-error.
 *
 * <p>Thread: any thread running the graph.
 */
public final class Ip4LookupNode extends Node
{
    public static final String NAME = "ip4-lookup";
    static final int NEXT_DROP = 0;
    static final int NEXT_REWRITE = 1;
    static final int NEXT_ARP = 2;
    static final int NEXT_LOCAL = 3;
    static final int NEXT_ICMP_ERROR = 4;
    /** Next node by adjacency kind: drop, unreachable, local, glean, incomplete, rewrite. */
    private static final int[] NEXT_BY_KIND = {NEXT_DROP, NEXT_ICMP_ERROR, NEXT_LOCAL, NEXT_ARP, NEXT_ARP, NEXT_REWRITE};

    public static final int ERROR_DROP_ROUTE = 0;
    public static final int ERROR_MULTICAST = 1;
    public static final int ERROR_CLASS_E = 2;
    public static final int ERROR_LIMITED_BROADCAST = 3;
    public static final int ERROR_ZERO = 4;
    public static final int ERROR_DIRECTED_BROADCAST = 5;
    public static final int ERROR_NETWORK_ADDRESS = 6;
    public static final List<String> ERRORS = List.of("ip4 drop route",
        "ip4 multicast destination (not routed)", "ip4 destination in 240.0.0.0/4 (reserved)",
        "ip4 destination 255.255.255.255 (limited broadcast, not routed)", "ip4 destination 0.0.0.0",
        "ip4 directed broadcast dropped (RFC 2644)", "ip4 destination is a subnet's network address");

    private final Ip4Main ip4;
    private final Ip4Fib fib;
    private final LoadBalances lbs;
    private final Adjacencies adjs;
    private final int[] dsts = new int[Frame.SIZE];
    private final int[] lbOut = new int[Frame.SIZE];
    private final int[] nexts = new int[Frame.SIZE];

    private Ip4LookupNode(final Ip4Main ip4)
    {
        this.ip4 = ip4;
        this.fib = ip4.fib();
        this.lbs = ip4.loadBalances();
        this.adjs = ip4.adjacencies();
    }

    public static NodeRegistration registration(final Ip4Main ip4)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", Ip4RewriteNode.NAME, Ip4ArpNode.NAME,
            Ip4LocalNode.NAME, Ip4IcmpErrorNode.NAME), ERRORS, () -> new Ip4LookupNode(ip4));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] start = bStart;
        for (int i = 0; i < n; i++)
        {
            dsts[i] = Ip4Flyweight.dst(mem, start[bufs[i]]);
        }
        fib.lookupBatch(dsts, lbOut, n);
        final int[] lbCount = lbs.count;
        final int[] lbFirst = lbs.first;
        final int[] adjType = adjs.type;
        final int[] opaque = bOpaque;
        final int[] error = pool.error;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int lb = lbOut[i];
            final int adj = lbCount[lb] == 1 ? lbFirst[lb] : lbs.pick(lb, Ip4Flyweight.flowHash(mem, start[bi]));
            final int next = NEXT_BY_KIND[adjType[adj]];
            nexts[i] = next;
            if (next == NEXT_ICMP_ERROR)
            {
                opaque[bi] = Ip4IcmpErrorNode.request(Ip4IcmpErrorNode.DEST_UNREACHABLE, 0, 0);
            }
            else
            {
                opaque[bi] = adj;
                if (next == NEXT_DROP)
                {
                    error[bi] = errorBase + dropReason(dsts[i]);
                }
            }
        }
        enqueueToNext(bufs, nexts, n);
        return n;
    }

    /** Which drop entry {@code dst} met: VPP's special prefixes and a connected subnet's own addresses each say so. */
    private int dropReason(final int dst)
    {
        final int top = dst >>> 28;
        if (top == 0xe)
        {
            return ERROR_MULTICAST;
        }
        if (dst == -1)
        {
            return ERROR_LIMITED_BROADCAST;
        }
        if (top == 0xf)
        {
            return ERROR_CLASS_E;
        }
        if (dst == 0)
        {
            return ERROR_ZERO;
        }
        final int role = ip4.subnetRole(dst);
        return role == 1 ? ERROR_DIRECTED_BROADCAST : role == 2 ? ERROR_NETWORK_ADDRESS : ERROR_DROP_ROUTE;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        if (record.captured() >= Ip4Flyweight.MIN_HEADER_LENGTH)
        {
            final int dst = Ip4Flyweight.dst(record.data(), 0);
            final int lb = fib.lookup(dst);
            out.append("  fib 0 dpo-idx ").append(lb).append(" flow hash: 0x").append(Integer.toHexString(Ip4Flyweight.flowHash(record.data(), 0)))
                .append('\n');
        }
        Ip4Format.header(out, record);
    }
}
