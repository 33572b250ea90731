package jvpp.core.thread;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jvpp.core.graph.Dispatcher;
import jvpp.core.log.Log;
import jvpp.core.sys.LibC;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * The worker threads' lifecycle: one {@link WorkerAgent} per worker dispatcher, each on its own thread
 * ({@code jvpp_wk_N}) under an Agrona {@link AgentRunner} with the configured idle strategy, pinned to its core
 * when it has one; started once the boot is over, stopped when the instance closes.
 *
 * <p>Thread: main.
 */
public final class Workers
{
    private final List<Dispatcher> dispatchers;
    private final Barrier barrier;
    private final int[] cores;
    private final Supplier<IdleStrategy> idleStrategy;
    private final Consumer<ThreadInfo> started;
    private final List<AgentRunner> runners = new ArrayList<>();

    /**
     * @param dispatchers  worker w's dispatcher at index w
     * @param cores        worker w's core (-1: not pinned)
     * @param idleStrategy a new idle strategy for each worker
     * @param started      told, on the worker's own thread, once it runs (for {@code show threads})
     */
    public Workers(final List<Dispatcher> dispatchers, final Barrier barrier, final int[] cores,
        final Supplier<IdleStrategy> idleStrategy, final Consumer<ThreadInfo> started)
    {
        this.dispatchers = List.copyOf(dispatchers);
        this.barrier = barrier;
        this.cores = cores.clone();
        this.idleStrategy = idleStrategy;
        this.started = started;
    }

    /** How many worker threads there are (0: main does everything). */
    public int count()
    {
        return cores.length;
    }

    /** Start the worker threads; nothing when they run already or there are none. */
    public void start()
    {
        if (!runners.isEmpty() || count() == 0)
        {
            return;
        }
        final Waiter[] waiters = new Waiter[count()];
        for (int w = 0; w < count(); w++)
        {
            waiters[w] = dispatchers.get(w).waiter();
        }
        barrier.workers(waiters);
        for (int w = 0; w < count(); w++)
        {
            final Dispatcher d = dispatchers.get(w);
            final int core = cores[w];
            final int id = w + 1;
            final WorkerAgent agent = new WorkerAgent(d, barrier, core, () -> {
                final int cpu = core >= 0 ? core : LibC.sched_getcpu();
                started.accept(new ThreadInfo(id, d.threadName(), "workers", LibC.gettid(), cpu, CpuTopology.coreId(cpu),
                    CpuTopology.numaNode(cpu), core >= 0));
            });
            final AgentRunner runner = new AgentRunner(idleStrategy.get(), t -> Log.error("%s: %s", d.threadName(), t),
                null, agent);
            runners.add(runner);
            AgentRunner.startOnThread(runner, r -> {
                final Thread t = new Thread(r, d.threadName());
                t.setDaemon(true);
                return t;
            });
        }
        Log.info("%d worker(s) started: %s", count(), Arrays.toString(cores));
    }

    /** The running worker threads (for per-thread allocation counts in tests and benchmarks). */
    public List<Thread> threads()
    {
        final List<Thread> out = new ArrayList<>();
        for (final AgentRunner r : runners)
        {
            if (r.thread() != null)
            {
                out.add(r.thread());
            }
        }
        return out;
    }

    /** Stop every worker thread and let the barrier count none. */
    public void stop()
    {
        for (final Dispatcher d : dispatchers)
        {
            d.waiter().wake();
        }
        for (final AgentRunner r : runners)
        {
            r.close();
        }
        runners.clear();
        barrier.workers(0);
    }
}
