package jvpp.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferPool;
import jvpp.core.cli.CliRegistry;
import jvpp.core.cli.CliResult;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Graph;
import jvpp.core.graph.HandoffRings;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.iface.RxMode;
import jvpp.core.log.Log;
import jvpp.core.sys.LibC;
import jvpp.core.thread.Barrier;
import jvpp.core.thread.CpuTopology;
import jvpp.core.thread.MainConductor;
import jvpp.core.thread.ProcessScheduler;
import jvpp.core.thread.QueuePlacement;
import jvpp.core.thread.ThreadInfo;
import jvpp.core.thread.ThreadRegistry;
import jvpp.core.thread.Waiter;
import jvpp.core.thread.Workers;
import org.agrona.concurrent.IdleStrategy;

/**
 * One jvpp instance: the buffer pool, the graph and its per-thread dispatchers, the interface table, the
 * command registry, the process scheduler, and the services modules publish to each other (VPP's
 * vlib_main_t and vnet_main_t together). Everything a plugin or a command needs is reached from here.
 *
 * <p>Tests create as many instances as they like; the daemon creates one.
 *
 * <p>Thread: main, except where a method says otherwise.
 */
public final class Jvpp implements AutoCloseable
{
    /**
     * What an instance is created with (Aeron's {@code Context}): startup.conf's {@code buffers { }} and
     * {@code cpu { }} sections set it through the fluent setters, as tests and benchmarks do, and the sections
     * other modules own put their settings in it ({@link #settings(Class, Object)}). A new context holds the
     * defaults of {@link Configuration}; {@link #conclude()} checks everything and fills in what is derived.
     * {@link Jvpp#create(Context)} concludes it.
     *
     * <p>Thread: the one that builds it; read-only once the instance is created.
     */
    public static final class Context
    {
        private int buffers = Configuration.BUFFERS_DEFAULT;
        private int dataSize = Configuration.DATA_SIZE_DEFAULT;
        private boolean hugepages = Configuration.HUGEPAGES_DEFAULT;
        private int mainCore = Configuration.MAIN_CORE_DEFAULT;
        private int[] workerCores = new int[0];
        private String workerIdle = Configuration.IDLE_STRATEGY_DEFAULT;
        private Supplier<IdleStrategy> workerIdleStrategy;
        private RxMode rxMode = Configuration.RX_MODE_DEFAULT;
        private final Map<Class<?>, Object> settings = new HashMap<>();

        /** Buffers in the arena: {@code buffers { buffers-per-numa }}. */
        public Context buffers(final int n)
        {
            buffers = n;
            return this;
        }

        /** Bytes of packet data per buffer: {@code buffers { default data-size }}. */
        public Context dataSize(final int n)
        {
            dataSize = n;
            return this;
        }

        /** Try 2 MB hugepages first (falling back to ordinary pages), or use ordinary pages. */
        public Context hugepages(final boolean on)
        {
            hugepages = on;
            return this;
        }

        /** Pin main to this CPU (-1: leave it where the kernel puts it). */
        public Context mainCore(final int core)
        {
            mainCore = core;
            return this;
        }

        /**
         * Run {@code cores.length} worker threads, worker i pinned to {@code cores[i]} (-1: not pinned).
         * Startup.conf's {@code cpu { corelist-workers 1-3 }} or {@code workers 3}.
         */
        public Context workers(final int[] cores)
        {
            workerCores = cores.clone();
            return this;
        }

        /** The workers' idle strategy, one of {@link Configuration#IDLE_STRATEGIES} (checked by {@link #conclude()}). */
        public Context workerIdle(final String idle)
        {
            workerIdle = idle;
            workerIdleStrategy = null;
            return this;
        }

        /** The rx mode new TAP and AF_PACKET queues start in: {@code cpu { rx-mode }}. */
        public Context rxMode(final RxMode mode)
        {
            rxMode = java.util.Objects.requireNonNull(mode, "rxMode");
            return this;
        }

        public RxMode rxMode()
        {
            return rxMode;
        }

        /**
         * A module's settings, e.g. what its startup.conf section read ({@code DpdkConfig}); replaces what was
         * there. The module's plugin reads them back with {@link #settings(Class)}.
         */
        public <T> Context settings(final Class<T> type, final T value)
        {
            settings.put(type, type.cast(value));
            return this;
        }

        /** A module's settings, or null when nothing set them (its section is not in the file). */
        public <T> T settings(final Class<T> type)
        {
            return type.cast(settings.get(type));
        }

