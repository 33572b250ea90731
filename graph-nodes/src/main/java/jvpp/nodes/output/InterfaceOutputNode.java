package jvpp.nodes.output;

import java.util.Arrays;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Graph;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.iface.InterfaceListener;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code interface-output}: sends each buffer to the tx node of its transmit interface
 * ({@code txIf}), counting tx packets and bytes; drops what goes to an interface that is down or gone.
 *
 * <p>It is also where a packet meets what its egress can take ({@code Interface.txOffloads()}): a partial L4
 * checksum an interface cannot complete is completed here in software; a GSO super-frame for an interface without
 * GSO goes to {@link GsoNode gso} (counted as {@code GSO frames to software segmentation}, not yet as tx),
 * which cuts it into segments that come back here; a chained frame for an interface that sends single buffers is
 * dropped as {@code multi-buffer frame to an interface without chains}. Packets without chain or offload flags pay
 * one test.
 *
 * <p>Thread: any thread running the graph; the per-interface arcs are published by main copy-on-write.
 */
public final class InterfaceOutputNode extends Node
{
    public static final String NAME = "interface-output";
    public static final int ERROR_DOWN = 0;
    public static final int ERROR_DELETED = 1;
    public static final int COUNT_GSO = 2;
    public static final int ERROR_CHAIN = 3;
    public static final int COUNT_CSUM_COMPLETED = 4;
    public static final List<String> ERRORS = List.of("interface is down", "interface is deleted",
        "GSO frames to software segmentation", "multi-buffer frame to an interface without chains",
        "checksums completed in software");
    private static final int OFFLOAD_FLAGS = BufferPool.FLAG_NEXT_PRESENT | BufferPool.FLAG_GSO
        | BufferPool.FLAG_CSUM_PARTIAL;

    private final Arcs arcs;
    private final int[] nexts = new int[Frame.SIZE];
    private static final int NEXT_DROP = 0;
    private static final int NEXT_GSO = 1;
    /** What {@link #offloadCheck} returns for a packet to send as it is. */
    private static final int SEND = -1;

    private InterfaceOutputNode(final Arcs arcs)
    {
        this.arcs = arcs;
    }

    /** Keeps one arc per interface that can transmit, in step with the interface table. Thread: main. */
    public static final class Arcs implements InterfaceListener
    {
        private final Graph graph;
        private volatile int[] arcBySwIfIndex = new int[0];
        /** The interfaces by sw_if_index, as published for the graph threads (gso reads their offloads). */
        volatile Interface[] interfaces = new Interface[0];

        Arcs(final Graph graph)
        {
            this.graph = graph;
        }

        @Override
        public void interfaceAdded(final Interface ifc)
        {
            final int sw = ifc.swIfIndex();
            final int arc = ifc.txNode() == null ? -1 : graph.addNext(NAME, ifc.txNode());
            final int len = Math.max(arcBySwIfIndex.length, sw + 1);
            final int[] a = Arrays.copyOf(arcBySwIfIndex, len);
            final Interface[] f = Arrays.copyOf(interfaces, len);
            for (int i = arcBySwIfIndex.length; i < len; i++)
            {
                a[i] = -1;
            }
            a[sw] = arc;
            f[sw] = ifc;
            interfaces = f;
            arcBySwIfIndex = a;
        }

        @Override
        public void interfaceDeleted(final Interface ifc)
        {
            final int[] a = arcBySwIfIndex.clone();
            final Interface[] f = interfaces.clone();
            a[ifc.swIfIndex()] = -1;
            f[ifc.swIfIndex()] = null;
            arcBySwIfIndex = a;
            interfaces = f;
        }
    }

    /**
     * Register the node and the interface listener that adds its arc to each new interface's tx node. Thread: main,
     * at boot.
     */
    public static void register(final Jvpp vpp)
    {
        final Arcs arcs = new Arcs(vpp.graph());
        vpp.graph().register(NodeRegistration.internal(NAME, List.of("error-drop", GsoNode.NAME), ERRORS,
            () -> new InterfaceOutputNode(arcs)));
        vpp.graph().register(GsoNode.registration(arcs));
        vpp.interfaces().addListener(arcs);
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[] arcTable = arcs.arcBySwIfIndex;
        final Interface[] ifcs = arcs.interfaces;
        final int[] tx = bTxIf;
        final int[] length = bLength;
        final int[] flags = bFlags;
        final InterfaceCounters counters = ifCounters();
        int lastSw = -1;
        int lastArc = -1;
        boolean lastUp = false;
        int lastOffloads = 0;
        long runPackets = 0;
        long runBytes = 0;
        int reason;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int sw = tx[bi];
            if (sw != lastSw)
            {
                if (runPackets > 0)
                {
                    counters.addPackets(lastSw, InterfaceCounters.TX_PACKETS, runPackets, runBytes);
                    runPackets = 0;
                    runBytes = 0;
                }
                lastSw = sw;
                if (sw >= 0 && sw < arcTable.length && arcTable[sw] >= 0)
                {
                    lastArc = arcTable[sw];
                    lastUp = ifcs[sw].up();
                    lastOffloads = ifcs[sw].txOffloads();
                }
                else
                {
                    lastArc = -1;
                }
            }
            if (lastArc < 0)
            {
                pool.error[bi] = errorBase + ERROR_DELETED;
                nexts[i] = NEXT_DROP;
            }
            else if (!lastUp)
            {
                pool.error[bi] = errorBase + ERROR_DOWN;
                nexts[i] = NEXT_DROP;
            }
            else if ((flags[bi] & OFFLOAD_FLAGS) != 0 && (reason = offloadCheck(bi, lastOffloads)) != SEND)
            {
                if (reason == COUNT_GSO)
                {
                    nexts[i] = NEXT_GSO;
                }
                else
                {
                    pool.error[bi] = errorBase + reason;
                    nexts[i] = NEXT_DROP;
                }
            }
            else
            {
                runPackets++;
                runBytes += totalLength(bi);
                nexts[i] = lastArc;
            }
        }
        enqueueToNext(bufs, nexts, n);
        if (runPackets > 0)
        {
            counters.addPackets(lastSw, InterfaceCounters.TX_PACKETS, runPackets, runBytes);
        }
        return n;
    }

    /**
     * A chained or offloaded packet against what its egress takes ({@code offloads}): {@link #SEND} to send it (its
     * checksum completed here when the egress cannot), {@link #COUNT_GSO} to segment it in software, or the reason
     * to drop it.
     */
    private int offloadCheck(final int bi, final int offloads)
    {
        final int f = bFlags[bi];
        if ((f & BufferPool.FLAG_GSO) != 0 && (offloads & Interface.TX_GSO) == 0)
        {
            count(COUNT_GSO, 1);
            return COUNT_GSO;
        }
        if ((f & BufferPool.FLAG_NEXT_PRESENT) != 0 && (offloads & Interface.TX_CHAINS) == 0)
        {
            return ERROR_CHAIN;
        }
        if ((f & BufferPool.FLAG_CSUM_PARTIAL) != 0 && (offloads & Interface.TX_CSUM) == 0)
        {
            pool.completeChecksum(bi);
            count(COUNT_CSUM_COMPLETED, 1);
        }
        return SEND;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        out.append("  ").append(arcs.interfaces.length > record.txIf() && record.txIf() >= 0
            && arcs.interfaces[record.txIf()] != null ? arcs.interfaces[record.txIf()].name() : "unknown-" + record.txIf());
        out.append('\n');
        record.hexdump(out, 32);
    }
}
