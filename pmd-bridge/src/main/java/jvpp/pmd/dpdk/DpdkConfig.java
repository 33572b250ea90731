package jvpp.pmd.dpdk;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code dpdk { }} section, VPP's syntax:
 * <pre>
 * dpdk {
 *   dev default { num-rx-queues 2 num-rx-desc 1024 }
 *   dev 0000:02:00.1 { name eth0 num-rx-queues 2 num-tx-queues 2 num-rx-desc 1024 num-tx-desc 1024 }
 *   vdev net_af_packet0,iface=veth1          # also net_tap0, net_af_xdp0,iface=x, MANA's &lt;bus&gt;,mac=&lt;mac&gt;
 *   no-pci  no-huge  socket-mem 1024,1024  huge-dir /dev/hugepages  file-prefix jvpp
 *   iova-mode va  log-level notice  uio-driver vfio-pci
 * }
 * </pre>
 * {@link DpdkSection} reads it from startup.conf into the {@code Jvpp.Context}; {@link #ealArgs} turns it into
 * the EAL command line {@link DpdkBoot} initialises DPDK with.
 *
 * @param devices   PCI devices with their settings (defaults from {@code dev default} applied)
 * @param vdevs     virtual device arguments, as given
 * @param noPci     do not probe PCI
 * @param noHuge    run without hugepages ({@code --no-huge --no-shconf -m <memoryMb>})
 * @param memoryMb  memory for {@code no-huge}
 * @param socketMem {@code socket-mem}, or null
 * @param hugeDir   {@code huge-dir}, or null
 * @param filePrefix {@code file-prefix}, or null (jvpp then uses {@code jvpp-<pid>})
 * @param iovaMode  {@code va} or {@code pa}, or null
 * @param logLevel  {@code log-level}, or null
 * @param uioDriver {@code uio-driver}, or null
 *
 * <p>Thread: any (immutable).
 */
public record DpdkConfig(List<Device> devices, List<String> vdevs, boolean noPci, boolean noHuge, int memoryMb,
    String socketMem, String hugeDir, String filePrefix, String iovaMode, String logLevel, String uioDriver)
{
    /** One {@code dev <pci> { ... }}: its name is null when the block gives none (then {@link DpdkBoot} names it). */
    public record Device(String pci, String name, int rxQueues, int txQueues, int rxDesc, int txDesc)
    {
    }

    public DpdkConfig
    {
        devices = List.copyOf(devices);
        vdevs = List.copyOf(vdevs);
    }

    /** The EAL arguments: {@code jvpp} as argv[0], the main lcore, the devices, memory and options. */
    public List<String> ealArgs(final int mainCore)
    {
        final List<String> a = new ArrayList<>();
        a.add("jvpp");
        a.add("-l");
        a.add(Integer.toString(Math.max(mainCore, 0)));
        a.add("--file-prefix=" + (filePrefix != null ? filePrefix : "jvpp-" + ProcessHandle.current().pid()));
        if (noPci)
        {
            a.add("--no-pci");
        }
        for (final Device d : devices)
        {
            a.add("-a");
            a.add(d.pci());
        }
        for (final String v : vdevs)
        {
            a.add("--vdev=" + v);
        }
        if (noHuge)
        {
            a.add("--no-huge");
            a.add("--no-shconf");
            a.add("-m");
            a.add(Integer.toString(memoryMb));
        }
        if (socketMem != null)
        {
            a.add("--socket-mem=" + socketMem);
        }
        if (hugeDir != null)
        {
            a.add("--huge-dir=" + hugeDir);
        }
        if (iovaMode != null)
        {
            a.add("--iova-mode=" + iovaMode);
        }
        if (logLevel != null)
        {
            a.add("--log-level=" + logLevel);
        }
        return a;
    }
}
