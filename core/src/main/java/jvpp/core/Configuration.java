package jvpp.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jvpp.core.iface.RxMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The defaults and limits of core's configuration, written once (Aeron's {@code Configuration}): what
 * {@link Jvpp.Context} starts from and {@link Jvpp.Context#conclude()} checks against, and what the
 * {@code buffers { }} and {@code cpu { }} sections of startup.conf check their values against before they set
 * them. {@code *_DEFAULT} is the value a config that says nothing gets; {@code *_PROP_NAME} is a {@code -D}
 * system property.
 *
 * <p>Other modules keep theirs beside their code ({@code jvpp.pmd.dpdk.DpdkConfiguration}): core cannot see
 * them, and a default belongs to the code that uses it.
 *
 * <p>Thread: any (constants).
 */
public final class Configuration
{
    /** {@code buffers { buffers-per-numa }}: buffers in the arena. */
    public static final int BUFFERS_DEFAULT = 16384;
    public static final int BUFFERS_MIN = 1;
    public static final int BUFFERS_MAX = 4 << 20;

    /** {@code buffers { default data-size }}: bytes of packet data per buffer. */
    public static final int DATA_SIZE_DEFAULT = 2048;
    public static final int DATA_SIZE_MIN = 256;
    public static final int DATA_SIZE_MAX = 65536;

    /** {@code buffers { page-size }}: try 2 MB hugepages first (falling back to ordinary pages). */
    public static final boolean HUGEPAGES_DEFAULT = true;

    /** {@code cpu { main-core }} and worker cores: -1 is "not pinned". */
    public static final int CORE_NONE = -1;
    public static final int CORE_MAX = 4095;
    public static final int MAIN_CORE_DEFAULT = CORE_NONE;

    /** {@code cpu { workers }}: at most this many worker threads. */
    public static final int WORKERS_MAX = 64;

    /** {@code cpu { idle }}: the workers' idle strategy, as VPP's workers poll. */
    public static final String IDLE_STRATEGY_DEFAULT = "busy-spin";
    /** Each idle strategy by name, in the order error messages list them; a factory since some keep state. */
    private static final Map<String, Supplier<IdleStrategy>> IDLE_STRATEGY_FACTORIES = idleStrategyFactories();
    /** Every idle strategy name. */
    public static final List<String> IDLE_STRATEGIES = List.copyOf(IDLE_STRATEGY_FACTORIES.keySet());

    /**
     * {@code cpu { rx-mode }} (a jvpp extension): the rx mode new TAP and AF_PACKET queues start in. Adaptive, so
     * that an idle router sleeps (under 2 % of a core) while a busy one polls; see {@code RxMode}. Queues without a
     * file descriptor (DPDK, packet-generator streams) always poll.
     */
    public static final RxMode RX_MODE_DEFAULT = RxMode.ADAPTIVE;

    /** {@code -Djvpp.buffer.debug=true}: check every buffer alloc and free (tests run with it). */
    public static final String BUFFER_DEBUG_PROP_NAME = "jvpp.buffer.debug";

    private Configuration()
    {
    }

    /** The valid idle strategy names as a sentence: {@code busy-spin, yield or backoff}. */
    public static String idleStrategyChoices()
    {
        final int last = IDLE_STRATEGIES.size() - 1;
        return String.join(", ", IDLE_STRATEGIES.subList(0, last)) + " or " + IDLE_STRATEGIES.get(last);
    }

    /**
     * A factory of the idle strategy called {@code name} (one instance per worker: some keep state).
     *
     * @throws IllegalArgumentException for a name not in {@link #IDLE_STRATEGIES}, naming the valid ones
     */
    public static Supplier<IdleStrategy> idleStrategy(final String name)
    {
        final Supplier<IdleStrategy> factory = name == null ? null : IDLE_STRATEGY_FACTORIES.get(name);
        if (factory == null)
        {
            throw new IllegalArgumentException("unknown idle strategy `" + name + "': expected " + idleStrategyChoices());
        }
        return factory;
    }

    private static Map<String, Supplier<IdleStrategy>> idleStrategyFactories()
    {
        final Map<String, Supplier<IdleStrategy>> m = new LinkedHashMap<>();
        m.put(IDLE_STRATEGY_DEFAULT, BusySpinIdleStrategy::new);
        m.put("yield", YieldingIdleStrategy::new);
        m.put("backoff", () -> new BackoffIdleStrategy(1_000, 1_000, 1_000, 50_000));
        return Collections.unmodifiableMap(m);
    }
}
