package jvpp.pmd.dpdk;

import java.util.LinkedHashSet;
import java.util.Set;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferArena;
import jvpp.core.log.Log;
import jvpp.core.sys.Capabilities;
import jvpp.pmd.doctor.DoctorRequest;

/**
 * The {@code dpdk { }} section at boot ({@code PmdBridgePlugin.start}): what the doctor checks it against, and
 * bringing DPDK up (EAL, mbuf pool over jvpp's arena, one port per {@code dev} and {@code vdev}).
 *
 * <p>Interface names: {@code name} when the {@code dev} block gives one; else VPP-like for PCI devices,
 * {@code Ethernet<bus>/<slot>/<function>}, the address's hex numbers in decimal (VPP puts the link speed in
 * front, which jvpp does not know before the port starts); a vdev is named after its device
 * ({@code net_af_packet0}).
 *
 * <p>Thread: main, at boot.
 */
public final class DpdkBoot
{
    private DpdkBoot()
    {
    }

    /** What {@code context} asks of the machine, for {@code jvpp doctor} and {@code show dpdk preflight}. */
    public static DoctorRequest request(final Jvpp.Context context)
    {
        final DpdkConfig d = context.settings(DpdkConfig.class);
        if (d == null)
        {
            return DoctorRequest.empty();
        }
        final DoctorRequest.Builder b = DoctorRequest.builder().noHuge(d.noHuge()).noPci(d.noPci());
        for (final DpdkConfig.Device dev : d.devices())
        {
            b.pciDevice(dev.pci());
        }
        for (final String v : d.vdevs())
        {
            b.vdev(v);
        }
        if (d.uioDriver() != null)
        {
            b.uioDriver(d.uioDriver());
        }
        if (!d.noHuge())
        {
            // jvpp's buffer arena (the mbufs live there) plus DPDK's own memory.
            long dpdkMb = 0;
            if (d.socketMem() != null)
            {
                for (final String mb : d.socketMem().split(","))
                {
                    dpdkMb += Long.parseLong(mb);
                }
            }
            b.hugepageBytes((long)context.buffers() * BufferArena.strideFor(context.dataSize()) + dpdkMb * 1024 * 1024);
        }
        return b.build();
    }

    /**
     * Bring DPDK up for {@code vpp} as its context's {@code dpdk { }} says; nothing when it has none. Throws
     * with a message that names what failed.
     */
    public static void start(final Jvpp vpp)
    {
        final DpdkConfig d = vpp.context().settings(DpdkConfig.class);
        if (d == null)
        {
            return;
        }
        vpp.registerService(DoctorRequest.class, request(vpp.context()));
        if (!DpdkPorts.available())
        {
            throw new IllegalStateException("dpdk { }: DPDK support is not available: install dpdk and libdpdk-dev "
                + "(apt-get install dpdk libdpdk-dev) and rebuild (bin/jvpp rebuilds when sources change), or remove "
                + "the dpdk section to use the pure-Java drivers");
        }
        requireCapabilities(d);
        final DpdkPorts ports = DpdkPorts.init(vpp, d.ealArgs(vpp.context().mainCore()));
        Log.info("dpdk: EAL up, %s", ports.zeroCopy() ? "zero-copy mbufs in the buffer arena" : "copying: " + ports.modeReason());
        for (final DpdkConfig.Device dev : d.devices())
        {
            final String name = dev.name() != null ? dev.name() : pciName(dev.pci());
            ports.create(dev.pci(), name, dev.rxQueues(), dev.txQueues(), dev.rxDesc(), dev.txDesc(), null);
            Log.info("dpdk: %s is %s", dev.pci(), name);
        }
        for (final String v : d.vdevs())
        {
            final String device = v.indexOf(',') < 0 ? v : v.substring(0, v.indexOf(','));
            ports.create(v, device);
            Log.info("dpdk: vdev %s is %s", v, device);
        }
    }

    /**
     * What the configured devices need before the EAL is touched (it would fail further in with less to say):
     * CAP_NET_RAW for net_af_packet, CAP_NET_ADMIN for net_tap, CAP_IPC_LOCK for PCI devices (pinned DMA memory).
     */
    static void requireCapabilities(final DpdkConfig d)
    {
        final Set<Capabilities.Cap> need = new LinkedHashSet<>();
        for (final String v : d.vdevs())
        {
            if (v.startsWith("net_af_packet"))
            {
                need.add(Capabilities.Cap.NET_RAW);
            }
            else if (v.startsWith("net_tap"))
            {
                need.add(Capabilities.Cap.NET_ADMIN);
            }
        }
        if (!d.devices().isEmpty())
        {
            need.add(Capabilities.Cap.IPC_LOCK);
        }
        final String why = Capabilities.explainMissing(Capabilities.effective(),
            need.toArray(new Capabilities.Cap[0]));
        if (why != null)
        {
            throw new IllegalStateException("dpdk { }: " + why);
        }
    }

    /** {@code 0000:02:00.1} → {@code Ethernet2/0/1}. */
    static String pciName(final String pci)
    {
        final String[] p = pci.split("[:.]");
        final int n = p.length;
        return "Ethernet" + Integer.parseInt(p[n - 3], 16) + "/" + Integer.parseInt(p[n - 2], 16) + "/"
            + Integer.parseInt(p[n - 1], 16);
    }
}
