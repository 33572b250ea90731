package jvpp.pmd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jvpp.core.Jvpp;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceDriver;
import jvpp.core.log.Log;
import jvpp.pmd.netlink.LinkListener;
import jvpp.pmd.netlink.LinkMonitor;

/**
 * Creates and deletes the interfaces that ports stand behind: registers (or reuses) the interface's
 * {@code <name>-tx} node, creates the interface, and follows admin state into the port.
 *
 * <p>Thread: main.
 */
public final class Ports
{
    private final Jvpp vpp;
    private final Map<String, PortSlot> slots = new HashMap<>();
    private final Map<Integer, Port> bySwIfIndex = new HashMap<>();
    /** What {@link #watchKernelLinks} feeds, on main. */
    private final List<LinkListener> linkListeners = new ArrayList<>();

    public Ports(final Jvpp vpp)
    {
        this.vpp = vpp;
        vpp.onClose(this::closeAll);
    }

    /** Create interface {@code name} for {@code port}, transmitting through a {@link PortTxNode}. */
    public Interface create(final String name, final Port port)
    {
        return create(name, port, slot -> PortTxNode.registration(name, slot, vpp.handoffRings()));
    }

    /** Make the tx node's registration for a new slot. */
    @FunctionalInterface
    public interface TxNodeFactory
    {
        NodeRegistration registration(PortSlot slot);
    }

    /** Create interface {@code name} for {@code port} with a custom tx node. */
    public Interface create(final String name, final Port port, final TxNodeFactory txNode)
    {
        if (vpp.interfaces().get(name) != null)
        {
            throw new IllegalArgumentException("interface " + name + " already exists");
        }
        PortSlot slot = slots.get(name);
        if (slot == null)
        {
            slot = new PortSlot();
            vpp.graph().register(txNode.registration(slot));
            slot.handoffArc = vpp.graph().addNext(jvpp.core.graph.HandoffInputNode.NAME, name + "-tx");
            slots.put(name, slot);
        }
        final Interface ifc = vpp.interfaces().create(name, driverFor(port), port.mac(), name + "-tx");
        ifc.txOffloads(port.txOffloads());
        ifc.maxMtu(port.maxMtu());
        slot.swIfIndex = ifc.swIfIndex();
        slot.port = port;
        bySwIfIndex.put(ifc.swIfIndex(), port);
        ifc.linkUp(port.linkUp(), port.linkUp() ? "" : "device link down");
        vpp.syncThreads();
        return ifc;
    }

    /**
     * Create interface {@code name} for {@code port}, transmitting through the existing shared node
     * {@code txNodeName} (e.g. {@code tap-output}, which finds the port by the buffer's tx interface) instead of
     * a per-interface {@code <name>-tx} node.
     */
    public Interface create(final String name, final Port port, final String txNodeName)
    {
        if (vpp.interfaces().get(name) != null)
        {
            throw new IllegalArgumentException("interface " + name + " already exists");
        }
        vpp.graph().indexOrThrow(txNodeName);
        final Interface ifc = vpp.interfaces().create(name, driverFor(port), port.mac(), txNodeName);
        ifc.txOffloads(port.txOffloads());
        ifc.maxMtu(port.maxMtu());
        bySwIfIndex.put(ifc.swIfIndex(), port);
        ifc.linkUp(port.linkUp(), port.linkUp() ? "" : "device link down");
        vpp.syncThreads();
        return ifc;
    }

    /** The port behind {@code ifc}, or null. */
    public Port port(final Interface ifc)
    {
        return bySwIfIndex.get(ifc.swIfIndex());
    }

    /**
     * Put {@code fresh} behind {@code ifc} in place of its current port (a kernel device came back and was
     * reopened): stop polling {@code ifc}'s queues, swap, poll {@code fresh}'s queues with {@code placement}.
     * Returns the old port, which nothing polls any more, for the caller to close.
     */
    public Port replace(final Interface ifc, final Port fresh, final PortInputNode.RxQueues queues, final int[] placement)
    {
        final jvpp.core.iface.RxMode[] modes = queues.modes(ifc);
        queues.remove(ifc);
        vpp.syncThreads();
        final Port old = bySwIfIndex.put(ifc.swIfIndex(), fresh);
        ifc.txOffloads(fresh.txOffloads());
        ifc.maxMtu(fresh.maxMtu());
        final PortSlot slot = slots.get(ifc.name());
        if (slot != null)
        {
            slot.port = fresh;
        }
        queues.add(ifc, fresh, placement);
        for (int q = 0; q < modes.length && q < fresh.rxQueues(); q++)
        {
            // The reopened port's queues keep the modes set on the old one.
            if (modes[q] != null && (modes[q] == jvpp.core.iface.RxMode.POLLING || fresh.rxFd(q) >= 0))
            {
                queues.mode(ifc, q, modes[q]);
            }
        }
        vpp.syncThreads();
        return old;
    }

    /**
     * Hear about the kernel's devices (rtnetlink link events) on main: {@code listener} runs there for each
     * device that appears, goes, goes up or down. One monitor serves every kind of port of this instance; when
     * it cannot start, a warning says that removed devices will not be noticed.
     */
    public void watchKernelLinks(final LinkListener listener)
    {
        if (linkListeners.isEmpty())
        {
            try
            {
                final LinkMonitor monitor = new LinkMonitor();
                monitor.addListener((name, index, exists, up) -> vpp.main().submit(() -> {
                    for (final LinkListener l : linkListeners)
                    {
                        l.linkChanged(name, index, exists, up);
                    }
                    return null;
                }));
                monitor.start();
                vpp.onClose(monitor::close);
            }
            catch (final RuntimeException ex)
            {
                Log.warn("cannot watch kernel links (%s): a removed kernel device will not be noticed", ex);
            }
        }
        linkListeners.add(listener);
    }

    /** Delete {@code ifc} and close its port. */
    public void delete(final Interface ifc)
    {
        final Port port = bySwIfIndex.remove(ifc.swIfIndex());
        vpp.interfaces().delete(ifc);
        final PortSlot slot = slots.get(ifc.name());
        if (slot != null)
        {
            slot.port = null;
        }
        if (port != null)
        {
            port.close();
        }
    }

    private void closeAll()
    {
        for (final Port p : List.copyOf(bySwIfIndex.values()))
        {
            p.close();
        }
        bySwIfIndex.clear();
    }

    private static InterfaceDriver driverFor(final Port port)
    {
        return new InterfaceDriver()
        {
            @Override
            public String driverName()
            {
                return port.driverName();
            }

            @Override
            public void adminStateChanged(final Interface ifc, final boolean up)
            {
                port.adminStateChanged(up);
            }

            @Override
            public void describe(final Interface ifc, final StringBuilder out, final boolean verbose)
            {
                port.describe(out, verbose);
            }
        };
    }
}
