package jvpp.pmd.dpdk;

/**
 * The defaults and limits of DPDK in jvpp, written once (Aeron's {@code Configuration}): what the
 * {@code dpdk { }} section ({@link DpdkSection}) checks against and fills in, and what {@link DpdkPorts} uses
 * when a caller gives less. {@code *_DEFAULT} is the value a config that says nothing gets; {@code *_PROP_NAME}
 * is a {@code -D} system property. Core's are in {@code jvpp.core.Configuration}.
 *
 * <p>Thread: any (constants).
 */
public final class DpdkConfiguration
{
    /** {@code num-rx-queues} / {@code num-tx-queues} of a {@code dev}. */
    public static final int QUEUES_DEFAULT = 1;
    public static final int QUEUES_MAX = 64;

    /** {@code num-rx-desc} / {@code num-tx-desc} of a {@code dev}: a power of 2 in this range. */
    public static final int RX_DESC_DEFAULT = 1024;
    public static final int TX_DESC_DEFAULT = 1024;
    public static final int DESC_MIN = 64;
    public static final int DESC_MAX = 65536;

    /** {@code no-huge-memory <MB>} (a jvpp extension): the {@code -m} that {@code no-huge} needs. */
    public static final int NO_HUGE_MEMORY_MB_DEFAULT = 256;
    public static final int NO_HUGE_MEMORY_MB_MIN = 64;
    public static final int NO_HUGE_MEMORY_MB_MAX = 65536;

    /** mbufs of the copying pool (copy mode only). */
    public static final int COPY_POOL_SIZE = 8192;

    /** {@code -Djvpp.dpdk.zero-copy=false} forces the copying mode. */
    public static final String ZERO_COPY_PROP_NAME = "jvpp.dpdk.zero-copy";
    public static final boolean ZERO_COPY_DEFAULT = true;

    private DpdkConfiguration()
    {
    }

    /** Whether mbufs are jvpp's buffers: {@value #ZERO_COPY_PROP_NAME}, else {@link #ZERO_COPY_DEFAULT}. */
    public static boolean zeroCopy()
    {
        final String value = System.getProperty(ZERO_COPY_PROP_NAME);
        return value == null ? ZERO_COPY_DEFAULT : !"false".equals(value);
    }
}
