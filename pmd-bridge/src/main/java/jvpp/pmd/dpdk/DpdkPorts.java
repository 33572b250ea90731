package jvpp.pmd.dpdk;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferArena;
import jvpp.core.iface.Interface;
import jvpp.core.log.Log;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.Ports;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * DPDK in jvpp: initialises the EAL once per process ({@link DpdkEal}), creates the mbuf pool over jvpp's buffer
 * arena ({@link DpdkMempool}), and creates and deletes DPDK interfaces, polled by the {@value #DPDK_INPUT} node;
 * devices that read a kernel interface are watched by {@link DpdkKernelLinks}.
 *
 * <p><b>Buffers.</b> In zero-copy mode (the default) every arena slot is an mbuf: the mempool object header
 * and the {@code rte_mbuf} sit in the slot's {@link BufferArena#PRE_DATA_SIZE} reserved bytes and the mbuf's
 * data is the buffer's data. The mempool starts empty; each port gives it a reserve of jvpp buffers
 * ({@code rxq * rxDesc + txq * txDesc + }{@value DpdkPort#BURST}) taken from jvpp's pool, which stay counted
 * as <em>used</em> in jvpp's {@code show buffers} and are reported here by {@link #ownedBuffers()}. Receive and
 * transmit exchange buffers one for one (see {@link DpdkPort}), so the reserve stays constant; deleting the
 * port gives it back. When the mempool's layout cannot match the slot (another DPDK build, a data-size whose
 * mbuf room exceeds 65535) or {@code zeroCopy} is off, a copying pool of its own is used instead and
 * {@link #modeReason()} says why.
 *
 * <p>The EAL can be initialised once per process and the pool is bound to the arena of the first
 * {@link Jvpp} given to {@link #init}: one jvpp instance per process uses DPDK.
 *
 * <p>Thread: main.
 */
public final class DpdkPorts
{
    public static final String DPDK_INPUT = "dpdk-input";

    private static DpdkPorts instance;

    private final Jvpp vpp;
    private final DpdkMempool mempool;
    private final int ealArgsConsumed;
    private final PortInputNode.RxQueues rxQueues = new PortInputNode.RxQueues();
    private final DpdkKernelLinks kernelLinks;
    private final List<DpdkPort> ports = new ArrayList<>();

    private DpdkPorts(final Jvpp vpp, final DpdkMempool mempool, final int consumed)
    {
        this.vpp = vpp;
        this.mempool = mempool;
        this.ealArgsConsumed = consumed;
        this.kernelLinks = new DpdkKernelLinks(vpp, rxQueues, this::reopen);
    }

    /**
     * Initialise the EAL with {@code ealArgs} (e.g. {@code --no-pci --no-huge -m 256 --no-shconf
     * --file-prefix=jvpp --vdev=net_ring0}), create the mbuf pool over {@code vpp}'s arena (zero-copy unless
     * {@value DpdkConfiguration#ZERO_COPY_PROP_NAME} is false), register {@value #DPDK_INPUT}, and register this as
     * {@code vpp.service(DpdkPorts.class)}. A second call for the same {@code vpp} returns the same instance.
     *
     * @throws IllegalStateException when the shim or DPDK is missing, the EAL fails, or the EAL was initialised
     *                               for another jvpp instance of this process
     */
    public static DpdkPorts init(final Jvpp vpp, final List<String> ealArgs)
    {
        return init(vpp, ealArgs, DpdkConfiguration.zeroCopy());
    }

    /** {@link #init(Jvpp, List)} choosing zero-copy or the copying mode. */
    public static synchronized DpdkPorts init(final Jvpp vpp, final List<String> ealArgs, final boolean zeroCopy)
    {
        if (instance != null)
        {
            if (instance.vpp == vpp)
            {
                return instance;
            }
            throw new IllegalStateException("the DPDK EAL is initialised already (once per process) for another jvpp instance");
        }
        final int consumed = DpdkEal.init(ealArgs);
        final DpdkMempool mempool = DpdkMempool.create(vpp.arena(), vpp.pool(), zeroCopy);
        final DpdkPorts d = new DpdkPorts(vpp, mempool, consumed);
        PortInputNode.ensureRegistered(vpp.graph(), DPDK_INPUT, d.rxQueues);
        vpp.registerService(DpdkPorts.class, d);
        vpp.pool().addHolder("dpdk (mempool reserve, rx stash)", d::ownedBuffers);
        vpp.onClose(d::closeAll);
        instance = d;
        return d;
    }

    /** The initialised instance, or null before {@link #init}. */
    public static synchronized DpdkPorts instance()
    {
        return instance;
    }

    /** Whether this process can use DPDK at all (the shim and DPDK's libraries load). */
    public static boolean available()
    {
        return DpdkLib.available();
    }

    public boolean zeroCopy()
    {
        return mempool.zeroCopy();
    }

    /** Which buffer mode is in use and, for the copying mode, why. */
    public String modeReason()
    {
        return mempool.modeReason();
    }

    /** How many EAL arguments the EAL consumed. */
    public int ealArgsConsumed()
    {
        return ealArgsConsumed;
    }

    /** Ethernet ports DPDK knows (probed from the EAL arguments or created here). */
    public int availablePorts()
    {
        return DpdkEal.portCount();
    }

    /** Interface {@code name} on DPDK device {@code devargs} with one rx and one tx queue. */
    public Interface create(final String devargs, final String name)
    {
        return create(devargs, name, DpdkConfiguration.QUEUES_DEFAULT, DpdkConfiguration.QUEUES_DEFAULT);
    }

    /** Interface {@code name} on DPDK device {@code devargs} with {@code rxq} / {@code txq} queues. */
    public Interface create(final String devargs, final String name, final int rxq, final int txq)
    {
        return create(devargs, name, rxq, txq, DpdkConfiguration.RX_DESC_DEFAULT, DpdkConfiguration.TX_DESC_DEFAULT, null);
    }

    /**
     * Create interface {@code name} on DPDK device {@code devargs}: a vdev ({@code net_ring0},
     * {@code net_tap0,iface=dtap0}, {@code net_af_packet0,iface=veth0}, {@code net_null0}) or a PCI address.
     * A device already probed by the EAL arguments ({@code --vdev}, PCI) is used; otherwise it is hot-plugged.
     * The device is configured (RSS when {@code rxq > 1}) and started; its rx queues are polled by
     * {@value #DPDK_INPUT}, queue q on thread {@code threadOfQueue[q]} (all on main when null).
     *
     * @throws IllegalArgumentException for a device that cannot be probed or configured, with DPDK's reason
     */
    public Interface create(final String devargs, final String name, final int rxq, final int txq, final int rxDesc,
        final int txDesc, final int[] threadOfQueue)
    {
        if (rxq < 0 || txq < 1 || rxq > DpdkConfiguration.QUEUES_MAX || txq > DpdkConfiguration.QUEUES_MAX)
        {
            throw new IllegalArgumentException("dpdk: queues must be 0.." + DpdkConfiguration.QUEUES_MAX + " rx and 1.."
                + DpdkConfiguration.QUEUES_MAX + " tx: " + rxq + "/" + txq);
        }
        if (vpp.interfaces().get(name) != null)
        {
            throw new IllegalArgumentException("interface " + name + " already exists");
        }
        final String devName = deviceName(devargs);
        for (final DpdkPort p : ports)
        {
            if (devName.equals(deviceName(p.devargs())))
            {
                throw new IllegalArgumentException("dpdk: device " + devName + " is in use already");
            }
        }
        final DpdkPort port = open(devargs, name, rxq, txq, rxDesc, txDesc);
        final Interface ifc;
        try
        {
            ifc = vpp.service(Ports.class).create(name, port);
        }
        catch (final RuntimeException ex)
        {
            port.close();
            throw ex;
        }
        ports.add(port);
        final int[] placement = threadOfQueue == null ? vpp.placeQueues(rxq) : threadOfQueue;
        rxQueues.add(ifc, port, placement);
        vpp.syncThreads();
        kernelLinks.watch(ifc, port, placement);
        return ifc;
    }

    /** Probe (or find) {@code devargs}, give it its buffers, configure and start it: a port no interface has yet. */
    private DpdkPort open(final String devargs, final String name, final int rxq, final int txq, final int rxDesc,
        final int txDesc)
    {
        final String devName = deviceName(devargs);
        final int portId = DpdkLib.jvpp_port_attach(devargs, devName);
        if (portId < 0)
        {
            throw new IllegalArgumentException(DpdkLib.jvpp_last_error());
        }
        final int reserve = mempool.reserveFor(rxq, txq, rxDesc, txDesc);
        if (!mempool.give(reserve))
        {
            DpdkLib.jvpp_port_close(portId);
            throw new IllegalArgumentException("dpdk: " + name + " needs " + reserve + " buffers for its rings and jvpp has "
                + "fewer free; raise buffers-per-numa or lower the descriptor counts");
        }
        final int ret = DpdkLib.jvpp_port_setup(portId, rxq, txq, rxDesc, txDesc);
        if (ret < 0)
        {
            final String why = DpdkLib.jvpp_last_error();
            DpdkLib.jvpp_port_close(portId);
            mempool.take(reserve);
            throw new IllegalArgumentException("dpdk: " + why);
        }
        return new DpdkPort(this, devargs, portId, rxq, txq, rxDesc, txDesc, reserve, mempool.zeroCopy(), vpp.pool());
    }

    /** {@link DpdkKernelLinks}: probe {@code old}'s device again, with its settings, for interface {@code name}. */
    private DpdkPort reopen(final DpdkPort old, final String name)
    {
        final DpdkPort fresh = open(old.devargs(), name, old.rxQueues(), old.txQueues(), old.rxDesc(), old.txDesc());
        ports.add(fresh);
        return fresh;
    }

    /** Delete a DPDK interface: stop polling it, then close the device and take its buffers back. */
    public void delete(final Interface ifc)
    {
        final Ports p = vpp.service(Ports.class);
        if (!(p.port(ifc) instanceof DpdkPort))
        {
            throw new IllegalArgumentException("not a DPDK interface: " + ifc.name());
        }
        rxQueues.remove(ifc);
        vpp.syncThreads();
        p.delete(ifc);
    }

    /** The DPDK port behind {@code ifc}, or null. */
    public DpdkPort port(final Interface ifc)
    {
        return vpp.service(Ports.class).port(ifc) instanceof DpdkPort d ? d : null;
    }

    /**
     * jvpp buffers DPDK owns (zero-copy): the ports' reserves (in the mempool and the drivers' rings), the rx
     * stashes, tx exchanges not completed yet, and what closed ports left behind. jvpp's pool counts them as
     * used; {@code pool.used() - ownedBuffers()} is what jvpp's own frames and queues hold.
     */
    public int ownedBuffers()
    {
        int n = mempool.owed();
        for (final DpdkPort p : ports)
        {
            n += p.reserve() + p.heldBuffers();
        }
        return n;
    }

    /** Free mbufs in the mempool now. */
    public int mempoolAvailable()
    {
        return mempool.available();
    }

    /** Packets dropped on receive because they were chained (multi-segment) or larger than a buffer. */
    public long rxChainDrops()
    {
        return DpdkLib.jvpp_rx_multiseg_drops();
    }

    /** {@link DpdkPort#close()}: its buffers back to jvpp, its device closed. */
    void portClosed(final DpdkPort port, final int[] stashCount, final UnsafeBuffer[] stash, final int[] txDebt)
    {
        mempool.drain(port, stashCount, stash);
        int due = port.reserve();
        for (int q = 0; q < txDebt.length; q++)
        {
            due += txDebt[q];
            txDebt[q] = 0;
        }
        final int ret = DpdkLib.jvpp_port_close(port.portId());
        if (ret < 0)
        {
            Log.warn("dpdk: closing port %d (%s): %s", port.portId(), port.devargs(), DpdkLib.jvpp_strerror(ret));
        }
        mempool.settle(due);
        ports.remove(port);
    }

    private void closeAll()
    {
        // Ports closes the ports themselves (it registered its onClose first, so it runs after this one).
        mempool.flush();
    }

    /** The device name of {@code devargs}: the part before the first comma. */
    static String deviceName(final String devargs)
    {
        final int comma = devargs.indexOf(',');
        return comma < 0 ? devargs : devargs.substring(0, comma);
    }
}