        /**
         * Check every value and fill in what is derived from them (the idle strategy); may be called again.
         *
         * @throws IllegalArgumentException naming the first value that is wrong and what it may be
         */
        public Context conclude()
        {
            check("buffers", buffers, Configuration.BUFFERS_MIN, Configuration.BUFFERS_MAX);
            check("dataSize", dataSize, Configuration.DATA_SIZE_MIN, Configuration.DATA_SIZE_MAX);
            check("mainCore", mainCore, Configuration.CORE_NONE, Configuration.CORE_MAX);
            check("workers", workerCores.length, 0, Configuration.WORKERS_MAX);
            for (final int core : workerCores)
            {
                check("worker core", core, Configuration.CORE_NONE, Configuration.CORE_MAX);
            }
            try
            {
                workerIdleStrategy = Configuration.idleStrategy(workerIdle);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("workerIdle: " + ex.getMessage(), ex);
            }
            return this;
        }

        private static void check(final String what, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(what + ": must be between " + min + " and " + max + ", got " + value);
            }
        }

        public int buffers()
        {
            return buffers;
        }

        public int dataSize()
        {
            return dataSize;
        }

        public boolean hugepages()
        {
            return hugepages;
        }

        public int mainCore()
        {
            return mainCore;
        }

        public int[] workerCores()
        {
            return workerCores.clone();
        }

        public String workerIdle()
        {
            return workerIdle;
        }

