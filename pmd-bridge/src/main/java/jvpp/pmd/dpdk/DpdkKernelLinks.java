package jvpp.pmd.dpdk;

import java.util.HashMap;
import java.util.Map;

import jvpp.core.Jvpp;
import jvpp.core.iface.Interface;
import jvpp.core.log.Log;
import jvpp.pmd.PortInputNode;
import jvpp.pmd.Ports;

/**
 * The kernel interfaces behind DPDK devices. A net_af_packet device reads a kernel interface ({@code iface=})
 * and cannot tell that it went (its PMD reports the link up for ever), so the kernel's links are watched
 * ({@link Ports#watchKernelLinks}) for those devices. Gone: the interface goes down with the reason,
 * configuration kept. Back: the device is removed from DPDK and probed again on the new kernel interface, and
 * the interface comes back.
 *
 * <p>Thread: main.
 */
final class DpdkKernelLinks
{
    /** Probes a device again with the settings of the one it replaces. */
    @FunctionalInterface
    interface Reopen
    {
        DpdkPort reopen(DpdkPort old, String name);
    }

    /** An interface whose DPDK device reads a kernel interface. */
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

    private final Jvpp vpp;
    private final PortInputNode.RxQueues rxQueues;
    private final Reopen reopen;
    /** By kernel interface name. */
    private final Map<String, KernelBacked> kernelBacked = new HashMap<>();

    DpdkKernelLinks(final Jvpp vpp, final PortInputNode.RxQueues rxQueues, final Reopen reopen)
    {
        this.vpp = vpp;
        this.rxQueues = rxQueues;
        this.reopen = reopen;
    }

    /** The kernel interface a net_af_packet vdev reads ({@code iface=}), or null for other devices. */
    static String kernelInterface(final String devargs)
    {
        if (!DpdkPorts.deviceName(devargs).startsWith("net_af_packet"))
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

    /** Watch {@code ifc}'s kernel interface when its device reads one; nothing otherwise. */
    void watch(final Interface ifc, final DpdkPort port, final int[] placement)
    {
        final String iface = kernelInterface(port.devargs());
        if (iface == null)
        {
            return;
        }
        if (kernelBacked.isEmpty())
        {
            vpp.service(Ports.class).watchKernelLinks((name, index, exists, up) -> changed(name, exists));
        }
        kernelBacked.put(iface, new KernelBacked(ifc, port, placement));
    }

    /** Kernel link {@code name} now {@code exists} or not. */
    void changed(final String name, final boolean exists)
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
            fresh = reopen.reopen(old, k.ifc.name());
        }
        catch (final IllegalArgumentException ex)
        {
            Log.warn("%s: kernel device %s is back but the DPDK device cannot be probed again: %s", k.ifc.name(), name,
                ex.getMessage());
            return;
        }
        vpp.service(Ports.class).replace(k.ifc, fresh, rxQueues, k.placement);
        k.port = fresh;
        k.gone = false;
        k.ifc.linkUp(fresh.linkUp(), "");
        Log.info("%s: kernel device %s is back; DPDK device probed again", k.ifc.name(), name);
    }
}
