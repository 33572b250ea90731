package jvpp.core.thread;

import jvpp.core.graph.Dispatcher;
import org.agrona.concurrent.Agent;

/**
 * A worker lcore's role: runs the whole graph to completion for the rx queues and streams placed on it,
 * stopping at the {@link Barrier} whenever main changes something workers read.
 *
 * <p>Thread: its own (jvpp_wk_N), pinned to its core in {@link #onStart}.
 */
public final class WorkerAgent implements Agent
{
    private final Dispatcher dispatcher;
    private final Barrier barrier;
    private final int core;
    private final Runnable onStart;

    public WorkerAgent(final Dispatcher dispatcher, final Barrier barrier, final int core, final Runnable onStart)
    {
        this.dispatcher = dispatcher;
        this.barrier = barrier;
        this.core = core;
        this.onStart = onStart;
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
        return dispatcher.doWork();
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
