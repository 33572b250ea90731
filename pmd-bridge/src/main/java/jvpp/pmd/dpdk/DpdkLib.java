package jvpp.pmd.dpdk;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The DPDK shim ({@code libjvppdpdk.so}, built from {@code src/main/c/jvpp_dpdk.c}), JNA direct-mapped: one
 * JNI transition per call, nothing marshalled on the data path. Pointers are native addresses ({@code long})
 * of arrays the caller preallocated; DPDK's {@code uint16_t} port and queue ids are passed as {@code int}.
 *
 * <p>The shim is on the class path under {@code linux-x86-64/} when the build found libdpdk. Without it
 * {@link #available()} is false and {@link #ensureLoaded()} says what to install; nothing else here may be
 * called then.
 *
 * <p>Thread: any (the burst functions on the thread that owns the queue).
 */
public final class DpdkLib
{
    public static final String LIBRARY = "jvppdpdk";
    private static final String LOAD_ERROR;

    static
    {
        String error = null;
        try
        {
            Native.register(DpdkLib.class, NativeLibrary.getInstance(LIBRARY, DpdkLib.class.getClassLoader()));
        }
        catch (final UnsatisfiedLinkError | RuntimeException ex)
        {
            error = ex.getMessage();
        }
        LOAD_ERROR = error;
    }

    private DpdkLib()
    {
    }

    /** Whether the shim (and the DPDK libraries it links) loaded. */
    public static boolean available()
    {
        return LOAD_ERROR == null;
    }

    /** Why the shim did not load, or null. */
    public static String loadError()
    {
        return LOAD_ERROR;
    }

    /** Throw a clear error when the shim is missing. */
    public static void ensureLoaded()
    {
        if (LOAD_ERROR != null)
        {
            throw new IllegalStateException("DPDK support is not available: the shim lib" + LIBRARY + ".so did not load ("
                + LOAD_ERROR + "). Install DPDK (apt-get install dpdk libdpdk-dev) and rebuild pmd-bridge, which builds "
                + "the shim when `pkg-config --exists libdpdk' holds");
        }
    }

    public static native String jvpp_last_error();

    public static native String jvpp_strerror(int err);

    /** argv: a {@code com.sun.jna.StringArray}; returns the number of arguments EAL consumed or -errno. */
    public static native int jvpp_eal_init(int argc, Pointer argv);

    public static native int jvpp_iova_va();

    /** out: 4 uint32: mempool object header size, sizeof(rte_mbuf), object size for the stride, trailer size. */
    public static native int jvpp_layout(int stride, long out);

    /** 1 zero-copy pool over the arena, 0 copy-mode pool, -errno (see {@link #jvpp_last_error()}). */
    public static native int jvpp_pool_create(String name, long base, int count, int stride, int dataSize,
        int zeroCopy, int copyPoolSize);

    public static native int jvpp_pool_put(long bis, int n);

    public static native int jvpp_pool_take(long bis, int n);

    public static native int jvpp_pool_avail();

    public static native long jvpp_rx_multiseg_drops();

    /** See jvpp_dpdk.c: consumes the top n of stash, writes (bi, data_off << 16 | len) pairs to out. */
    public static native int jvpp_rx_burst(int port, int queue, long stash, int stashN, long out, int max);

    /** See jvpp_dpdk.c: desc holds (bi, arena offset, length) triples; returns sent | returned << 16. */
    public static native int jvpp_tx_burst(int port, int queue, long desc, int n, long back, int debt);

    /** {@link #jvpp_rx_burst} with its arguments in a native context (see jvpp_dpdk.c): one argument is cheaper. */
    public static native int jvpp_rx_ctx(long ctx);

    /** {@link #jvpp_tx_burst} with its arguments in a native context (see jvpp_dpdk.c). */
    public static native int jvpp_tx_ctx(long ctx);

    public static native int jvpp_port_count();

    public static native int jvpp_port_attach(String devargs, String name);

    public static native int jvpp_port_by_name(String name);

    public static native int jvpp_port_setup(int port, int rxq, int txq, int rxDesc, int txDesc);

    public static native int jvpp_port_start(int port);

    public static native int jvpp_port_stop(int port);

    public static native int jvpp_port_close(int port);

    public static native long jvpp_port_mac(int port);

    /** 1 up, 0 down, -errno; the speed (Mb/s, uint32) into speedOut when not 0. */
    public static native int jvpp_port_link(int port, long speedOut);

    /** out: 8 uint64: ipackets, opackets, ibytes, obytes, imissed, ierrors, oerrors, rx_nombuf. */
    public static native int jvpp_port_stats(int port, long out);

    public static native int jvpp_port_xstats_count(int port);

    /** names: n * 64 bytes of NUL-terminated names; values: n uint64. Returns how many. */
    public static native int jvpp_port_xstats(int port, long names, long values, int n);

    public static native int jvpp_port_name(int port, long out, int n);

    public static native int jvpp_port_driver(int port, long out, int n);

    /** The device's largest MTU: its max_mtu, or max_rx_pktlen less the Ethernet header and CRC; negative errno. */
    public static native int jvpp_port_max_mtu(int port);
}
