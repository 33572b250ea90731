package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.ArpFlyweight;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.net.MacAddress;
import jvpp.core.trace.TraceBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * {@code ip4-arp}: packets whose next hop has no MAC yet (an incomplete neighbor adjacency, or a glean
 * adjacency of a connected subnet: then the packet's own destination is the neighbor). The first packet
 * for a neighbor sends an ARP request; up to {@value #HOLD} packets per neighbor wait in a hold queue.
 * When ARP answers, {@link #resolved} sends them back to ip4-lookup; requests are repeated every second,
 * and after {@value #TRIES} unanswered requests the held packets are dropped.
 *
 * <p>State is preallocated: at most {@value #MAX_PENDING} neighbors wait at once per thread.
 *
 * <p>Thread: the thread running it; {@link #resolved} and {@link #retry} run on main between loops (main
 * runs this node today; with workers, each worker's instance is reached at a barrier).
 */
public final class Ip4ArpNode extends Node implements Ip4Main.NeighborListener
{
    public static final String NAME = "ip4-arp";
    static final int HOLD = 4;
    static final int MAX_PENDING = 256;
    static final int TRIES = 3;
    static final long RETRY_NANOS = 1_000_000_000L;
    private static final int ARP_FRAME = 60;

    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;
    static final int NEXT_LOOKUP = 2;

    public static final int ERROR_REQUESTS_SENT = 0;
    public static final int ERROR_HELD = 1;
    public static final int ERROR_HOLD_FULL = 2;
    public static final int ERROR_FAILED = 3;
    public static final int ERROR_TOO_MANY = 4;
    public static final int ERROR_NO_SOURCE = 5;
    public static final int ERROR_NO_BUFFER = 6;
    public static final List<String> ERRORS = List.of("ARP requests sent", "packets held for ARP resolution",
        "ARP hold queue full", "ARP resolution failed", "too many neighbors being resolved",
        "no source address for ARP request", "no buffer for ARP request");

    private final Ip4Main ip4;
    private final Adjacencies adjs;
    private final InterfaceTable interfaces;
    private final Long2LongHashMap slots = new Long2LongHashMap(MAX_PENDING * 4, 0.5f, -1);
    private final long[] slotKey = new long[MAX_PENDING];
    private final int[] slotCount = new int[MAX_PENDING];
    private final int[] held = new int[MAX_PENDING * HOLD];
    /** Buffers the held packets take, chained ones included (a jumbo frame waits as one packet of several). */
    private int heldBuffers;
    /** Neighbors waiting for an answer; written by this node's thread only, read by main's retry process. */
    private volatile int pendingNeighbors;
    private final long[] slotLastRequest = new long[MAX_PENDING];
    private final int[] slotTries = new int[MAX_PENDING];
    private final int[] freeSlots = new int[MAX_PENDING];
    private int freeCount;
    private final EthernetFlyweight eth = new EthernetFlyweight();
    private final ArpFlyweight arp = new ArpFlyweight();

    private Ip4ArpNode(final Ip4Main ip4, final InterfaceTable interfaces)
    {
        this.ip4 = ip4;
        this.adjs = ip4.adjacencies();
        this.interfaces = interfaces;
        for (int i = 0; i < MAX_PENDING; i++)
        {
            freeSlots[freeCount++] = MAX_PENDING - 1 - i;
        }
    }

    public static NodeRegistration registration(final Ip4Main ip4, final InterfaceTable interfaces)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", "interface-output", Ip4LookupNode.NAME), ERRORS,
            () -> new Ip4ArpNode(ip4, interfaces));
    }

    /** {@code dispatcher}'s instance (each thread has its own hold queues). */
    static Ip4ArpNode of(final Dispatcher dispatcher)
    {
        return (Ip4ArpNode)dispatcher.node(NAME);
    }

    @Override
    protected void onAttach()
    {
        ip4.addNeighborListener(this);
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final long now = System.nanoTime();
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int adj = bOpaque[bi];
            final int swIf = adjs.swIfIndex[adj];
            final int target = adjs.type[adj] == Adjacencies.GLEAN
                ? Ip4Flyweight.dst(mem, bStart[bi]) : adjs.nextHop[adj];
            final long key = ((long)swIf << 32) | (target & 0xffff_ffffL);
            int slot = (int)slots.get(key);
            if (slot < 0)
            {
                if (freeCount == 0)
                {
                    drop(bi, ERROR_TOO_MANY);
                    continue;
                }
                slot = freeSlots[--freeCount];
                pendingNeighbors = MAX_PENDING - freeCount;
                slots.put(key, slot);
                slotKey[slot] = key;
                slotCount[slot] = 0;
                slotTries[slot] = 0;
                slotLastRequest[slot] = now - RETRY_NANOS;
            }
            if (slotCount[slot] < HOLD)
            {
                held[slot * HOLD + slotCount[slot]++] = bi;
                heldBuffers += pool.chainCount(bi);
                count(ERROR_HELD, 1);
            }
            else
            {
                drop(bi, ERROR_HOLD_FULL);
            }
            if (now - slotLastRequest[slot] >= RETRY_NANOS)
            {
                request(slot, now);
            }
        }
        return n;
    }

    /** Send (another) ARP request for the neighbor of {@code slot}. */
    private void request(final int slot, final long now)
    {
        slotLastRequest[slot] = now;
        slotTries[slot]++;
        final int swIf = (int)(slotKey[slot] >>> 32);
        final int target = (int)slotKey[slot];
        final Interface ifc = interfaces.get(swIf);
        final int src = sourceFor(swIf, target);
        if (ifc == null || src == 0)
        {
            count(ERROR_NO_SOURCE, 1);
            return;
        }
        final int bi = buffers.alloc();
        if (bi < 0)
        {
            count(ERROR_NO_BUFFER, 1);
            return;
        }
        final int at = bStart[bi];
        mem.setMemory(at, ARP_FRAME, (byte)0);
        eth.wrap(mem, at).dst(MacAddress.BROADCAST).src(ifc.mac()).type(EthernetFlyweight.TYPE_ARP);
        arp.wrap(mem, at + EthernetFlyweight.HEADER_LENGTH).write(ArpFlyweight.OP_REQUEST, ifc.mac(), src, 0, target);
        bLength[bi] = ARP_FRAME;
        bTxIf[bi] = swIf;
        bRxIf[bi] = 0;
        enqueue(NEXT_OUTPUT, bi);
        count(ERROR_REQUESTS_SENT, 1);
    }

    private int sourceFor(final int swIf, final int target)
    {
        final int[][] table = ip4.addressTable();
        return swIf < table.length ? Ip4Main.sourceFor(table[swIf], target) : 0;
    }

    /** A neighbor became known: its held packets go back to ip4-lookup. Thread: this node's, between loops. */
    @Override
    public void resolved(final int swIfIndex, final int address)
    {
        final long key = ((long)swIfIndex << 32) | (address & 0xffff_ffffL);
        final int slot = (int)slots.get(key);
        if (slot < 0)
        {
            return;
        }
        for (int i = 0; i < slotCount[slot]; i++)
        {
            enqueue(NEXT_LOOKUP, held[slot * HOLD + i]);
        }
        release(slot);
        commitNext();
    }

    /** Repeat requests that went unanswered; give up on those asked {@value #TRIES} times. Thread: as above. */
    public void retry(final long now)
    {
        for (int slot = 0; slot < MAX_PENDING; slot++)
        {
            if (slotKey[slot] == 0 || slots.get(slotKey[slot]) != slot || now - slotLastRequest[slot] < RETRY_NANOS)
            {
                continue;
            }
            if (slotTries[slot] >= TRIES)
            {
                for (int i = 0; i < slotCount[slot]; i++)
                {
                    drop(held[slot * HOLD + i], ERROR_FAILED);
                }
                release(slot);
            }
            else
            {
                request(slot, now);
            }
        }
        commitNext();
    }

    /** Buffers held right now, all neighbors together, chains counted whole ({@code show buffers}). Thread: any. */
    public int heldBuffers()
    {
        return heldBuffers;
    }

    /** Packets held right now, all neighbors together (for tests and {@code show}). */
    public int heldPackets()
    {
        int sum = 0;
        for (int slot = 0; slot < MAX_PENDING; slot++)
        {
            if (slotKey[slot] != 0 && slots.get(slotKey[slot]) == slot)
            {
                sum += slotCount[slot];
            }
        }
        return sum;
    }

    private void release(final int slot)
    {
        for (int i = 0; i < slotCount[slot]; i++)
        {
            heldBuffers -= pool.chainCount(held[slot * HOLD + i]);
        }
        slots.remove(slotKey[slot]);
        slotKey[slot] = 0;
        slotCount[slot] = 0;
        freeSlots[freeCount++] = slot;
        pendingNeighbors = MAX_PENDING - freeCount;
    }

    /** Whether any neighbor is being asked for (so {@link #retry} has something to do). Thread: any. */
    public boolean anyPending()
    {
        return pendingNeighbors > 0;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        final int adj = record.opaque();
        out.append("  ").append(adj >= 0 && adj < adjs.size() && adjs.type[adj] == Adjacencies.GLEAN ? "glean" : "arp")
            .append(" for ").append(adj >= 0 && adj < adjs.size() && adjs.type[adj] != Adjacencies.GLEAN
                ? Ip4.format(adjs.nextHop[adj]) : "destination").append('\n');
        Ip4Format.header(out, record);
    }
}
