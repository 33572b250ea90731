package jvpp.core.graph;

/** VPP's node kinds. */
public enum NodeType
{
    /** Polled by the dispatcher on every loop of its thread (drivers, packet generator). */
    INPUT,
    /** Run when a frame is pending for it. */
    INTERNAL,
    /** A control-plane coroutine on the main thread, woken by a timer (see {@link jvpp.core.thread.ProcessScheduler}). */
    PROCESS;

    public String displayName()
    {
        return name().toLowerCase();
    }
}
