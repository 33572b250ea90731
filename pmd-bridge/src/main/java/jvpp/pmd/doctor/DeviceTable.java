package jvpp.pmd.doctor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code show pci} and the head of {@code jvpp doctor}'s report: the machine's network devices as
 * {@code dpdk-devbind.py --status} prints them.
 *
 * <p>Stateless. Thread: any; it only reads files through the {@link HostView}.
 */
public final class DeviceTable
{
    private DeviceTable()
    {
    }

    /**
     * The network devices grouped as {@code dpdk-devbind.py --status} groups them: using a DPDK-compatible
     * driver, using a kernel driver (with {@code if=} and {@code *Active*} for interfaces that carry routes),
     * and other (no driver). {@code unused=} lists the device's kernel driver and the DPDK drivers that are
     * loaded, minus the one in use.
     */
    public static String format(final HostView host)
    {
        final List<String> dpdk = new ArrayList<>();
        final List<String> kernel = new ArrayList<>();
        final List<String> other = new ArrayList<>();
        final Set<String> active = host.activeInterfaces();
        for (final PciDevice d : host.pciDevices())
        {
            if (!d.isNetwork())
            {
                continue;
            }
            final StringBuilder line = new StringBuilder();
            line.append(d.bdf()).append(" '").append(PciIds.describe(d)).append('\'');
            if (!d.interfaces().isEmpty() && !PciIds.DPDK_DRIVERS.contains(d.driver()))
            {
                line.append(" if=").append(String.join(",", d.interfaces()));
            }
            if (d.driver() != null)
            {
                line.append(" drv=").append(d.driver());
            }
            final List<String> unused = unused(host, d);
            if (!unused.isEmpty())
            {
                line.append(" unused=").append(String.join(",", unused));
            }
            for (final String ifc : d.interfaces())
            {
                if (active.contains(ifc))
                {
                    line.append(" *Active*");
                    break;
                }
            }
            if (d.driver() == null)
            {
                other.add(line.toString());
            }
            else if (PciIds.DPDK_DRIVERS.contains(d.driver()))
            {
                dpdk.add(line.toString());
            }
            else
            {
                kernel.add(line.toString());
            }
        }
        final StringBuilder sb = new StringBuilder();
        section(sb, "Network devices using DPDK-compatible driver", dpdk);
        section(sb, "Network devices using kernel driver", kernel);
        section(sb, "Other Network devices", other);
        if (sb.length() == 0)
        {
            sb.append("No 'Network' devices detected\n");
        }
        return sb.toString();
    }

    private static List<String> unused(final HostView host, final PciDevice d)
    {
        final Set<String> out = new LinkedHashSet<>();
        final String k = PciIds.kernelDriver(d);
        if (k != null)
        {
            out.add(k);
        }
        for (final String m : List.of("vfio-pci", "uio_pci_generic", "igb_uio"))
        {
            if (host.moduleLoaded(m))
            {
                out.add(m);
            }
        }
        out.remove(d.driver());
        return new ArrayList<>(out);
    }

    private static void section(final StringBuilder sb, final String title, final List<String> lines)
    {
        if (lines.isEmpty())
        {
            return;
        }
        if (sb.length() > 0)
        {
            sb.append('\n');
        }
        sb.append(title).append('\n').append("=".repeat(title.length())).append('\n');
        for (final String l : lines)
        {
            sb.append(l).append('\n');
        }
    }
}
