package jvpp.pmd;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Graph;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceCounters;
import jvpp.core.iface.RxMode;
import jvpp.core.pcap.PcapCapture;
import jvpp.core.thread.Waiter;

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
 * <p>Rx modes ({@link RxMode}, VPP's): a polling queue is read on every poll. An interrupt-mode queue's
 * descriptor ({@link Port#rxFd}) is registered with its thread's {@link Waiter} (by that thread, on its first
 * poll there) and the queue is read only while the waiter says it is ready, until a read finds it empty; an
 * adaptive queue polls while its reads bring many frames and waits otherwise ({@link RxMode}'s thresholds).
 * {@link #waitState()} tells the dispatcher whether anything here must still be polled: when nothing on the
 * thread must, it sleeps.
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
    private int waitState = WAIT_NONE;

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
        final Waiter waiter = dispatcher().waiter();
        int state = WAIT_NONE;
        long now = 0;
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
            final Waiter.Slot slot = rq.slot;
            if (slot != null)
            {
                if (!slot.registeredWith(waiter))
                {
                    waiter.register(slot);
                }
                if (!rq.active && !slot.ready)
                {
                    state |= WAIT_FD;
                    continue;
                }
            }
            int n = port.rxBurst(rq.queue, buffers, bufs, 0, Frame.SIZE);
            if (slot == null)
            {
                state |= WAIT_POLLS;
            }
            else
            {
                if (n < Frame.SIZE)
                {
                    // Read to empty (or out of buffers: the waiter's sweep comes back to it).
                    slot.ready = false;
                }
                if (rq.mode == RxMode.ADAPTIVE)
                {
                    if (now == 0)
                    {
                        now = System.nanoTime();
                    }
                    if (n >= (rq.active ? RxMode.ADAPTIVE_WAIT_FRAMES : RxMode.ADAPTIVE_POLL_FRAMES))
                    {
                        rq.lastBusy = now;
                        rq.active = true;
                    }
                    else if (rq.active && now - rq.lastBusy > RxMode.ADAPTIVE_IDLE_NANOS)
                    {
                        rq.active = false;
                    }
                }
                state |= rq.active || slot.ready ? WAIT_POLLS : WAIT_FD;
            }
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
            // As received: before dropBad or any node after this one changes a byte.
            pcap(PcapCapture.RX, sw, bufs, 0, n);
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
        waitState = state;
        return total;
    }

    @Override
    public int waitState()
    {
        return waitState;
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
        final RxMode mode;
        /** The descriptor the polling thread waits on, in interrupt and adaptive mode; null when polling. */
        final Waiter.Slot slot;
        // Written only by the polling thread: the link state it last carried into the interface; whether an
        // adaptive queue polls, and when a read last brought enough frames to keep it polling.
        boolean linkUp;
        boolean active;
        long lastBusy;

        RxQueue(final Interface ifc, final Port port, final int queue, final int thread, final int handoffArc,
            final RxMode mode, final Waiter.Slot slot)
        {
            this.ifc = ifc;
            this.swIfIndex = ifc.swIfIndex();
            this.port = port;
            this.queue = queue;
            this.thread = thread;
            this.handoffArc = handoffArc;
            this.mode = mode;
            this.slot = slot;
            this.linkUp = ifc.linkUp();
        }

        /** This queue on {@code newThread}: its descriptor leaves the old thread's waiter (the new one registers it). */
        RxQueue on(final int newThread)
        {
            if (slot != null && newThread != thread)
            {
                Waiter.unregister(slot);
            }
            return new RxQueue(ifc, port, queue, newThread, handoffArc, mode, slot);
        }

        RxQueue withHandoff(final int arc)
        {
            return new RxQueue(ifc, port, queue, thread, arc, mode, slot);
        }

        /** This queue in {@code newMode}: registered for waiting unless it polls. */
        RxQueue in(final RxMode newMode)
        {
            if (newMode == RxMode.POLLING)
            {
                if (slot != null)
                {
                    Waiter.unregister(slot);
                }
                return new RxQueue(ifc, port, queue, thread, handoffArc, newMode, null);
            }
            return new RxQueue(ifc, port, queue, thread, handoffArc, newMode,
                slot != null ? slot : new Waiter.Slot(port.rxFd(queue)));
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
        private RxMode defaultMode = RxMode.POLLING;

        /**
         * The mode that queues added from now on start in when their port has a descriptor ({@link Port#rxFd});
         * the others poll. {@link RxMode#POLLING} until set (the TAP and AF_PACKET tables set startup.conf's).
         */
        public RxQueues defaultMode(final RxMode mode)
        {
            defaultMode = mode;
            return this;
        }

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
                final RxQueue polled = new RxQueue(ifc, port, q, threadOfQueue[q], -1, RxMode.POLLING, null);
                list.add(port.rxFd(q) >= 0 ? polled.in(defaultMode) : polled);
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
                else if (rq.slot != null)
                {
                    Waiter.unregister(rq.slot);
                }
            }
            queues = list.toArray(new RxQueue[0]);
        }

        /** How many queues are polled (all threads). */
        public int size()
        {
            return queues.length;
        }

        /**
         * {@code (interface, queue, thread, mode ordinal)} of every queue, for {@code show interface rx-placement}.
         */
        public List<int[]> placement()
        {
            final List<int[]> out = new ArrayList<>();
            for (final RxQueue rq : queues)
            {
                out.add(new int[] {rq.swIfIndex, rq.queue, rq.thread, rq.mode.ordinal()});
            }
            return out;
        }

        /** The ids of {@code ifc}'s rx queues here, in order; empty when it has none here. */
        public int[] queueIds(final Interface ifc)
        {
            return java.util.Arrays.stream(queues).filter(rq -> rq.ifc == ifc).mapToInt(rq -> rq.queue).toArray();
        }

        /** Whether rx queue {@code queue} of {@code ifc} has a descriptor to wait on (may be interrupt or adaptive). */
        public boolean canWait(final Interface ifc, final int queue)
        {
            final RxQueue rq = find(ifc, queue);
            return rq != null && rq.port.rxFd(queue) >= 0;
        }

        /** The mode of rx queue {@code queue} of {@code ifc}, or null when it has no such queue here. */
        public RxMode mode(final Interface ifc, final int queue)
        {
            final RxQueue rq = find(ifc, queue);
            return rq == null ? null : rq.mode;
        }

        private RxQueue find(final Interface ifc, final int queue)
        {
            for (final RxQueue rq : queues)
            {
                if (rq.ifc == ifc && rq.queue == queue)
                {
                    return rq;
                }
            }
            return null;
        }

        /**
         * Put rx queue {@code queue} of {@code ifc} (all its queues when {@code queue < 0}) in {@code mode}; the
         * caller checked that they {@link #canWait} unless it is polling. Thread: main, at the barrier.
         */
        public void mode(final Interface ifc, final int queue, final RxMode mode)
        {
            final RxQueue[] now = queues.clone();
            for (int i = 0; i < now.length; i++)
            {
                final RxQueue rq = now[i];
                if (rq.ifc == ifc && (queue < 0 || rq.queue == queue) && rq.mode != mode)
                {
                    now[i] = rq.in(mode);
                }
            }
            queues = now;
        }

        /** Every rx queue's mode of {@code ifc}, by queue id (null where it has no such queue). */
        public RxMode[] modes(final Interface ifc)
        {
            final int[] ids = queueIds(ifc);
            final RxMode[] out = new RxMode[ids.length == 0 ? 0 : java.util.Arrays.stream(ids).max().getAsInt() + 1];
            for (final int q : ids)
            {
                out[q] = mode(ifc, q);
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
                    now[i] = rq.on(thread);
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
                    now[i] = rq.withHandoff(arc);
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
