package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;

/**
 * {@code ip4-local-full-reassembly} (VPP's node of that name, ip4_full_reass.c): ip4-local hands it every fragment
 * addressed to the router; it gathers the fragments of each datagram and sends the whole datagram back to ip4-local
 * as one buffer chain: the fragment at offset 0 is the head and keeps its header (total length set, flags and offset
 * cleared, checksum filled), every other fragment is linked after it by offset with its header skipped. A datagram
 * may reach 65535 bytes. Nothing is copied and nothing is allocated: fragments wait as buffer indices, linked through
 * their opaque slot in offset order, and the context table ({@link Ip4ReassemblyTable}) is preallocated.
 *
 * <p>A datagram is known by source, destination, protocol and IP id (VPP's key; its FIB index is 0 today, since
 * jvpp has one IPv4 table). Each thread has its own table of {@link Ip4ReassemblyConfig#maxReassemblies()}
 * contexts, at most {@link Ip4ReassemblyConfig#maxPerSource()} of them for one source. The fragments of one datagram
 * must therefore reach one thread: the kernel steers them so (a tap's queues and an AF_PACKET fanout hash a fragment
 * on its addresses and protocol, never on ports it may not carry), and so does jvpp's worker-handoff
 * ({@link Ip4Flyweight#flowHash} leaves a fragment's ports out). Fragments that arrive on two threads anyway
 * (a driver hashing on something else) make two contexts that never complete, and both time out: dropped and
 * counted, never a wrong datagram.
 *
 * <p>Every way a fragment can fail has its own counted drop:
 * <ul>
 * <li>{@code malformed fragments}: no data, or MF set on a fragment whose data is not a multiple of 8 bytes, or a
 * fragment that contradicts the datagram's known end (a second last fragment, one with MF ending at or after it,
 * a last one before data already held): then the whole datagram is dropped.</li>
 * <li>{@code duplicate fragments}: the same offset and length as one held; only the copy is dropped.</li>
 * <li>{@code overlapping fragments}: any other overlap drops the whole datagram, as RFC 5722 asks for IPv6 (VPP
 * trims the overlap instead; an overlap is how fragment attacks hide data, and no sender needs one).</li>
 * <li>{@code fragment chain too long}: a fragment beyond max-reassembly-length drops the datagram (VPP's
 * text).</li>
 * <li>{@code reassembly over 65535 bytes}: a fragment that ends beyond what a datagram can hold drops it.</li>
 * <li>{@code fragments dropped due to reassembly timeout} (VPP's text): a datagram not complete within
 * the timeout of its first fragment (Linux's rule; VPP counts from the latest, so a trickle keeps a context alive).
 * Expired contexts are dropped here when a frame arrives after they are due (a walk of the table at most every
 * expire-walk-interval), and by the expire-walk process ({@link Ip4FullReassExpireProcess}) when no fragment
 * comes; a context may so outlive its timeout by up to that interval, as in VPP.</li>
 * <li>{@code drops due to concurrent reassemblies limit} (VPP's text) and {@code drops due to reassemblies per
 * source limit}: no context for a new datagram; nothing is evicted.</li>
 * </ul>
 * The buffers that wait are counted ({@link #heldBuffers}) and named in {@code show buffers}.
 *
 * <p>Thread: the thread running it; {@link #expire}, {@link #grow} and {@link #describe} run on main at the worker
 * barrier (or between loops when main is the only thread); {@link #due} and {@link #heldBuffers} are asked by any.
 */
public final class Ip4FullReassNode extends Node
{
    public static final String NAME = "ip4-local-full-reassembly";
    static final int NEXT_DROP = 0;
    static final int NEXT_LOCAL = 1;

