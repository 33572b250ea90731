package jvpp.pmd.dpdk;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferArena;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.iface.Interface;
import jvpp.core.log.Log;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.Ports;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * DPDK in jvpp: initialises the EAL once per process, creates the mbuf pool over jvpp's buffer arena, and
 * creates and deletes DPDK interfaces, polled by the {@value #DPDK_INPUT} node.
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
    private final BufferPool pool;
    private final BufferCache cache;
    private final boolean zeroCopy;
    private final String modeReason;
    private final int ealArgsConsumed;
    private final PortInputNode.RxQueues rxQueues = new PortInputNode.RxQueues();
    private final List<DpdkPort> ports = new ArrayList<>();
    private final Memory scratch = new Memory(4L * 512);
    private final int[] bufs = new int[512];
    // Buffers DPDK still holds for ports already closed (their rings kept some when they stopped).
    private int owed;

    private DpdkPorts(final Jvpp vpp, final boolean zeroCopy, final String modeReason, final int consumed)
    {
        this.vpp = vpp;
        this.pool = vpp.pool();
        this.cache = pool.newCache("dpdk");
        this.zeroCopy = zeroCopy;
        this.modeReason = modeReason;
        this.ealArgsConsumed = consumed;
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
        DpdkLib.ensureLoaded();
        final List<String> argv = new ArrayList<>();
        argv.add("jvpp");
        argv.addAll(ealArgs);
        final StringArray args = new StringArray(argv.toArray(new String[0]));
        final int consumed = DpdkLib.jvpp_eal_init(argv.size(), args);
        if (consumed < 0)
        {
            throw new IllegalStateException(DpdkLib.jvpp_last_error() + " (EAL arguments: " + String.join(" ", ealArgs)
                + "); without hugepages use --no-huge -m <MB> --no-shconf, never --in-memory with --no-huge");
        }
        final BufferArena arena = vpp.arena();
        String reason = zeroCopy ? "zero-copy: mbufs are jvpp buffers" : "copying: zero-copy turned off";
        int ret = DpdkLib.jvpp_pool_create("jvpp_mbufs", arena.address(), arena.count(), arena.stride(),
            arena.dataSize(), zeroCopy ? 1 : 0, DpdkConfiguration.COPY_POOL_SIZE);
        if (ret < 0 && zeroCopy)
        {
            reason = "copying: zero-copy impossible: " + DpdkLib.jvpp_last_error();
            Log.warn("dpdk: %s", reason);
            ret = DpdkLib.jvpp_pool_create("jvpp_mbufs_copy", arena.address(), arena.count(), arena.stride(),
                arena.dataSize(), 0, DpdkConfiguration.COPY_POOL_SIZE);
        }
        if (ret < 0)
        {
            throw new IllegalStateException("dpdk: cannot create the mbuf pool: " + DpdkLib.jvpp_last_error());
        }
        final DpdkPorts d = new DpdkPorts(vpp, ret == 1, reason, consumed);
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
        return zeroCopy;
    }

    /** Which buffer mode is in use and, for the copying mode, why. */
    public String modeReason()
    {
        return modeReason;
    }

    /** How many EAL arguments the EAL consumed. */
    public int ealArgsConsumed()
    {
        return ealArgsConsumed;
    }

    /** Ethernet ports DPDK knows (probed from the EAL arguments or created here). */
    public int availablePorts()
    {
        return DpdkLib.jvpp_port_count();
    }

    /** Interface {@code name} on DPDK device {@code devargs} with one rx and one tx queue. */
    public Interface create(final String devargs, final String name)
    {
        return create(devargs, name, DpdkConfiguration.QUEUES_DEFAULT, DpdkConfiguration.QUEUES_DEFAULT, DpdkConfiguration.RX_DESC_DEFAULT, DpdkConfiguration.TX_DESC_DEFAULT, null);
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
        watchKernelDevice(ifc, port, placement);
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
        final int reserve = zeroCopy ? rxq * rxDesc + txq * txDesc + DpdkPort.BURST : 0;
        if (!giveToDpdk(reserve))
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
            takeFromDpdk(reserve);
            throw new IllegalArgumentException("dpdk: " + why);
        }
        return new DpdkPort(this, devargs, portId, rxq, txq, rxDesc, txDesc, reserve, zeroCopy, pool);
    }

    /** An interface whose DPDK device reads a kernel interface ({@code net_af_packet...,iface=X}). */
    private static final class KernelBacked
    {
        final Interface ifc;
        final int[] placement;
        DpdkPort port;
        boolean gone;

        KernelBacked(final Interface ifc, final DpdkPort port, final int[] placement)
        {
            this.ifc = ifc;
            this.port = port;
            this.placement = placement;
        }
    }

    /** By kernel interface name. Thread: main. */
    private final java.util.Map<String, KernelBacked> kernelBacked = new java.util.HashMap<>();

    /** The kernel interface a net_af_packet vdev reads ({@code iface=}), or null for other devices. */
    static String kernelInterface(final String devargs)
    {
        if (!deviceName(devargs).startsWith("net_af_packet"))
        {
            return null;
        }
        for (final String kv : devargs.split(","))
        {
            if (kv.startsWith("iface="))
            {
                return kv.substring("iface=".length());
            }
        }
        return null;
    }

    /**
     * A net_af_packet device cannot tell that its kernel interface went (its PMD reports the link up for ever):
     * watch the kernel's links. Gone: the interface goes down with the reason, configuration kept. Back: the
     * device is removed from DPDK and probed again on the new kernel interface, and the interface comes back.
     */
    private void watchKernelDevice(final Interface ifc, final DpdkPort port, final int[] placement)
    {
        final String iface = kernelInterface(port.devargs());
        if (iface == null)
        {
            return;
        }
        if (kernelBacked.isEmpty())
        {
            vpp.service(Ports.class).watchKernelLinks((name, index, exists, up) -> kernelLinkChanged(name, exists));
        }
        kernelBacked.put(iface, new KernelBacked(ifc, port, placement));
    }

    /** Thread: main. */
    void kernelLinkChanged(final String name, final boolean exists)
    {
        final KernelBacked k = kernelBacked.get(name);
        if (k == null || vpp.interfaces().get(k.ifc.swIfIndex()) != k.ifc)
        {
            return;
        }
        if (!exists)
        {
            if (!k.gone)
            {
                k.gone = true;
                k.port.kernelGone(true);
                k.ifc.linkUp(false, "kernel device " + name + " removed");
                Log.warn("%s: kernel device %s removed; interface down, configuration kept", k.ifc.name(), name);
            }
            return;
        }
        if (!k.gone)
        {
            return;
        }
        // Back: the DPDK device still holds the dead socket; remove it and probe it again. Unlike a reopened tap or
        // host-interface, the old device must be gone before the new one can be probed: stop polling it first.
        final DpdkPort old = k.port;
        rxQueues.remove(k.ifc);
        vpp.syncThreads();
        old.close();
        final DpdkPort fresh;
        try
        {
            fresh = open(old.devargs(), k.ifc.name(), old.rxQueues(), old.txQueues(), old.rxDesc(), old.txDesc());
        }
        catch (final IllegalArgumentException ex)
        {
            Log.warn("%s: kernel device %s is back but the DPDK device cannot be probed again: %s", k.ifc.name(), name,
                ex.getMessage());
            return;
        }
        vpp.service(Ports.class).replace(k.ifc, fresh, rxQueues, k.placement);
        ports.add(fresh);
        k.port = fresh;
        k.gone = false;
        k.ifc.linkUp(fresh.linkUp(), "");
        Log.info("%s: kernel device %s is back; DPDK device probed again", k.ifc.name(), name);
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
        int n = owed;
        for (final DpdkPort p : ports)
        {
            n += p.reserve() + p.heldBuffers();
        }
        return n;
    }

    /** Free mbufs in the mempool now. */
    public int mempoolAvailable()
    {
        return DpdkLib.jvpp_pool_avail();
    }

    /** Packets dropped on receive because they were chained (multi-segment) or larger than a buffer. */
    public long rxChainDrops()
    {
        return DpdkLib.jvpp_rx_multiseg_drops();
    }

    /** Move n buffers from jvpp's pool into the mempool; all or none. */
    private boolean giveToDpdk(final int n)
    {
        final int[] b = bufs;
        final UnsafeBuffer ub = new UnsafeBuffer(Pointer.nativeValue(scratch), (int)scratch.size());
        int given = 0;
        while (given < n)
        {
            final int k = cache.alloc(b, 0, Math.min(n - given, b.length));
            if (k == 0)
            {
                takeFromDpdk(given);
                return false;
            }
            for (int i = 0; i < k; i++)
            {
                ub.putInt(i << 2, b[i]);
            }
            DpdkLib.jvpp_pool_put(Pointer.nativeValue(scratch), k);
            given += k;
        }
        cache.flush();
        return true;
    }

    /** Take up to n free mbufs back from the mempool into jvpp; returns how many it could not. */
    private int takeFromDpdk(final int n)
    {
        int left = n;
        final UnsafeBuffer ub = new UnsafeBuffer(Pointer.nativeValue(scratch), (int)scratch.size());
        while (left > 0)
        {
            final int k = DpdkLib.jvpp_pool_take(Pointer.nativeValue(scratch), Math.min(left, 512));
            if (k == 0)
            {
                break;
            }
            for (int i = 0; i < k; i++)
            {
                cache.free(ub.getInt(i << 2));
            }
            left -= k;
        }
        cache.flush();
        return left;
    }

    void portClosed(final DpdkPort port, final int[] stashCount, final UnsafeBuffer[] stash, final int[] txDebt)
    {
        for (int q = 0; q < port.rxQueues(); q++)
        {
            // What is still in the rx rings (a net_ring holds what was sent into it) comes back as packets.
            for (int round = 0; round < 64; round++)
            {
                final int n = port.rxDrain(q, cache, bufs);
                if (n == 0)
                {
                    break;
                }
                cache.free(bufs, 0, n);
            }
            for (int i = 0; i < stashCount[q]; i++)
            {
                cache.free(stash[q].getInt(i << 2));
            }
            stashCount[q] = 0;
        }
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
        if (zeroCopy)
        {
            owed += takeFromDpdk(due);
            // Buffers an earlier close could not get back may be free by now.
            if (owed > 0)
            {
                owed = takeFromDpdk(owed);
            }
        }
        cache.flush();
        ports.remove(port);
    }

    private void closeAll()
    {
        // Ports closes the ports themselves (it registered its onClose first, so it runs after this one).
        cache.flush();
    }

    private static String deviceName(final String devargs)
    {
        final int comma = devargs.indexOf(',');
        return comma < 0 ? devargs : devargs.substring(0, comma);
    }

    /** Read a NUL-terminated string a native call writes into {@code memory} at {@code offset} (64 bytes). */
    static String nativeString(final Memory memory, final long offset, final NativeStringCall call)
    {
        final long addr = Pointer.nativeValue(memory) + offset;
        if (call.fill(addr, 64) != 0)
        {
            return "?";
        }
        return memory.getString(offset);
    }

    /** A native call that fills a string buffer. */
    @FunctionalInterface
    interface NativeStringCall
    {
        int fill(long address, int size);
    }
}
