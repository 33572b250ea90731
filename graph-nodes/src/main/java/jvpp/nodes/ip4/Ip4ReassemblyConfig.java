package jvpp.nodes.ip4;

import java.util.function.LongSupplier;

/**
 * The limits of IPv4 full reassembly (VPP's {@code ip_reassembly_set}: timeout, max-reassemblies,
 * max-reassembly-length, expire-walk-interval, with VPP's defaults), plus jvpp's per-source limit, and the clock
 * reassembly reads. Set by {@code set ip reassembly}; every thread's {@link Ip4FullReassNode} reads the values at the
 * start of each frame, so a change applies from the next frame on. Registered as a service of the jvpp.
 *
 * <p>Thread: written by main (the CLI, a test); read by any thread (the fields are volatile).
 */
public final class Ip4ReassemblyConfig
{
    /** VPP's IP4_REASS_TIMEOUT_DEFAULT_MS. */
    public static final int TIMEOUT_MS_DEFAULT = 200;
    /** VPP's IP4_REASS_MAX_REASSEMBLIES_DEFAULT: concurrent reassemblies per thread. */
    public static final int MAX_REASSEMBLIES_DEFAULT = 1024;
    /** VPP's IP4_REASS_MAX_REASSEMBLY_LENGTH_DEFAULT: fragments per datagram. */
    public static final int MAX_REASSEMBLY_LENGTH_DEFAULT = 3;
    /** VPP's IP4_REASS_EXPIRE_WALK_INTERVAL_DEFAULT_MS. */
    public static final int EXPIRE_WALK_INTERVAL_MS_DEFAULT = 50;
    /** jvpp's own: a quarter of the table, so that one source cannot take every context of a thread. */
    public static final int MAX_PER_SOURCE_DEFAULT = MAX_REASSEMBLIES_DEFAULT / 4;
    /** The most contexts a thread's table may be grown to (each costs some 40 bytes of arrays). */
    public static final int MAX_REASSEMBLIES_LIMIT = 65_536;
    /** The most fragments one datagram can have: 64 KB in 8-byte pieces. */
    public static final int MAX_REASSEMBLY_LENGTH_LIMIT = 8192;

    private volatile int timeoutMs = TIMEOUT_MS_DEFAULT;
    private volatile int maxReassemblies = MAX_REASSEMBLIES_DEFAULT;
    private volatile int maxReassemblyLength = MAX_REASSEMBLY_LENGTH_DEFAULT;
    private volatile int expireWalkIntervalMs = EXPIRE_WALK_INTERVAL_MS_DEFAULT;
    private volatile int maxPerSource = MAX_PER_SOURCE_DEFAULT;
    private volatile LongSupplier clock = System::nanoTime;

    public int timeoutMs()
    {
        return timeoutMs;
    }

    public long timeoutNanos()
    {
        return timeoutMs * 1_000_000L;
    }

    public int maxReassemblies()
    {
        return maxReassemblies;
    }

    public int maxReassemblyLength()
    {
        return maxReassemblyLength;
    }

    public int expireWalkIntervalMs()
    {
        return expireWalkIntervalMs;
    }

    public int maxPerSource()
    {
        return maxPerSource;
    }

    /** Set every limit at once (each already checked by the caller against its range). Thread: main. */
    void set(final int timeoutMs, final int maxReassemblies, final int maxReassemblyLength,
        final int expireWalkIntervalMs, final int maxPerSource)
    {
        this.timeoutMs = timeoutMs;
        this.maxReassemblies = maxReassemblies;
        this.maxReassemblyLength = maxReassemblyLength;
        this.expireWalkIntervalMs = expireWalkIntervalMs;
        this.maxPerSource = maxPerSource;
    }

    /** Now, in nanoseconds, as reassembly measures its timeouts. */
    public long now()
    {
        return clock.getAsLong();
    }

    /** Replace the clock (tests that step time by hand). Thread: main, with the data plane drained. */
    public void clock(final LongSupplier clock)
    {
        this.clock = clock;
    }
}