    public static final int ERROR_FRAGMENTS = 0;
    public static final int ERROR_REASSEMBLED = 1;
    public static final int ERROR_FRAGMENTS_REASSEMBLED = 2;
    public static final int ERROR_MALFORMED = 3;
    public static final int ERROR_DUPLICATE = 4;
    public static final int ERROR_OVERLAP = 5;
    public static final int ERROR_TOO_MANY = 6;
    public static final int ERROR_TOO_LARGE = 7;
    public static final int ERROR_TIMEOUT = 8;
    public static final int ERROR_LIMIT = 9;
    public static final int ERROR_SOURCE_LIMIT = 10;
    public static final List<String> ERRORS = List.of("fragments received", "successful reassemblies",
        "fragments reassembled", "malformed fragments", "duplicate fragments",
        "overlapping fragments (datagram dropped)", "fragment chain too long (drop)",
        "reassembly over 65535 bytes (datagram dropped)", "fragments dropped due to reassembly timeout",
        "drops due to concurrent reassemblies limit", "drops due to reassemblies per source limit");

    private static final int NONE = Ip4ReassemblyTable.NONE;
    private static final int MAX_DATAGRAM = 65_535;

    private final Ip4ReassemblyConfig config;
    /** Replaced by a larger one at the barrier ({@link #grow}). */
    private Ip4ReassemblyTable table;
    private int held;
    /** When this node last walked its table for expired contexts. */
    private long lastWalk = Long.MIN_VALUE / 2;
    /** Contexts in use; read by main's expire-walk process. */
    private volatile int active;
    /** No context expires before this (a lower bound); read by main's expire-walk process. */
    private volatile long walkDue = Long.MAX_VALUE;
    // The limits for the frame at hand, read once per frame.
    private long timeoutNanos;
    private int maxReassemblies;
    private int maxLength;
    private int maxPerSource;

    private Ip4FullReassNode(final Ip4ReassemblyConfig config)
    {
        this.config = config;
        this.table = new Ip4ReassemblyTable(config.maxReassemblies());
    }

