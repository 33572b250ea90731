package jvpp.pmd;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Graph;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;

/**
 * The input node of one kind of port ({@code tap-input}, {@code af-packet-input}): each poll, for every rx
 * queue placed on this thread whose interface is admin up, one {@link Port#rxBurst} of up to a frame's worth
 * of buffers, which get their receive interface, are counted (interface rx packets/bytes), marked for
 * tracing when tracing is on, and go to {@code ethernet-input} in one bulk enqueue. A frame longer than a
 * buffer (a port reports the length it read, which the kernel gives whole even when it cut the copy short)
 * is dropped as {@code frame larger than a buffer}. A port that receives into buffer chains (tap) marks a frame it
 * must not hand on with 1 + the reason in the buffer's {@code error} slot (longer than its chain, a bad virtio-net
 * header), and the frame is dropped whole under that reason. Byte counts are the chains' total lengths.
 *
 * <p>It also carries the port's {@link Port#linkUp()} into the interface's link state when it changes (a tap
 * whose kernel device was deleted goes link-down with reason {@code device gone}).
 *
 * <p>The queues are a {@link RxQueues} table, one per kind, published by main copy-on-write; the poll loop
 * reads a plain array and allocates nothing. Placement is the caller's ({@link RxQueues#add(Interface, Port, int[])}:
 * the ports place queue i on worker i mod n through {@code Jvpp.placeQueues}); {@link RxQueues#add(Interface, Port)}
 * puts every queue on thread 0 (main), for tests and single-threaded instances.
 *
 * <p>Thread: the thread of its dispatcher.
 */
public final class PortInputNode extends Node
{
    public static final String TAP_INPUT = "tap-input";
    public static final String AF_PACKET_INPUT = "af-packet-input";
    public static final String ETHERNET_INPUT = "ethernet-input";
    public static final int NEXT_DROP = 0;
    public static final int NEXT_ETHERNET_INPUT = 1;
    public static final int ERROR_OVERSIZE = 0;
    public static final int ERROR_CHAIN_TOO_LONG = 1;
    public static final int ERROR_VNET_GSO_SIZE = 2;
    public static final int ERROR_VNET_GSO_TYPE = 3;
    public static final int ERROR_VNET_CSUM = 4;
    public static final int ERROR_VNET_HDR_LEN = 5;
    /**
     * A port that read a frame longer than a buffer reports its whole length; only the buffer's worth arrived. A port
     * that receives into chains (tap) marks what it must not hand on itself: 1 + the reason in {@code pool.error}.
     */
    public static final List<String> ERRORS = List.of("frame larger than a buffer", "frame larger than a buffer chain",
        "virtio-net header: gso size 0", "virtio-net header: gso type not handled",
        "virtio-net header: checksum start or offset beyond the frame",
        "virtio-net header: header length larger than the frame");

    private final RxQueues queues;
    private final int[] scratch = new int[Frame.SIZE];

    private PortInputNode(final RxQueues queues)
    {
        this.queues = queues;
    }

    /** The registration of input node {@code name} polling {@code queues}. */
    public static NodeRegistration registration(final String name, final RxQueues queues)
    {
        return NodeRegistration.input(name, List.of("error-drop", ETHERNET_INPUT), ERRORS,
            () -> new PortInputNode(queues));
    }

    /**
     * Make sure input node {@code name} is registered: register it for {@code queues} unless a node of that name
     * exists (the first port of each kind does it). Thread: main.
     */
    public static void ensureRegistered(final Graph graph, final String name, final RxQueues queues)
    {
        if (graph.index(name) < 0)
        {
            graph.register(registration(name, queues));
        }
    }

    @Override
    public int poll()
    {
        final RxQueue[] qs = queues.queues;
        final int thread = dispatcher().threadIndex();
        final int[] bufs = scratch;
        final int[] rxIf = bRxIf;
        final int[] length = bLength;
        final InterfaceCounters counters = ifCounters();
        final boolean trace = tracing();
        int total = 0;
        for (int q = 0; q < qs.length; q++)
        {
            final RxQueue rq = qs[q];
            if (rq.thread != thread)
            {
                continue;
            }
            final Port port = rq.port;
            final boolean link = port.linkUp();
            if (link != rq.linkUp)
            {
                rq.linkUp = link;
                // Down with a reason already (the link watcher said which device went): keep that reason.
                if (link || rq.ifc.linkUp())
                {
                    rq.ifc.linkUp(link, link ? "" : "device gone");
                }
            }
            if (!rq.ifc.adminUp())
            {
                continue;
            }
            int n = port.rxBurst(rq.queue, buffers, bufs, 0, Frame.SIZE);
            if (n == 0)
            {
                continue;
            }
            final int sw = rq.swIfIndex;
            final int capacity = pool.arena().dataSize();
            final int[] error = pool.error;
            long bytes = 0;
            int oversize = 0;
            for (int i = 0; i < n; i++)
            {
                final int bi = bufs[i];
                rxIf[bi] = sw;
                bytes += totalLength(bi);
                if (length[bi] > capacity || error[bi] != 0)
                {
                    oversize++;
                }
            }
            if (oversize > 0)
            {
                n = dropBad(bufs, n, capacity);
            }
            if (trace)
            {
                for (int i = 0; i < n; i++)
                {
                    traceInput(bufs[i]);
                }
            }
            counters.addPackets(sw, InterfaceCounters.RX_PACKETS, n + oversize, bytes);
            if (n > 0)
            {
                enqueue(rq.handoffArc >= 0 ? rq.handoffArc : NEXT_ETHERNET_INPUT, bufs, 0, n);
            }
            total += n + oversize;
        }
        return total;
    }

