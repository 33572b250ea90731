package jvpp.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferPool;
import jvpp.core.cli.CliRegistry;
import jvpp.core.cli.CliResult;
import jvpp.core.graph.Dispatcher;
import jvpp.core.graph.Graph;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.log.Log;
import jvpp.core.sys.LibC;
import jvpp.core.thread.CpuTopology;
import jvpp.core.thread.MainConductor;
import jvpp.core.thread.ProcessScheduler;
import jvpp.core.thread.ThreadInfo;

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
    /** Boot parameters: what startup.conf's {@code buffers { }} and {@code cpu { }} sections set. */
    public static final class Config
    {
        private int buffers = 16384;
        private int dataSize = 2048;
        private boolean hugepages = true;
        private int mainCore = -1;
        private int[] workerCores = new int[0];
        private String workerIdle = "busy-spin";

        public Config buffers(final int n)
        {
            buffers = n;
            return this;
        }

        public Config dataSize(final int n)
        {
            dataSize = n;
            return this;
        }

        public Config hugepages(final boolean on)
        {
            hugepages = on;
            return this;
        }

        /** Pin main to this CPU (-1: leave it where the kernel puts it). */
        public Config mainCore(final int core)
        {
            mainCore = core;
            return this;
        }

        /**
         * Run {@code cores.length} worker threads, worker i pinned to {@code cores[i]} (-1: not pinned).
         * Startup.conf's {@code cpu { corelist-workers 1-3 }} or {@code workers 3}.
         */
        public Config workers(final int[] cores)
        {
            workerCores = cores.clone();
            return this;
        }

        /** The workers' idle strategy: {@code busy-spin} (default, as VPP polls), {@code yield} or {@code backoff}. */
        public Config workerIdle(final String idle)
        {
            workerIdle = idle;
            return this;
        }

        public int[] workerCores()
        {
            return workerCores.clone();
        }

        public int buffers()
        {
            return buffers;
        }

        public int dataSize()
        {
            return dataSize;
        }

        public int mainCore()
        {
            return mainCore;
        }
    }

    private final Config config;
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
    private final List<ThreadInfo> threads = new ArrayList<>();
    private final Deque<Runnable> onClose = new ArrayDeque<>();
    private final jvpp.core.thread.Barrier barrier = new jvpp.core.thread.Barrier();
    private final jvpp.core.graph.HandoffRings handoffRings;
    private final List<org.agrona.concurrent.AgentRunner> workerRunners = new ArrayList<>();
    private final List<Plugin> plugins = new ArrayList<>();

    private Jvpp(final Config config)
    {
        this.config = config;
        this.arena = BufferArena.allocate(config.buffers, config.dataSize, config.hugepages);
        this.pool = new BufferPool("default-numa-0", 0, 0, arena);
        this.mainDispatcher = new Dispatcher(graph, 0, "jvpp_main", pool, interfaces::capacity);
        dispatchers.add(mainDispatcher);
        for (int w = 0; w < config.workerCores.length; w++)
        {
            dispatchers.add(new Dispatcher(graph, w + 1, "jvpp_wk_" + w, pool, interfaces::capacity));
        }
        for (final Dispatcher d : dispatchers)
        {
            d.threads(dispatchers.size());
        }
        this.handoffRings = new jvpp.core.graph.HandoffRings(dispatchers.size());
        this.main = new MainConductor(this, mainDispatcher, processes);
    }

    /** Create an instance and initialise every plugin on the class path. */
    public static Jvpp create(final Config config)
    {
        final Jvpp vpp = new Jvpp(config);
        try
        {
            final List<Plugin> found = new ArrayList<>();
            ServiceLoader.load(Plugin.class).forEach(found::add);
            found.sort(Comparator.comparingInt(Plugin::order).thenComparing(Plugin::name));
            for (final Plugin p : found)
            {
                p.init(vpp);
                vpp.plugins.add(p);
            }
            vpp.syncThreads();
            Log.info("buffers: %d x %d bytes (%s), %d plugins: %s", config.buffers, vpp.arena.stride(),
                vpp.arena.hugepages() ? "2M hugepages" : "ordinary pages", vpp.plugins.size(), vpp.pluginNames());
            return vpp;
        }
        catch (final RuntimeException ex)
        {
            vpp.close();
            throw ex;
        }
    }

    public static Jvpp create()
    {
        return create(new Config());
    }

    private String pluginNames()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Plugin p : plugins)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.name());
        }
        return sb.toString();
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
    public jvpp.core.graph.HandoffRings handoffRings()
    {
        return handoffRings;
    }

    public jvpp.core.thread.Barrier barrier()
    {
        return barrier;
    }

    /** How many worker threads this instance runs (0: main does everything). */
    public int workers()
    {
        return config.workerCores.length;
    }

    /**
     * The thread index for each of {@code queues} rx queues of a new port: queue i on worker i mod n (so adding
     * queues never moves existing ones, the Multi-PF channel rule), or main when there are no workers.
     */
    public int[] placeQueues(final int queues)
    {
        return placeQueues(queues, -1);
    }

    /**
     * As {@link #placeQueues(int)} for a device on NUMA node {@code numaNode} (-1: unknown): round-robin over
     * the workers on that node when there are any, else over all.
     */
    public int[] placeQueues(final int queues, final int numaNode)
    {
        final int[] workerNuma = new int[workers()];
        for (int w = 0; w < workerNuma.length; w++)
        {
            final int core = config.workerCores[w];
            workerNuma[w] = core < 0 ? -1 : CpuTopology.numaNode(core);
        }
        return place(queues, numaNode, workerNuma);
    }

    /**
     * Queue i → the i-th worker (mod their count) among those on {@code numaNode}, or among all when none is
     * there or the node is unknown; main (0) when there are no workers. Thread indices: worker w is w + 1.
     */
    public static int[] place(final int queues, final int numaNode, final int[] workerNuma)
    {
        final int[] local = java.util.stream.IntStream.range(0, workerNuma.length)
            .filter(w -> numaNode >= 0 && workerNuma[w] == numaNode).toArray();
        final int[] pool = local.length > 0 ? local : java.util.stream.IntStream.range(0, workerNuma.length).toArray();
        final int[] t = new int[queues];
        for (int q = 0; q < queues; q++)
        {
            t[q] = pool.length == 0 ? 0 : 1 + pool[q % pool.length];
        }
        return t;
    }

    /**
     * Start the worker threads (after boot: the startup-config ran without a barrier to hold). Thread: main.
     */
    public void startWorkers()
    {
        if (!workerRunners.isEmpty() || workers() == 0)
        {
            return;
        }
        barrier.workers(workers());
        for (int w = 0; w < workers(); w++)
        {
            final Dispatcher d = dispatchers.get(w + 1);
            final int core = config.workerCores[w];
            final int id = w + 1;
            final jvpp.core.thread.WorkerAgent agent = new jvpp.core.thread.WorkerAgent(d, barrier, core, () -> {
                final int cpu = core >= 0 ? core : LibC.sched_getcpu();
                synchronized (threads)
                {
                    threads.add(new ThreadInfo(id, d.threadName(), "workers", LibC.gettid(), cpu, CpuTopology.coreId(cpu),
                        CpuTopology.numaNode(cpu), core >= 0));
                }
            });
            final org.agrona.concurrent.AgentRunner runner = new org.agrona.concurrent.AgentRunner(idleStrategy(config.workerIdle),
                t -> Log.error("%s: %s", d.threadName(), t), null, agent);
            workerRunners.add(runner);
            org.agrona.concurrent.AgentRunner.startOnThread(runner, r -> {
                final Thread t = new Thread(r, d.threadName());
                t.setDaemon(true);
                return t;
            });
        }
        Log.info("%d worker(s) started: %s", workers(), java.util.Arrays.toString(config.workerCores));
    }

    /** The running worker threads (for per-thread allocation counts in tests and benchmarks). */
    public List<Thread> workerThreads()
    {
        final List<Thread> out = new ArrayList<>();
        for (final org.agrona.concurrent.AgentRunner r : workerRunners)
        {
            if (r.thread() != null)
            {
                out.add(r.thread());
            }
        }
        return out;
    }

    private static org.agrona.concurrent.IdleStrategy idleStrategy(final String name)
    {
        switch (name)
        {
            case "yield":
                return new org.agrona.concurrent.YieldingIdleStrategy();
            case "backoff":
                return new org.agrona.concurrent.BackoffIdleStrategy(1_000, 1_000, 1_000, 50_000);
            default:
                return new org.agrona.concurrent.BusySpinIdleStrategy();
        }
    }

    private void stopWorkers()
    {
        for (final org.agrona.concurrent.AgentRunner r : workerRunners)
        {
            r.close();
        }
        workerRunners.clear();
        barrier.workers(0);
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
        if (config.mainCore >= 0)
        {
            CpuTopology.pinCurrentThread(config.mainCore);
        }
        final int cpu = config.mainCore >= 0 ? config.mainCore : LibC.sched_getcpu();
        synchronized (threads)
        {
            threads.add(new ThreadInfo(0, "jvpp_main", "", LibC.gettid(), cpu, CpuTopology.coreId(cpu),
                CpuTopology.numaNode(cpu), config.mainCore >= 0));
        }
    }

    public Config config()
    {
        return config;
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
        synchronized (threads)
        {
            final List<ThreadInfo> copy = new ArrayList<>(threads);
            copy.sort(java.util.Comparator.comparingInt(ThreadInfo::id));
            return copy;
        }
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
        stopWorkers();
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
        arena.close();
    }
}
