package jvpp.core.thread;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The threads of an instance as {@code show threads} lists them: main and each worker, recorded by the thread
 * itself once it runs (its tid and CPU are only known there).
 *
 * <p>Thread: any.
 */
public final class ThreadRegistry
{
    private final List<ThreadInfo> threads = new ArrayList<>();

    /** Record a thread that started. */
    public synchronized void add(final ThreadInfo info)
    {
        threads.add(info);
    }

    /** The recorded threads, in order of id. */
    public synchronized List<ThreadInfo> list()
    {
        final List<ThreadInfo> copy = new ArrayList<>(threads);
        copy.sort(Comparator.comparingInt(ThreadInfo::id));
        return copy;
    }
}
