package jvpp.pmd.netlink;

/**
 * Told by a {@link LinkMonitor} when a kernel device appears, disappears, goes up or goes down.
 *
 * <p>Thread: called on the monitor's thread ({@code jvpp-link-monitor}), one event at a time. Keep it
 * short: hand the event to the main thread (a command on its queue) rather than reconfiguring from here.
 * While a listener runs, events queue in the socket; a long stall overflows it and the monitor resyncs.
 */
@FunctionalInterface
public interface LinkListener
{
    /**
     * @param name   the device name (its new name after a rename; the old name is first reported gone)
     * @param index  its ifindex
     * @param exists false when the device was deleted (or moved to another namespace)
     * @param up     operationally up: administratively up with carrier (false when it does not exist)
     */
    void linkChanged(String name, int index, boolean exists, boolean up);
}