        /** A factory of the workers' idle strategy; set by {@link #conclude()}. */
        public Supplier<IdleStrategy> workerIdleStrategy()
        {
            if (workerIdleStrategy == null)
            {
                throw new IllegalStateException("Jvpp.Context: conclude() first");
            }
            return workerIdleStrategy;
        }
    }

    private final Context context;
    private final long bootNanos = System.nanoTime();
    private final BufferArena arena;
    private final BufferPool pool;
    private final Graph graph = new Graph();
    private final InterfaceTable interfaces = new InterfaceTable();
    private final CliRegistry cli = new CliRegistry();
    private final ProcessScheduler processes = new ProcessScheduler();
    private final List<Dispatcher> dispatchers = new ArrayList<>();
    private final Dispatcher mainDispatcher;
    private final MainConductor main;
    private final Map<Class<?>, Object> services = new HashMap<>();
    private final ThreadRegistry threads = new ThreadRegistry();
    private final Deque<Runnable> onClose = new ArrayDeque<>();
    private final Barrier barrier = new Barrier();
    private final HandoffRings handoffRings;
    private final Workers workers;
    private final QueuePlacement queuePlacement;
    private final List<Plugin> plugins = new ArrayList<>();

    private Jvpp(final Context context)
    {
        this.context = context;
        this.arena = BufferArena.allocate(context.buffers(), context.dataSize(), context.hugepages());
        this.pool = new BufferPool("default-numa-0", 0, 0, arena);
        this.mainDispatcher = new Dispatcher(graph, 0, "jvpp_main", pool, interfaces::capacity);
        dispatchers.add(mainDispatcher);
        final int[] workerCores = context.workerCores();
        for (int w = 0; w < workerCores.length; w++)
        {
            dispatchers.add(new Dispatcher(graph, w + 1, "jvpp_wk_" + w, pool, interfaces::capacity));
        }
        for (final Dispatcher d : dispatchers)
        {
            d.threads(dispatchers.size());
        }
        final Waiter[] waiters = new Waiter[dispatchers.size()];
        for (int t = 0; t < waiters.length; t++)
        {
            waiters[t] = dispatchers.get(t).waiter();
        }
        this.handoffRings = new HandoffRings(waiters);
        this.main = new MainConductor(this, mainDispatcher, processes);
        processes.waiter(mainDispatcher.waiter());
        this.workers = new Workers(dispatchers.subList(1, dispatchers.size()), barrier, workerCores,
            context.workerIdleStrategy(), threads::add);
        this.queuePlacement = new QueuePlacement(workerCores);
    }

    /**
     * Create an instance from {@code context} (concluded first: a wrong value throws before anything is
     * allocated) and initialise every plugin on the class path.
     */
    public static Jvpp create(final Context context)
    {
        final Jvpp vpp = new Jvpp(context.conclude());
        try
        {
            for (final Plugin p : Plugin.loadAll())
            {
                p.init(vpp);
                vpp.plugins.add(p);
            }
            vpp.syncThreads();
            Log.info("buffers: %d x %d bytes (%s), %d plugins: %s", context.buffers(), vpp.arena.stride(),
                vpp.arena.hugepages() ? "2M hugepages" : "ordinary pages", vpp.plugins.size(),
                String.join(", ", vpp.plugins.stream().map(Plugin::name).toList()));
            return vpp;
        }
        catch (final RuntimeException ex)
        {
            vpp.close();
            throw ex;
        }
    }

    /** An instance with {@link Configuration}'s defaults. */
    public static Jvpp create()
    {
        return create(new Context());
    }

    /**
     * Let every plugin bring up what the configuration asked of it ({@link Plugin#start}), in plugin order.
     * Thread: main, after {@link #enterMainThread()}, before the CLI listens.
     */
    public void startPlugins()
    {
        for (final Plugin p : plugins)
        {
            p.start(this);
        }
    }

    /**
     * Run one CLI line with the workers stopped at the barrier, and bring every thread up to date with what it
     * changed before they go on. Thread: main.
     */
    public CliResult execute(final String line)
    {
        barrier.hold();
        try
        {
            final CliResult r = cli.execute(line);
            syncThreads();
            return r;
        }
        finally
        {
            barrier.release();
        }
    }

    /** Run {@code change} with the workers stopped, then resync them. Thread: main. */
    public void withBarrier(final Runnable change)
    {
        barrier.hold();
        try
        {
            change.run();
            syncThreads();
        }
        finally
        {
            barrier.release();
        }
    }

    /** The rings that hand buffer indices between threads (worker and tx handoff). */
    public HandoffRings handoffRings()
    {
        return handoffRings;
    }

    public Barrier barrier()
    {
        return barrier;
    }

    /** How many worker threads this instance runs (0: main does everything). */
    public int workers()
    {
        return workers.count();
    }

    /** The thread index for each of {@code queues} rx queues of a new port ({@link QueuePlacement}). */
    public int[] placeQueues(final int queues)
    {
        return queuePlacement.place(queues, -1);
    }

    /** As {@link #placeQueues(int)} for a device on NUMA node {@code numaNode} (-1: unknown). */
    public int[] placeQueues(final int queues, final int numaNode)
    {
        return queuePlacement.place(queues, numaNode);
    }

    /**
     * Start the worker threads (after boot: the startup-config ran without a barrier to hold). Thread: main.
     */
    public void startWorkers()
    {
        workers.start();
    }

    /** The running worker threads (for per-thread allocation counts in tests and benchmarks). */
    public List<Thread> workerThreads()
    {
        return workers.threads();
    }

    /**
     * Run main's processes and one loop of main's graph: for a command that waits for the data plane (ping)
     * while it runs on main. Thread: main, outside any node.
     */
    public int pump()
    {
        return processes.poll(System.nanoTime()) + mainDispatcher.doWork();
    }

    /** Bring every dispatcher up to date with the graph and interface table. Thread: main. */
    public void syncThreads()
    {
        for (final Dispatcher d : dispatchers)
        {
            d.sync();
        }
    }

    /** Mark the calling thread as main and record it for {@code show threads}; pins it when configured. */
    public void enterMainThread()
    {
        Thread.currentThread().setName("jvpp_main");
        final int core = context.mainCore();
        if (core >= 0)
        {
            CpuTopology.pinCurrentThread(core);
        }
        final int cpu = core >= 0 ? core : LibC.sched_getcpu();
        threads.add(new ThreadInfo(0, "jvpp_main", "", LibC.gettid(), cpu, CpuTopology.coreId(cpu),
            CpuTopology.numaNode(cpu), core >= 0));
    }

    /** What this instance was created with. */
    public Context context()
    {
        return context;
    }

    public long bootNanos()
    {
        return bootNanos;
    }

    public BufferArena arena()
    {
        return arena;
    }

    public BufferPool pool()
    {
        return pool;
    }

    public Graph graph()
    {
        return graph;
    }

    public InterfaceTable interfaces()
    {
        return interfaces;
    }

    public CliRegistry cli()
    {
        return cli;
    }

    public ProcessScheduler processes()
    {
        return processes;
    }

    public MainConductor main()
    {
        return main;
    }

    public Dispatcher mainDispatcher()
    {
        return mainDispatcher;
    }

    public List<Dispatcher> dispatchers()
    {
        return dispatchers;
    }

    /** Main and the workers that have started, in order of id. Thread: any. */
    public List<ThreadInfo> threads()
    {
        return threads.list();
    }

    /** Publish a module's service (a packet generator, a FIB) for other modules and commands. */
    public <T> void registerService(final Class<T> type, final T service)
    {
        if (services.putIfAbsent(type, service) != null)
        {
            throw new IllegalStateException("service " + type.getSimpleName() + " is already registered");
        }
    }

    public <T> T service(final Class<T> type)
    {
        final Object s = services.get(type);
        if (s == null)
        {
            throw new IllegalStateException("service " + type.getSimpleName() + " is not registered");
        }
        return type.cast(s);
    }

    /** Run {@code action} when this instance closes, in reverse order of registration. */
    public void onClose(final Runnable action)
    {
        onClose.push(action);
    }

    /** Release ports, caches and the buffer arena. Thread: main, with the main loop stopped. */
    @Override
    public void close()
    {
        main.stop();
        workers.stop();
        while (!onClose.isEmpty())
        {
            try
            {
                onClose.pop().run();
            }
            catch (final RuntimeException ex)
            {
                Log.warn("close: %s", ex);
            }
        }
        for (final Dispatcher d : dispatchers)
        {
            d.waiter().close();
        }
        arena.close();
    }
}
