package jvpp.core.thread;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliResult;
import jvpp.core.graph.Dispatcher;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The main thread's role: runs control-plane work handed to it by other threads (CLI sessions), the
 * process nodes, and the graph for whatever input is placed on main.
 *
 * <p>Other threads never touch main's state: they {@link #submit} a task, which main runs between two
 * graph loops, so a command sees and leaves a consistent data plane.
 *
 * <p>When a loop leaves main nothing to poll (no queue of it polls, no stream runs) it sleeps in its
 * dispatcher's {@link Waiter} until a queue is readable, the next process timer, a {@link #submit} (which
 * writes the waiter's eventfd) or {@link Waiter#SLEEP_MAX_NANOS}, whichever comes first.
 *
 * <p>Thread: {@link #doWork()} on main; {@link #submit} from any thread.
 */
public final class MainConductor implements Agent
{
    private final Jvpp vpp;
    private final Dispatcher dispatcher;
    private final ProcessScheduler processes;
    private final ManyToOneConcurrentArrayQueue<Runnable> tasks = new ManyToOneConcurrentArrayQueue<>(1024);
    private volatile boolean running = true;
    private volatile Thread thread;
    private final BooleanSupplier busy = () -> !tasks.isEmpty() || !running;

    public MainConductor(final Jvpp vpp, final Dispatcher dispatcher, final ProcessScheduler processes)
    {
        this.vpp = vpp;
        this.dispatcher = dispatcher;
        this.processes = processes;
    }

    @Override
    public int doWork()
    {
        int work = tasks.drain(Runnable::run);
        work += processes.poll(System.nanoTime());
        work += dispatcher.doWork();
        return work;
    }

    @Override
    public String roleName()
    {
        return "jvpp_main";
    }

    /**
     * Run the main loop on the calling thread until {@link #stop()}: busy while there is work; when idle, asleep
     * in epoll if nothing polls, else backing off (to 50 us parks while queues poll, 1 ms otherwise).
     */
    public void run()
    {
        thread = Thread.currentThread();
        // Main is also the only worker until workers exist: while an input node polls (a queue in polling mode, a
        // packet-generator stream), idle like a poller: spin, then yield, never park. Backing off to 1 ms parks
        // cost 100+ us of latency per packet at moderate rates (measured: p50 118 us vs the kernel's 12), and
        // 50 us parks still doubled a ping's p50 once nothing woke main every millisecond (ip4-neighbor used to).
        // Whoever wants main's core back chooses interrupt or adaptive mode, where main sleeps in epoll.
        final IdleStrategy polling = new BackoffIdleStrategy(1_000, Long.MAX_VALUE, 1_000, 50_000);
        final IdleStrategy quiet = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        while (running)
        {
            final int work = doWork();
            if (work == 0 && dispatcher.mayWait())
            {
                dispatcher.sleep(sleepNanos(), busy);
                polling.reset();
                quiet.reset();
            }
            else if (dispatcher.pollingInputs())
            {
                polling.idle(work);
            }
            else
            {
                quiet.idle(work);
            }
        }
    }

    /** Until the next process timer (a tick late, so that the wheel has passed it), at most the waiter's bound. */
    private long sleepNanos()
    {
        final long next = processes.nextDeadline();
        if (next == Long.MAX_VALUE)
        {
            return Waiter.SLEEP_MAX_NANOS;
        }
        return Math.max(0, next - System.nanoTime()) + processes.tickNanos();
    }

    public void stop()
    {
        running = false;
        dispatcher.waiter().wake();
    }

    public boolean running()
    {
        return running;
    }

    /** Run {@code task} on main; the future completes with its value. Thread: any. */
    public <T> CompletableFuture<T> submit(final Supplier<T> task)
    {
        final CompletableFuture<T> f = new CompletableFuture<>();
        if (Thread.currentThread() == thread)
        {
            runInto(task, f);
            return f;
        }
        if (!tasks.offer(() -> runInto(task, f)))
        {
            f.completeExceptionally(new IllegalStateException("main thread is busy: too many pending commands"));
        }
        // Always: the queue's offer is only an ordered write, so main's sleeping flag cannot be trusted here.
        dispatcher.waiter().wake();
        return f;
    }

    /** Execute a CLI line on main. Thread: any. */
    public CompletableFuture<CliResult> execute(final String line)
    {
        return submit(() -> vpp.execute(line));
    }

    private static <T> void runInto(final Supplier<T> task, final CompletableFuture<T> f)
    {
        try
        {
            f.complete(task.get());
        }
        catch (final Throwable t)
        {
            f.completeExceptionally(t);
        }
    }
}