    /**
     * Drop the frames longer than a buffer (cut short by the read) and those the port marked, keep the others in
     * order; their count.
     */
    private int dropBad(final int[] bufs, final int n, final int capacity)
    {
        final int[] error = pool.error;
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            if (error[bi] != 0)
            {
                drop(bi, error[bi] - 1);
            }
            else if (bLength[bi] > capacity)
            {
                bLength[bi] = capacity;
                drop(bi, ERROR_OVERSIZE);
            }
            else
            {
                bufs[kept++] = bi;
            }
        }
        return kept;
    }

    /** One rx queue of one port, placed on one thread. */
    static final class RxQueue
    {
        final Interface ifc;
        final int swIfIndex;
        final Port port;
        final int queue;
        final int thread;
        /** The arc to worker-handoff when this queue's frames are spread over the workers, else -1. */
        final int handoffArc;
        // Written only by the polling thread: the link state it last carried into the interface.
        boolean linkUp;

        RxQueue(final Interface ifc, final Port port, final int queue, final int thread)
        {
            this(ifc, port, queue, thread, -1);
        }

        RxQueue(final Interface ifc, final Port port, final int queue, final int thread, final int handoffArc)
        {
            this.ifc = ifc;
            this.swIfIndex = ifc.swIfIndex();
            this.port = port;
            this.queue = queue;
            this.thread = thread;
            this.handoffArc = handoffArc;
            this.linkUp = ifc.linkUp();
        }
    }

    /**
     * The rx queues one input node polls, replaced copy-on-write. Remove an interface's queues (and let the
     * threads pass a barrier, {@code vpp.syncThreads()}) before closing its port.
     *
     * <p>Thread: main writes; the data plane reads.
     */
    public static final class RxQueues
    {
        private volatile RxQueue[] queues = new RxQueue[0];

        /** Poll every rx queue of {@code port} for {@code ifc} on thread 0. */
        public void add(final Interface ifc, final Port port)
        {
            add(ifc, port, new int[port.rxQueues()]);
        }

        /** Poll rx queue {@code q} of {@code port} on thread {@code threadOfQueue[q]}. */
        public void add(final Interface ifc, final Port port, final int[] threadOfQueue)
        {
            final List<RxQueue> list = new ArrayList<>(List.of(queues));
            for (int q = 0; q < port.rxQueues(); q++)
            {
                list.add(new RxQueue(ifc, port, q, threadOfQueue[q]));
            }
            queues = list.toArray(new RxQueue[0]);
        }

        /** Stop polling {@code ifc}'s queues. */
        public void remove(final Interface ifc)
        {
            final List<RxQueue> list = new ArrayList<>();
            for (final RxQueue rq : queues)
            {
                if (rq.ifc != ifc)
                {
                    list.add(rq);
                }
            }
            queues = list.toArray(new RxQueue[0]);
        }

        /** How many queues are polled (all threads). */
        public int size()
        {
            return queues.length;
        }

        /** {@code (interface, queue, thread)} of every queue, for {@code show interface rx-placement}. */
        public List<int[]> placement()
        {
            final List<int[]> out = new ArrayList<>();
            for (final RxQueue rq : queues)
            {
                out.add(new int[] {rq.swIfIndex, rq.queue, rq.thread});
            }
            return out;
        }

        /**
         * Move rx queue {@code queue} of {@code ifc} (all its queues when {@code queue < 0}) to {@code thread};
         * false when {@code ifc} has no such queue here. Thread: main, at the barrier.
         */
        public boolean move(final Interface ifc, final int queue, final int thread)
        {
            boolean found = false;
            final RxQueue[] now = queues.clone();
            for (int i = 0; i < now.length; i++)
            {
                final RxQueue rq = now[i];
                if (rq.ifc == ifc && (queue < 0 || rq.queue == queue))
                {
                    now[i] = new RxQueue(rq.ifc, rq.port, rq.queue, thread, rq.handoffArc);
                    found = true;
                }
            }
            queues = now;
            return found;
        }

        /**
         * Send {@code ifc}'s received frames to arc {@code arc} (worker-handoff), or straight to ethernet-input
         * when {@code arc < 0}; false when {@code ifc} has no queue here. Thread: main, at the barrier.
         */
        public boolean handoff(final Interface ifc, final int arc)
        {
            boolean found = false;
            final RxQueue[] now = queues.clone();
            for (int i = 0; i < now.length; i++)
            {
                final RxQueue rq = now[i];
                if (rq.ifc == ifc)
                {
                    now[i] = new RxQueue(rq.ifc, rq.port, rq.queue, rq.thread, arc);
                    found = true;
                }
            }
            queues = now;
            return found;
        }
    }

    /** This node's queue table (the same object on every thread). */
    public RxQueues rxQueues()
    {
        return queues;
    }
}