    public static NodeRegistration registration(final Ip4ReassemblyConfig config)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", Ip4LocalNode.NAME), ERRORS,
            () -> new Ip4FullReassNode(config));
    }

    /** {@code dispatcher}'s instance (each thread has its own contexts). */
    static Ip4FullReassNode of(final Dispatcher dispatcher)
    {
        return (Ip4FullReassNode)dispatcher.node(NAME);
    }

    /**
     * Make room for {@code slots} contexts, keeping those in use (a larger max-reassemblies). Thread: main, at the
     * barrier.
     */
    void grow(final int slots)
    {
        if (slots > table.capacity)
        {
            table = table.grown(slots);
        }
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final long now = config.now();
        timeoutNanos = config.timeoutNanos();
        maxReassemblies = config.maxReassemblies();
        maxLength = config.maxReassemblyLength();
        maxPerSource = config.maxPerSource();
        // A walk at most every expire-walk-interval: a flood of datagrams that never complete would otherwise
        // have every frame walk the table for the one context due next.
        if (now > walkDue && now - lastWalk >= config.expireWalkIntervalMs() * 1_000_000L)
        {
            expireOwn(now);
        }
        for (int i = 0; i < n; i++)
        {
            fragment(bufs[i], now);
        }
        return n;
    }

    private void fragment(final int bi, final long now)
    {
        count(ERROR_FRAGMENTS, 1);
        final Ip4ReassemblyTable t = table;
        final int at = bStart[bi];
        final int flagsFragment = Ip4Flyweight.flagsFragment(mem, at);
        final int offset = (flagsFragment & Ip4Flyweight.FRAGMENT_OFFSET_MASK) << 3;
        final int length = Ip4Flyweight.totalLength(mem, at) - Ip4Flyweight.headerLength(mem, at);
        final boolean more = (flagsFragment & Ip4Flyweight.FLAG_MF) != 0;
        if (length <= 0 || (more && (length & 7) != 0))
        {
            drop(bi, ERROR_MALFORMED);
            return;
        }
        final int end = offset + length;
        final int src = Ip4Flyweight.src(mem, at);
        final int dst = Ip4Flyweight.dst(mem, at);
        final int idProto = Ip4Flyweight.id(mem, at) << 8 | Ip4Flyweight.protocol(mem, at);
        int slot = t.find(src, dst, idProto);
        if (slot != NONE && now - t.started[slot] > timeoutNanos)
        {
            dropDatagram(slot, ERROR_TIMEOUT);
            slot = NONE;
        }
        if (end + Ip4Flyweight.MIN_HEADER_LENGTH > MAX_DATAGRAM)
        {
            failDatagram(slot, bi, ERROR_TOO_LARGE);
            return;
        }
        if (slot == NONE)
        {
            slot = t.create(src, dst, idProto, now, maxReassemblies, maxPerSource);
            if (slot < 0)
            {
                drop(bi, slot == Ip4ReassemblyTable.FULL ? ERROR_LIMIT : ERROR_SOURCE_LIMIT);
                return;
            }
            active = t.active();
            if (now + timeoutNanos < walkDue)
            {
                walkDue = now + timeoutNanos;
            }
        }
        final int knownEnd = t.endBytes[slot];
        if (more ? knownEnd != NONE && end >= knownEnd : (knownEnd != NONE && knownEnd != end) || t.maxEnd[slot] > end)
        {
            failDatagram(slot, bi, ERROR_MALFORMED);
            return;
        }
        int prev = NONE;
        int next = t.first[slot];
        while (next != NONE && offsetOf(next) < offset)
        {
            prev = next;
            next = bOpaque[next];
        }
        if (next != NONE && offsetOf(next) == offset && endOf(next) == end)
        {
            drop(bi, ERROR_DUPLICATE);
            return;
        }
        if ((prev != NONE && endOf(prev) > offset) || (next != NONE && offsetOf(next) < end))
        {
            failDatagram(slot, bi, ERROR_OVERLAP);
            return;
        }
        if (t.fragments[slot] >= maxLength)
        {
            failDatagram(slot, bi, ERROR_TOO_MANY);
            return;
        }
        bOpaque[bi] = next;
        if (prev == NONE)
        {
            t.first[slot] = bi;
        }
        else
        {
            bOpaque[prev] = bi;
        }
        t.fragments[slot]++;
        t.dataBytes[slot] += length;
        t.maxEnd[slot] = Math.max(t.maxEnd[slot], end);
        if (!more)
        {
            t.endBytes[slot] = end;
        }
        final int chain = pool.chainCount(bi);
        t.buffersHeld[slot] += chain;
        held += chain;
        if (t.endBytes[slot] != NONE && t.dataBytes[slot] == t.endBytes[slot])
        {
            complete(slot);
        }
    }

    /** The whole datagram is here: link it into one chain behind the first fragment and send it to ip4-local. */
    private void complete(final int slot)
    {
        final Ip4ReassemblyTable t = table;
        final int head = t.first[slot];
        final int at = bStart[head];
        final int headerLength = Ip4Flyweight.headerLength(mem, at);
        final int payload = t.endBytes[slot];
        if (headerLength + payload > MAX_DATAGRAM)
        {
            dropDatagram(slot, ERROR_TOO_LARGE);
            return;
        }
        int tail = head;
        while (pool.next(tail) >= 0)
        {
            tail = pool.next(tail);
        }
        int f = bOpaque[head];
        while (f != NONE)
        {
            final int after = bOpaque[f];
            final int skip = Ip4Flyweight.headerLength(mem, bStart[f]);
            bStart[f] += skip;
            bLength[f] -= skip;
            tail = pool.appendPacket(head, tail, f);
            f = after;
        }
        Ip4Flyweight.totalLength(mem, at, headerLength + payload);
        Ip4Flyweight.flagsFragment(mem, at, 0);
        Ip4Flyweight.fillChecksum(mem, at, headerLength);
        count(ERROR_REASSEMBLED, 1);
        count(ERROR_FRAGMENTS_REASSEMBLED, t.fragments[slot]);
        release(slot);
        enqueue(NEXT_LOCAL, head);
    }

    private int offsetOf(final int bi)
    {
        return (Ip4Flyweight.flagsFragment(mem, bStart[bi]) & Ip4Flyweight.FRAGMENT_OFFSET_MASK) << 3;
    }

    private int endOf(final int bi)
    {
        final int at = bStart[bi];
        return offsetOf(bi) + Ip4Flyweight.totalLength(mem, at) - Ip4Flyweight.headerLength(mem, at);
    }

    /** Drop {@code bi} and, when there is one, the datagram of {@code slot}, both under {@code reason}. */
    private void failDatagram(final int slot, final int bi, final int reason)
    {
        if (slot != NONE)
        {
            dropDatagram(slot, reason);
        }
        drop(bi, reason);
    }

    /** Drop every fragment the context holds under {@code reason} and free the context. */
    private void dropDatagram(final int slot, final int reason)
    {
        int f = table.first[slot];
        while (f != NONE)
        {
            final int after = bOpaque[f];
            drop(f, reason);
            f = after;
        }
        release(slot);
    }

    private void release(final int slot)
    {
        held -= table.buffersHeld[slot];
        table.release(slot);
        active = table.active();
    }

    /** Whether a context may have expired by {@code now}, so that the expire walk has work here. Thread: any. */
    boolean due(final long now)
    {
        return active > 0 && now > walkDue;
    }

    /**
     * Drop every datagram whose first fragment came more than the timeout before {@code now}; the drops go out
     * through this thread's frames. Thread: main at the barrier (or this node's own thread).
     */
    void expire(final long now)
    {
        timeoutNanos = config.timeoutNanos();
        expireOwn(now);
        commitNext();
    }

    private void expireOwn(final long now)
    {
        lastWalk = now;
        final Ip4ReassemblyTable t = table;
        long due = Long.MAX_VALUE;
        for (int slot = 0; slot < t.capacity; slot++)
        {
            if (t.first[slot] == NONE)
            {
                continue;
            }
            final long expires = t.started[slot] + timeoutNanos;
            if (now > expires)
            {
                dropDatagram(slot, ERROR_TIMEOUT);
            }
            else if (expires < due)
            {
                due = expires;
            }
        }
        walkDue = due;
    }

    /** Datagrams being reassembled on this thread. Thread: any (a racy count). */
    public int active()
    {
        return active;
    }

    /** Buffers the waiting fragments hold, chained ones included. Thread: any (a racy count). */
    public int heldBuffers()
    {
        return held;
    }

    /**
     * Every context in VPP's {@code show ip4-full-reassembly details} form: its key, then each fragment's range.
     * Thread: main, at the barrier.
     */
    void describe(final StringBuilder out)
    {
        final Ip4ReassemblyTable t = table;
        for (int slot = 0; slot < t.capacity; slot++)
        {
            if (t.first[slot] == NONE)
            {
                continue;
            }
            out.append("ID: ").append(t.ids[slot]).append(", key: fib_index: 0, src: ").append(Ip4.format(t.keySrc[slot]))
                .append(", dst: ").append(Ip4.format(t.keyDst[slot])).append(", frag_id: ")
                .append(t.keyIdProto[slot] >>> 8).append(", proto: ").append(t.keyIdProto[slot] & 0xff).append('\n');
            out.append("  first_bi: ").append(t.first[slot]).append(", data_len: ").append(t.dataBytes[slot])
                .append(", last_packet_octet: ").append(t.endBytes[slot] == NONE ? "unknown" : t.endBytes[slot] - 1)
                .append(", buffers: ").append(t.buffersHeld[slot]).append('\n');
            int k = 0;
            for (int f = t.first[slot]; f != NONE; f = bOpaque[f])
            {
                out.append(String.format("  #%03d: range: [%d, %d], bi: %d%n", k++, offsetOf(f), endOf(f) - 1, f));
            }
        }
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        Ip4Format.header(out, record);
    }
}
