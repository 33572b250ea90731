package jvpp.pmd.tap;

import jvpp.core.Jvpp;
import jvpp.core.iface.Interface;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.Ports;

/**
 * Creates and deletes tap interfaces: opens the {@link TapPort} (the kernel creates the host device), creates
 * the jvpp interface with {@code tap-output} as its tx node, and places its rx queues on {@code tap-input}.
 * The {@code create tap} command (host-ns, host-ip4-addr, host-bridge...) is written on top of this by whoever
 * owns netlink host configuration; this class does no host configuration at all.
 *
 * <p>Registered as a service ({@code vpp.service(TapPorts.class)}). Thread: main.
 */
public final class TapPorts
{
    private final Jvpp vpp;
    private final Ports ports;
    private final PortInputNode.RxQueues rxQueues = new PortInputNode.RxQueues();
    private final TapOutputNode.Table table = new TapOutputNode.Table();

    /** The service for {@code vpp}, creating interfaces through {@code ports}; {@link #register} it once. */
    public TapPorts(final Jvpp vpp, final Ports ports)
    {
        this.vpp = vpp;
        this.ports = ports;
        rxQueues.defaultMode(vpp.context().rxMode());
    }

    /**
     * Register {@code tap-output}, this service ({@code vpp.service(TapPorts.class)}) and the pool's holder
     * {@code tap rx stashes} (the buffers the taps' rx queues keep between polls); once per instance.
     */
    public void register()
    {
        vpp.graph().register(TapOutputNode.registration(table));
        vpp.registerService(TapPorts.class, this);
        vpp.pool().addHolder("tap rx stashes", table::heldBuffers);
    }

    /**
     * How many queues a tap asked for {@code requested} rx queues gets: at least one per thread once there are workers
     * (main and each worker), so that thread t transmits on queue t of its own (VPP's tap v2: a tx queue per thread)
     * and each worker polls queues of its own. A multi-queue tap's kernel side hands received frames to every
     * attached queue (a flow hash over all of them), so every queue is also an rx queue, placed over the workers as
     * any port's; with no workers a tap keeps what was asked for (one by default).
     */
    public int queuesFor(final int requested)
    {
        final int workers = vpp.workers();
        return Math.min(TapPort.MAX_QUEUES, workers == 0 ? requested : Math.max(requested, workers + 1));
    }

    /**
     * Create jvpp interface {@code name} (e.g. {@code tap0}) over a new host tap {@code hostIfName} with
     * {@link #queuesFor}({@code queues}) queues and jvpp-side MAC {@code mac}. The node {@code ethernet-input} must
     * be registered. Nothing is left behind when it fails.
     *
     * @throws IllegalArgumentException the interface exists, or bad arguments
     * @throws IllegalStateException    the kernel refused the tap
     */
    public Interface create(final String name, final String hostIfName, final int queues, final long mac)
    {
        return create(name, hostIfName, queues, mac, TapPort.DEFAULT_OFFLOADS);
    }

    /**
     * {@link #create(String, String, int, long)} accepting {@code offloads} from the kernel
     * ({@link TapPort#OFFLOAD_CSUM}, {@link TapPort#OFFLOAD_GSO}).
     */
    public Interface create(final String name, final String hostIfName, final int queues, final long mac,
        final int offloads)
    {
        if (vpp.interfaces().get(name) != null)
        {
            throw new IllegalArgumentException("interface already exists");
        }
        PortInputNode.ensureRegistered(vpp.graph(), PortInputNode.TAP_INPUT, rxQueues);
        final TapPort port = TapPort.open(hostIfName, queuesFor(queues), mac, offloads, vpp.arena().dataSize());
        final Interface ifc;
        try
        {
            ifc = ports.create(name, port, TapOutputNode.NAME);
        }
        catch (final RuntimeException ex)
        {
            port.close();
            throw ex;
        }
        table.put(ifc.swIfIndex(), port);
        rxQueues.add(ifc, port, vpp.placeQueues(port.rxQueues()));
        vpp.syncThreads();
        return ifc;
    }

    /**
     * Open a new host tap {@code hostIfName} for {@code ifc} in place of its port whose device went away (deleted,
     * or its namespace died): the interface keeps its index and so its whole configuration. Returns the new port.
     *
     * @throws IllegalStateException the kernel refused the tap (the name is taken...); nothing changed
     */
    public TapPort reopen(final Interface ifc, final String hostIfName, final int queues, final long mac,
        final int offloads)
    {
        final TapPort fresh = TapPort.open(hostIfName, queuesFor(queues), mac, offloads, vpp.arena().dataSize());
        table.put(ifc.swIfIndex(), fresh);
        final jvpp.pmd.Port old = ports.replace(ifc, fresh, rxQueues, vpp.placeQueues(fresh.rxQueues()));
        if (old != null)
        {
            old.close();
        }
        return fresh;
    }

    /** The tap port behind {@code ifc}, or null when it is not a tap. */
    public TapPort port(final Interface ifc)
    {
        return table.get(ifc.swIfIndex());
    }

    /** Delete tap interface {@code ifc}: stop polling it, then close the port (the host device goes). */
    public void delete(final Interface ifc)
    {
        if (port(ifc) == null)
        {
            throw new IllegalArgumentException("not a tap interface");
        }
        rxQueues.remove(ifc);
        table.remove(ifc.swIfIndex());
        vpp.syncThreads();
        ports.delete(ifc);
    }

    /** The queues {@code tap-input} polls. */
    public PortInputNode.RxQueues rxQueues()
    {
        return rxQueues;
    }
}
