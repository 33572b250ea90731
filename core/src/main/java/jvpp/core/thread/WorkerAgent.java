package jvpp.core.thread;

import java.util.function.BooleanSupplier;

import jvpp.core.graph.Dispatcher;
import org.agrona.concurrent.Agent;

/**
 * A worker lcore's role: runs the whole graph to completion for the rx queues and streams placed on it,
 * stopping at the {@link Barrier} whenever main changes something workers read. When a loop leaves it
 * nothing to poll (every queue placed on it in interrupt mode, or an idle adaptive one) it sleeps in its
 * dispatcher's {@link Waiter} until a queue is readable, a handoff ring or the barrier wakes it, or
 * {@link Waiter#SLEEP_MAX_NANOS} pass.
 *
 * <p>Thread: its own (jvpp_wk_N), pinned to its core in {@link #onStart}.
 */
public final class WorkerAgent implements Agent
{
    private final Dispatcher dispatcher;
    private final Barrier barrier;
    private final int core;
    private final Runnable onStart;
    private final BooleanSupplier barrierRequested;

    public WorkerAgent(final Dispatcher dispatcher, final Barrier barrier, final int core, final Runnable onStart)
    {
        this.dispatcher = dispatcher;
        this.barrier = barrier;
        this.core = core;
        this.onStart = onStart;
        this.barrierRequested = barrier::requested;
    }

    @Override
    public void onStart()
    {
        if (core >= 0)
        {
            CpuTopology.pinCurrentThread(core);
        }
        onStart.run();
    }

    @Override
    public int doWork()
    {
        if (barrier.requested())
        {
            barrier.park();
            return 1;
        }
        final int work = dispatcher.doWork();
        if (work == 0 && dispatcher.mayWait())
        {
            dispatcher.sleep(Waiter.SLEEP_MAX_NANOS, barrierRequested);
            // Counted as work: the idle strategy must not park on top of a sleep that just ended.
            return 1;
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return dispatcher.threadName();
    }

    public Dispatcher dispatcher()
    {
        return dispatcher;
    }
}
