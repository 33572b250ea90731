package jvpp.nodes.ip4;

import java.util.List;

import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import jvpp.core.trace.TraceBuffer;
import org.agrona.collections.Int2IntHashMap;

/**
 * {@code ip4-local-full-reassembly} (VPP's node of that name, ip4_full_reass.c): ip4-local hands it every fragment
 * addressed to the router; it gathers the fragments of each datagram and sends the whole datagram back to ip4-local
 * as one buffer chain: the fragment at offset 0 is the head and keeps its header (total length set, flags and offset
 * cleared, checksum filled), every other fragment is linked after it by offset with its header skipped. A datagram
 * may reach 65535 bytes. Nothing is copied and nothing is allocated: fragments wait as buffer indices, linked through
 * their opaque slot in offset order, and the context table is preallocated.
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

    private static final int NONE = -1;
    private static final int MAX_DATAGRAM = 65_535;

    private final Ip4ReassemblyConfig config;
    // The context table, one slot per datagram being reassembled; a slot is in use while first[slot] != NONE.
    private int capacity;
    private int[] keySrc;
    private int[] keyDst;
    /** The IP id and protocol: {@code id << 8 | protocol}. */
    private int[] keyIdProto;
    /** When the datagram's first fragment (the first to arrive) came, by the config's clock. */
    private long[] started;
    /** The fragment with the lowest offset; the others follow through their buffers' opaque slots. */
    private int[] first;
    private int[] fragments;
    /** Bytes of IP payload held. */
    private int[] dataBytes;
    /** Where the datagram's payload ends, from its last fragment (MF clear); NONE until that came. */
    private int[] endBytes;
    /** The largest end of the fragments held. */
    private int[] maxEnd;
    /** Buffers held, chained ones included. */
    private int[] buffersHeld;
    /** The reassembly's number, for {@code show ip4-full-reassembly details}. */
    private long[] ids;
    private int[] freeSlots;
    private int freeCount;
    /** Open addressing over the keys: {@code slot + 1}, 0 for an empty bucket; linear probing. */
    private int[] buckets;
    private int bucketMask;
    /** Contexts per source address, sources with none left out. */
    private Int2IntHashMap perSource;
    private long nextId;
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
        allocate(config.maxReassemblies());
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

    private void allocate(final int slots)
    {
        final int n = Math.max(1, slots);
        capacity = n;
        keySrc = new int[n];
        keyDst = new int[n];
        keyIdProto = new int[n];
        started = new long[n];
        first = new int[n];
        fragments = new int[n];
        dataBytes = new int[n];
        endBytes = new int[n];
        maxEnd = new int[n];
        buffersHeld = new int[n];
        ids = new long[n];
        freeSlots = new int[n];
        java.util.Arrays.fill(first, NONE);
        freeCount = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            freeSlots[freeCount++] = i;
        }
        final int size = Integer.highestOneBit(n * 2 - 1) << 1;
        buckets = new int[size];
        bucketMask = size - 1;
        // Twice the slots at a load factor of one half: never resized, so put and remove allocate nothing.
        perSource = new Int2IntHashMap(n * 2, 0.5f, 0);
    }

    /**
     * Make room for {@code slots} contexts, keeping those in use (a larger max-reassemblies). Thread: main, at the
     * barrier.
     */
    void grow(final int slots)
    {
        if (slots <= capacity)
        {
            return;
        }
        final int old = capacity;
        final int[] src = keySrc;
        final int[] dst = keyDst;
        final int[] idProto = keyIdProto;
        final long[] start = started;
        final int[] firsts = first;
        final int[] frags = fragments;
        final int[] data = dataBytes;
        final int[] ends = endBytes;
        final int[] maxEnds = maxEnd;
        final int[] bufs = buffersHeld;
        final long[] numbers = ids;
        allocate(slots);
        freeCount = 0;
        for (int i = slots - 1; i >= old; i--)
        {
            freeSlots[freeCount++] = i;
        }
        System.arraycopy(src, 0, keySrc, 0, old);
        System.arraycopy(dst, 0, keyDst, 0, old);
        System.arraycopy(idProto, 0, keyIdProto, 0, old);
        System.arraycopy(start, 0, started, 0, old);
        System.arraycopy(firsts, 0, first, 0, old);
        System.arraycopy(frags, 0, fragments, 0, old);
        System.arraycopy(data, 0, dataBytes, 0, old);
        System.arraycopy(ends, 0, endBytes, 0, old);
        System.arraycopy(maxEnds, 0, maxEnd, 0, old);
        System.arraycopy(bufs, 0, buffersHeld, 0, old);
        System.arraycopy(numbers, 0, ids, 0, old);
        for (int slot = old - 1; slot >= 0; slot--)
        {
            if (first[slot] == NONE)
            {
                freeSlots[freeCount++] = slot;
            }
            else
            {
                insertBucket(slot);
                perSource.put(keySrc[slot], perSource.get(keySrc[slot]) + 1);
            }
        }
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final long now = config.now();
        timeoutNanos = config.timeoutNanos();
        maxReassemblies = Math.min(config.maxReassemblies(), capacity);
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
        int slot = find(src, dst, idProto);
        if (slot != NONE && now - started[slot] > timeoutNanos)
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
            slot = create(src, dst, idProto, now);
            if (slot < 0)
            {
                drop(bi, -slot - 1);
                return;
            }
        }
        final int knownEnd = endBytes[slot];
        if (more ? knownEnd != NONE && end >= knownEnd : (knownEnd != NONE && knownEnd != end) || maxEnd[slot] > end)
        {
            failDatagram(slot, bi, ERROR_MALFORMED);
            return;
        }
        int prev = NONE;
        int next = first[slot];
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
        if (fragments[slot] >= maxLength)
        {
            failDatagram(slot, bi, ERROR_TOO_MANY);
            return;
        }
        bOpaque[bi] = next;
        if (prev == NONE)
        {
            first[slot] = bi;
        }
        else
        {
            bOpaque[prev] = bi;
        }
        fragments[slot]++;
        dataBytes[slot] += length;
        maxEnd[slot] = Math.max(maxEnd[slot], end);
        if (!more)
        {
            endBytes[slot] = end;
        }
        final int chain = pool.chainCount(bi);
        buffersHeld[slot] += chain;
        held += chain;
        if (endBytes[slot] != NONE && dataBytes[slot] == endBytes[slot])
        {
            complete(slot);
        }
    }

    /** The whole datagram is here: link it into one chain behind the first fragment and send it to ip4-local. */
    private void complete(final int slot)
    {
        final int head = first[slot];
        final int at = bStart[head];
        final int headerLength = Ip4Flyweight.headerLength(mem, at);
        if (headerLength + endBytes[slot] > MAX_DATAGRAM)
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
        Ip4Flyweight.totalLength(mem, at, headerLength + endBytes[slot]);
        Ip4Flyweight.flagsFragment(mem, at, 0);
        Ip4Flyweight.fillChecksum(mem, at, headerLength);
        count(ERROR_REASSEMBLED, 1);
        count(ERROR_FRAGMENTS_REASSEMBLED, fragments[slot]);
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
        int f = first[slot];
        while (f != NONE)
        {
            final int after = bOpaque[f];
            drop(f, reason);
            f = after;
        }
        release(slot);
    }

    /** A new context, or {@code -(reason + 1)} when no context may be had. */
    private int create(final int src, final int dst, final int idProto, final long now)
    {
        if (active >= maxReassemblies || freeCount == 0)
        {
            return -(ERROR_LIMIT + 1);
        }
        final int fromSource = perSource.get(src);
        if (fromSource >= maxPerSource)
        {
            return -(ERROR_SOURCE_LIMIT + 1);
        }
        final int slot = freeSlots[--freeCount];
        keySrc[slot] = src;
        keyDst[slot] = dst;
        keyIdProto[slot] = idProto;
        started[slot] = now;
        fragments[slot] = 0;
        dataBytes[slot] = 0;
        endBytes[slot] = NONE;
        maxEnd[slot] = 0;
        buffersHeld[slot] = 0;
        ids[slot] = nextId++;
        insertBucket(slot);
        perSource.put(src, fromSource + 1);
        active++;
        if (now + timeoutNanos < walkDue)
        {
            walkDue = now + timeoutNanos;
        }
        return slot;
    }

    /** Free the context of {@code slot}; its buffers are already gone (sent on or dropped). */
    private void release(final int slot)
    {
        removeBucket(slot);
        final int src = keySrc[slot];
        final int left = perSource.get(src) - 1;
        if (left == 0)
        {
            perSource.remove(src);
        }
        else
        {
            perSource.put(src, left);
        }
        held -= buffersHeld[slot];
        buffersHeld[slot] = 0;
        first[slot] = NONE;
        freeSlots[freeCount++] = slot;
        active--;
    }

    private static int hash(final int src, final int dst, final int idProto)
    {
        int h = src * 0x9e3779b1 ^ dst * 0x85ebca6b ^ idProto * 0xc2b2ae35;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    private int find(final int src, final int dst, final int idProto)
    {
        int b = hash(src, dst, idProto) & bucketMask;
        int e;
        while ((e = buckets[b]) != 0)
        {
            final int slot = e - 1;
            if (keySrc[slot] == src && keyDst[slot] == dst && keyIdProto[slot] == idProto)
            {
                return slot;
            }
            b = (b + 1) & bucketMask;
        }
        return NONE;
    }

    private void insertBucket(final int slot)
    {
        int b = hash(keySrc[slot], keyDst[slot], keyIdProto[slot]) & bucketMask;
        while (buckets[b] != 0)
        {
            b = (b + 1) & bucketMask;
        }
        buckets[b] = slot + 1;
    }

    /** Remove {@code slot}'s bucket, moving back the entries after it that probed past it (no tombstones). */
    private void removeBucket(final int slot)
    {
        int hole = hash(keySrc[slot], keyDst[slot], keyIdProto[slot]) & bucketMask;
        while (buckets[hole] != slot + 1)
        {
            hole = (hole + 1) & bucketMask;
        }
        buckets[hole] = 0;
        int b = hole;
        while (true)
        {
            b = (b + 1) & bucketMask;
            final int e = buckets[b];
            if (e == 0)
            {
                return;
            }
            final int home = hash(keySrc[e - 1], keyDst[e - 1], keyIdProto[e - 1]) & bucketMask;
            // The entry may move into the hole unless its home lies cyclically in (hole, b].
            if (((b - home) & bucketMask) >= ((b - hole) & bucketMask))
            {
                buckets[hole] = e;
                buckets[b] = 0;
                hole = b;
            }
        }
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
        long due = Long.MAX_VALUE;
        for (int slot = 0; slot < capacity; slot++)
        {
            if (first[slot] == NONE)
            {
                continue;
            }
            final long expires = started[slot] + timeoutNanos;
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
        for (int slot = 0; slot < capacity; slot++)
        {
            if (first[slot] == NONE)
            {
                continue;
            }
            out.append("ID: ").append(ids[slot]).append(", key: fib_index: 0, src: ").append(Ip4.format(keySrc[slot]))
                .append(", dst: ").append(Ip4.format(keyDst[slot])).append(", frag_id: ")
                .append(keyIdProto[slot] >>> 8).append(", proto: ").append(keyIdProto[slot] & 0xff).append('\n');
            out.append("  first_bi: ").append(first[slot]).append(", data_len: ").append(dataBytes[slot])
                .append(", last_packet_octet: ").append(endBytes[slot] == NONE ? "unknown" : endBytes[slot] - 1)
                .append(", buffers: ").append(buffersHeld[slot]).append('\n');
            int k = 0;
            for (int f = first[slot]; f != NONE; f = bOpaque[f])
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
