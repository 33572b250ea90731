package jvpp.core.buffer;

import java.util.concurrent.CopyOnWriteArrayList;

import jvpp.core.net.Ip4;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The buffers of one arena, their metadata, and the free list that owns the buffers nobody uses.
 *
 * <p>Metadata lives in parallel primitive arrays indexed by buffer index, never in per-packet objects:
 * {@link #start} (arena offset of the first byte of current data), {@link #length}, {@link #rxIf},
 * {@link #txIf}, {@link #flags}, {@link #error} (the drop reason, a global error index), {@link #opaque}
 * (node-to-node scratch, e.g. an adjacency index) and {@link #trace} (the packet's trace number, 0 when
 * not traced).
 *
 * <p>Chains (VPP's {@code next_buffer}): a frame longer than one buffer is a chain, its head first. A buffer
 * with {@link #FLAG_NEXT_PRESENT} in {@link #flags} continues in {@link #nextBuffer}; the head's
 * {@link #chainRest} is the length of every buffer after it (VPP's
 * {@code total_length_not_including_first_buffer}), so {@link #totalLength} costs one branch. Nodes that read
 * headers read the head only (a driver puts at least the headers there); a node that needs the packet's length
 * uses {@link #totalLength}; one that needs the payload walks the chain. Freeing a head frees its chain
 * ({@link BufferCache#free(int)}), so every drop and tx path returns the whole packet.
 *
 * <p>Offload metadata (VPP's {@code VNET_BUFFER_F_GSO} and {@code VNET_BUFFER_F_OFFLOAD}, the virtio-net header's
 * fields), valid on a head only: with {@link #FLAG_GSO} the packet is a GSO super-frame whose segments carry
 * {@link #gsoSize} payload bytes each, of type {@link #gsoType} ({@link #GSO_TCP4}, {@link #GSO_TCP6},
 * {@link #GSO_UDP}, {@link #GSO_UDP_L4}, optionally with {@link #GSO_ECN}); with {@link #FLAG_CSUM_PARTIAL} its L4 checksum is still
 * to be completed over the bytes from {@link #csumStart} (an arena offset, so it stays put when nodes advance
 * or prepend headers) into the 16 bits at {@code csumStart + csumOffset} ({@code CHECKSUM_PARTIAL}).
 *
 * <p>Ownership: every buffer is in exactly one place: this pool's free stack, one thread's
 * {@link BufferCache}, or in use (a frame, a driver ring, a hold queue). {@code used = total - free - cached}
 * is what {@code show buffers} reports, and a drained router has {@code used == 0}. With
 * {@code -Djvpp.buffer.debug=true} every alloc and free also checks the buffer's state, so a double free
 * or a free of a buffer never allocated throws at the culprit.
 *
 * <p>Thread: the free stack is shared and guarded by this object's monitor; threads reach it only in
 * batches through their own {@link BufferCache}. Metadata of a buffer is touched by its owner only.
 */
public final class BufferPool
{
    public static final boolean DEBUG = Boolean.getBoolean(jvpp.core.Configuration.BUFFER_DEBUG_PROP_NAME);
    /** {@link #flags} bit: jvpp itself made this packet (an echo reply, an ICMP error, a ping): no TTL decrement. */
    public static final int FLAG_LOCALLY_ORIGINATED = 1;
    /**
     * {@link #flags} bit: a bridge handed this frame to its BVI: ethernet-input takes it to L3 even though the
     * BVI is in L2 mode (VPP's ethernet-input-not-l2), and clears the bit.
     */
    public static final int FLAG_L2_TO_BVI = 2;
    /** {@link #flags} bit: {@link #nextBuffer} is valid, the packet continues there (VLIB_BUFFER_NEXT_PRESENT). */
    public static final int FLAG_NEXT_PRESENT = 4;
    /** {@link #flags} bit of a head: a GSO super-frame, {@link #gsoSize} and {@link #gsoType} valid (VNET_BUFFER_F_GSO). */
    public static final int FLAG_GSO = 8;
    /** {@link #flags} bit of a head: the L4 checksum is partial, {@link #csumStart}/{@link #csumOffset} valid. */
    public static final int FLAG_CSUM_PARTIAL = 16;
    /**
     * {@link #flags} bit: ethernet-input took this frame to L3 from a broadcast or multicast destination MAC:
     * ip4-input drops a unicast IPv4 packet in it, and no ICMP error is sent about it (RFC 1122 3.2.2, 3.3.6).
     */
    public static final int FLAG_L2_MULTICAST = 32;
    /** {@link #gsoType}: TCP over IPv4 (the virtio-net header's VIRTIO_NET_HDR_GSO_TCPV4). */
    public static final int GSO_TCP4 = 1;
    /** {@link #gsoType}: UDP fragmentation offload (VIRTIO_NET_HDR_GSO_UDP). */
    public static final int GSO_UDP = 3;
    /** {@link #gsoType}: TCP over IPv6 (VIRTIO_NET_HDR_GSO_TCPV6). */
    public static final int GSO_TCP6 = 4;
    /** {@link #gsoType}: UDP segmentation over IPv4 or IPv6 (USO, VIRTIO_NET_HDR_GSO_UDP_L4): one datagram a segment. */
    public static final int GSO_UDP_L4 = 5;
    /** {@link #gsoType} bit: the TCP segments carry ECN's CWR as the kernel set it (VIRTIO_NET_HDR_GSO_ECN). */
    public static final int GSO_ECN = 0x80;
    private static final byte STATE_FREE = 0;
    private static final byte STATE_USED = 1;
    private static final byte STATE_CHAINED = 2;

    private final String name;
    private final int index;
    private final int numaNode;
    private final BufferArena arena;
    private final UnsafeBuffer memory;
    private final int[] freeStack;
    private int freeCount;
    private final byte[] state;
    private final CopyOnWriteArrayList<BufferCache> caches = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Holder> holders = new CopyOnWriteArrayList<>();

    /** Something that keeps buffers in use for long (DPDK's mempool reserve), named for {@code show buffers}. */
    public record Holder(String name, java.util.function.LongSupplier count)
    {
    }

    public final int[] start;
    public final int[] length;
    public final int[] rxIf;
    public final int[] txIf;
    public final int[] flags;
    public final int[] error;
    public final int[] opaque;
    public final int[] trace;
    /** The buffer after this one in its chain; valid with {@link #FLAG_NEXT_PRESENT}. */
    public final int[] nextBuffer;
    /** Of a head: the bytes of every buffer after it (VPP's total_length_not_including_first_buffer). */
    public final int[] chainRest;
    /** Of a GSO head: payload bytes per segment (VPP's gso_size, the virtio-net header's gso_size). */
    public final int[] gsoSize;
    /** Of a GSO head: {@link #GSO_TCP4}, {@link #GSO_TCP6}, {@link #GSO_UDP} or {@link #GSO_UDP_L4}, maybe with {@link #GSO_ECN}. */
    public final int[] gsoType;
    /** Of a checksum-partial head: arena offset where the L4 checksum's coverage starts (the L4 header). */
    public final int[] csumStart;
    /** Of a checksum-partial head: where the checksum field sits, from {@link #csumStart}. */
    public final int[] csumOffset;

    public BufferPool(final String name, final int index, final int numaNode, final BufferArena arena)
    {
        this.name = name;
        this.index = index;
        this.numaNode = numaNode;
        this.arena = arena;
        this.memory = arena.memory();
        final int n = arena.count();
        this.freeStack = new int[n];
        this.state = DEBUG ? new byte[n] : null;
        start = new int[n];
        length = new int[n];
        rxIf = new int[n];
        txIf = new int[n];
        flags = new int[n];
        error = new int[n];
        opaque = new int[n];
        trace = new int[n];
        nextBuffer = new int[n];
        chainRest = new int[n];
        gsoSize = new int[n];
        gsoType = new int[n];
        csumStart = new int[n];
        csumOffset = new int[n];
        // Highest index at the bottom so that the first allocations are the lowest indices.
        for (int i = 0; i < n; i++)
        {
            freeStack[i] = n - 1 - i;
        }
        freeCount = n;
    }

    public String name()
    {
        return name;
    }

    public int index()
    {
        return index;
    }

    public int numaNode()
    {
        return numaNode;
    }

    public BufferArena arena()
    {
        return arena;
    }

    /** The arena memory; {@code memory().getByte(start[bi])} is the first byte of buffer {@code bi}'s data. */
    public UnsafeBuffer memory()
    {
        return memory;
    }

    public int total()
    {
        return freeStack.length;
    }

    /** Buffers on the shared free stack. */
    public synchronized int free()
    {
        return freeCount;
    }

    /** Buffers sitting in threads' caches (free, but owned by a thread). */
    public int cached()
    {
        int sum = 0;
        for (final BufferCache c : caches)
        {
            sum += c.size();
        }
        return sum;
    }

    /** Buffers owned by frames, rings and queues: neither on the free stack nor in a cache. */
    public int used()
    {
        final int free;
        synchronized (this)
        {
            free = freeCount;
        }
        return total() - free - cached();
    }

    /** Name a long-term holder of buffers, so {@code show buffers} can say where "used" buffers are. */
    public void addHolder(final String name, final java.util.function.LongSupplier count)
    {
        holders.add(new Holder(name, count));
    }

    public java.util.List<Holder> holders()
    {
        return java.util.List.copyOf(holders);
    }

    /** A new per-thread cache of this pool. Thread: main, at thread creation. */
    public BufferCache newCache(final String owner)
    {
        final BufferCache cache = new BufferCache(this, owner);
        caches.add(cache);
        return cache;
    }

    void removeCache(final BufferCache cache)
    {
        caches.remove(cache);
    }

    /** Move up to {@code count} buffers from the free stack into {@code dst}; returns how many. */
    synchronized int take(final int[] dst, final int offset, final int count)
    {
        final int n = Math.min(count, freeCount);
        final int from = freeCount - n;
        System.arraycopy(freeStack, from, dst, offset, n);
        freeCount = from;
        return n;
    }

    /** Return {@code count} buffers from {@code src} to the free stack. */
    synchronized void give(final int[] src, final int offset, final int count)
    {
        if (freeCount + count > freeStack.length)
        {
            throw new IllegalStateException(name + ": more buffers freed than exist (double free?)");
        }
        System.arraycopy(src, offset, freeStack, freeCount, count);
        freeCount += count;
    }

    /** Reset a buffer's metadata to that of a fresh, empty buffer. */
    public void reset(final int bi)
    {
        start[bi] = arena.dataOffset(bi);
        length[bi] = 0;
        flags[bi] = 0;
        error[bi] = 0;
        trace[bi] = 0;
        chainRest[bi] = 0;
    }

    /** The packet's length: the head's bytes and, for a chain, every buffer after it. */
    public int totalLength(final int bi)
    {
        return (flags[bi] & FLAG_NEXT_PRESENT) == 0 ? length[bi] : length[bi] + chainRest[bi];
    }

    /** The buffer after {@code bi} in its chain, or -1 at the end. */
    public int next(final int bi)
    {
        return (flags[bi] & FLAG_NEXT_PRESENT) == 0 ? -1 : nextBuffer[bi];
    }

    /** How many buffers the packet headed by {@code head} has (1 when it is not chained). */
    public int chainCount(final int head)
    {
        int n = 1;
        for (int b = head; (flags[b] & FLAG_NEXT_PRESENT) != 0; b = nextBuffer[b])
        {
            n++;
        }
        return n;
    }

    /**
     * Link {@code bi}, holding {@code length[bi]} bytes, after {@code tail}, the last buffer of the chain headed by
     * {@code head} (the head itself when it is alone); the head's {@link #chainRest} grows by those bytes.
     */
    public void append(final int head, final int tail, final int bi)
    {
        if (DEBUG)
        {
            checkAppend(head, tail, bi, true);
        }
        nextBuffer[tail] = bi;
        flags[tail] |= FLAG_NEXT_PRESENT;
        flags[bi] &= ~FLAG_NEXT_PRESENT;
        chainRest[head] += length[bi];
    }

    /**
     * Link the packet headed by {@code other} (a lone buffer or a chain's head, with {@link #chainRest} valid) after
     * {@code tail}, the last buffer of the chain headed by {@code head}: the head's {@link #chainRest} grows by every
     * byte of {@code other}, whose buffers are then part of {@code head}'s chain (freed with it). Returns the chain's
     * new tail, the last buffer of {@code other}. For a node that joins whole packets (ip4 reassembly).
     */
    public int appendPacket(final int head, final int tail, final int other)
    {
        if (DEBUG)
        {
            checkAppend(head, tail, other, false);
        }
        chainRest[head] += totalLength(other);
        nextBuffer[tail] = other;
        flags[tail] |= FLAG_NEXT_PRESENT;
        flags[other] &= FLAG_NEXT_PRESENT;
        int last = other;
        while ((flags[last] & FLAG_NEXT_PRESENT) != 0)
        {
            last = nextBuffer[last];
        }
        return last;
    }

    /**
     * The 16-bit ones' complement sum (RFC 1071, not inverted, folded) of the packet headed by {@code head} from arena
     * offset {@code from} (inside the head) to the end of its chain: what a checksum over a payload that spans
     * buffers needs. A buffer of odd length leaves its last byte to pair with the next buffer's first.
     */
    public int onesSum(final int head, final int from)
    {
        long sum = 0;
        boolean odd = false;
        int b = head;
        int p = from;
        int len = start[head] + length[head] - from;
        while (true)
        {
            final int part = Ip4.onesSum(memory, p, len);
            // A buffer that starts at an odd byte of the run sums its words shifted by one: swap it (RFC 1071).
            sum += odd ? Short.reverseBytes((short)part) & 0xffff : part;
            odd ^= (len & 1) != 0;
            if ((flags[b] & FLAG_NEXT_PRESENT) == 0)
            {
                break;
            }
            b = nextBuffer[b];
            p = start[b];
            len = length[b];
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int)sum;
    }

    /**
     * Complete the partial L4 checksum of the head {@code bi} ({@link #FLAG_CSUM_PARTIAL}) in software, as the kernel's
     * {@code skb_checksum_help}: the field holds the pseudo-header's sum, the sum from {@link #csumStart} to the end
     * of the chain goes into it inverted, and the flag is cleared. For an egress that cannot take partial checksums.
     */
    public void completeChecksum(final int bi)
    {
        final int field = csumStart[bi] + csumOffset[bi];
        int sum = ~onesSum(bi, csumStart[bi]) & 0xffff;
        if (sum == 0 && csumOffset[bi] == 6)
        {
            sum = 0xffff; // UDP sends a computed 0 as all ones (0 means "no checksum")
        }
        memory.putShort(field, (short)sum, java.nio.ByteOrder.BIG_ENDIAN);
        flags[bi] &= ~FLAG_CSUM_PARTIAL;
    }

    /** Clear the offload state of a head (a node that made a packet whole or built a new one). */
    public void clearOffload(final int bi)
    {
        flags[bi] &= ~(FLAG_GSO | FLAG_CSUM_PARTIAL);
    }

    private void checkAppend(final int head, final int tail, final int bi, final boolean lone)
    {
        if (state[head] != STATE_USED || (tail != head && state[tail] != STATE_CHAINED))
        {
            throw new IllegalStateException(name + ": appending to buffer " + tail + " of chain " + head
                + " which is not an allocated chain");
        }
        if ((flags[tail] & FLAG_NEXT_PRESENT) != 0)
        {
            throw new IllegalStateException(name + ": buffer " + tail + " is not the tail of chain " + head);
        }
        if (state[bi] != STATE_USED || bi == head || (lone && (flags[bi] & FLAG_NEXT_PRESENT) != 0))
        {
            throw new IllegalStateException(name + ": buffer " + bi + " appended to chain " + head
                + (lone ? " is not an allocated lone buffer" : " is not an allocated packet's head"));
        }
        state[bi] = STATE_CHAINED;
    }

    void markAllocated(final int bi)
    {
        if (state[bi] != STATE_FREE)
        {
            throw new IllegalStateException(name + ": buffer " + bi + " allocated while in use");
        }
        state[bi] = STATE_USED;
    }

    /** Debug: {@code bi} is freed as a chain's head ({@code head}) or as a buffer inside the chain (not). */
    void markFreed(final int bi, final boolean head)
    {
        if (bi < 0 || bi >= state.length)
        {
            throw new IllegalStateException(name + ": freeing buffer index " + bi + " out of range");
        }
        final byte s = state[bi];
        if (s == STATE_FREE)
        {
            throw new IllegalStateException(name + ": double free of buffer " + bi);
        }
        if (head && s == STATE_CHAINED)
        {
            throw new IllegalStateException(name + ": freeing buffer " + bi + " inside a chain (free its head)");
        }
        if (!head && s != STATE_CHAINED)
        {
            throw new IllegalStateException(name + ": buffer " + bi + " linked into a chain it was never appended to");
        }
        state[bi] = STATE_FREE;
    }

    /** Debug: {@code bi} is cut off a chain ({@link BufferCache#trim}) and becomes a lone buffer again. */
    void markUnchained(final int bi)
    {
        state[bi] = STATE_USED;
    }
}
