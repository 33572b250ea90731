package jvpp.pmd;

/**
 * Where an interface's nodes find its port. Graph nodes are never unregistered, so when an interface is
 * deleted and later created again under the same name, its {@code <name>-tx} node stays and the slot is
 * pointed at the new port.
 *
 * <p>Thread: written by main; read by the data plane on every frame.
 */
public final class PortSlot
{
    volatile Port port;
    volatile int swIfIndex;
    /** handoff-input's arc to this interface's tx node: where other threads hand frames for it. */
    volatile int handoffArc = -1;

    public Port port()
    {
        return port;
    }

    public int swIfIndex()
    {
        return swIfIndex;
    }
}
